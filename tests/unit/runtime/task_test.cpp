// Task handles (asyncio.Task's surface), done callbacks, cancellation, and
// the cancellation and ordering of gather and as_completed, on the virtual
// clock. Each expected line list is what CPython 3.11 prints for the Python
// program in the comment above the test (checked with python3.11; `el()` is
// loop.time() minus its value when main started).
#include "../test_support.hpp"
#include "asyncdemo/asyncdemo.hpp"

#include <doctest/doctest.h>

#include <fmt/format.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

using namespace asyncdemo;
using namespace std::chrono_literals;
using namespace asyncdemo::test;

namespace {

const TaskRecord* record_named(const test::RecordedLoop& loop, std::string_view name) {
  for (const auto& t : loop.recorder().tasks())
    if (t.name == name) return &t;
  return nullptr;
}

// ---------------------------------------------------------------------------
// States: done/cancelled/result/exception before start, while pending, after
// success, failure and cancellation; cancel() on a finished task.
//
//   async def worker(): await asyncio.sleep(1); return 42
//   async def fail(): await asyncio.sleep(1); raise ValueError("bad")
//   def state(name, t):
//       parts = [f"done={t.done()}", f"cancelled={t.cancelled()}"]
//       try: parts.append(f"result={t.result()}")
//       except asyncio.InvalidStateError: parts.append("result:InvalidStateError")
//       except asyncio.CancelledError: parts.append("result:CancelledError")
//       except ValueError as e: parts.append(f"result:{e}")
//       try: parts.append(f"exception={t.exception()}")
//       except asyncio.InvalidStateError: parts.append("exception:InvalidStateError")
//       except asyncio.CancelledError: parts.append("exception:CancelledError")
//       print(name + ": " + " ".join(parts))
//   async def main():
//       t = asyncio.create_task(worker()); state("before start", t)
//       await asyncio.sleep(0.5); state("pending", t)
//       await t; state("done", t)
//       print(f"cancel done: {t.cancel()}")
//       f = asyncio.create_task(fail()); await asyncio.sleep(2); state("failed", f)
//       print(f"cancel failed: {f.cancel()}")
//       c = asyncio.create_task(worker()); await asyncio.sleep(0)
//       print(f"cancel: {c.cancel()}"); state("cancel requested", c)
//       await asyncio.sleep(0); state("cancelled", c)
//       print(f"cancel cancelled: {c.cancel()}")

Coro<int> worker42() {
  co_await sleep(1s);
  co_return 42;
}
Coro<int> fail_bad() {
  co_await sleep(1s);
  throw ValueError("bad");
}

void state(const std::string& name, const Task<int>& t) {
  std::string s = fmt::format("{}: done={} cancelled={}", name, py(t.done()), py(t.cancelled()));
  try {
    s += fmt::format(" result={}", t.result());
  } catch (const InvalidStateError&) {
    s += " result:InvalidStateError";
  } catch (const CancelledError&) {
    s += " result:CancelledError";
  } catch (const ValueError& e) {
    s += fmt::format(" result:{}", e.what());
  }
  try {
    s += " exception=" + describe(t.exception());
  } catch (const InvalidStateError&) {
    s += " exception:InvalidStateError";
  } catch (const CancelledError&) {
    s += " exception:CancelledError";
  }
  print("{}", s);
}

Coro<void> states_main() {
  auto t = create_task(worker42());
  state("before start", t);
  co_await sleep(0.5);
  state("pending", t);
  co_await t;
  state("done", t);
  print("cancel done: {}", py(t.cancel()));
  auto f = create_task(fail_bad());
  co_await sleep(2s);
  state("failed", f);
  print("cancel failed: {}", py(f.cancel()));
  auto c = create_task(worker42());
  co_await sleep(0s);
  print("cancel: {}", py(c.cancel()));
  state("cancel requested", c);
  co_await sleep(0s);
  state("cancelled", c);
  print("cancel cancelled: {}", py(c.cancel()));
}

// ---------------------------------------------------------------------------
// Seed 002 §34.5 (the task-callbacks scenario), minus the two prints outside
// asyncio.run: the callback runs before the awaiting task continues.
//
//   async def worker():
//       print('worker - will take some time')
//       await asyncio.sleep(1)
//       print('worker - Done it')
//       return 42
//   def print_it(task): print('print_it result:', task.result())
//   async def do_something():
//       print('do_something - create task for worker')
//       task = asyncio.create_task(worker())
//       print('do_something - add a callback')
//       task.add_done_callback(print_it)
//       await task
//       print('do_something - task.cancelled():', task.cancelled())
//       print('do_something - task.done():', task.done())
//       print('do_something - task.result():', task.result())
//       print('do_something - task.exception():', task.exception())
//       print('do_something - finished')

Coro<int> seed_worker() {
  print("worker - will take some time");
  co_await sleep(1s);
  print("worker - Done it");
  co_return 42;
}
Coro<void> seed_do_something() {
  print("do_something - create task for worker");
  auto task = create_task(seed_worker());
  print("do_something - add a callback");
  task.add_done_callback([](Task<int>& t) { print("print_it result: {}", t.result()); });
  co_await task;
  print("do_something - task.cancelled(): {}", py(task.cancelled()));
  print("do_something - task.done(): {}", py(task.done()));
  print("do_something - task.result(): {}", task.result());
  print("do_something - task.exception(): {}", describe(task.exception()));
  print("do_something - finished");
}

// ---------------------------------------------------------------------------
// Done callbacks go through the loop: a task made ready earlier in the same
// turn ("other") runs before them; they run in the order added, and an
// awaiter's wake-up counts as one of them (waiter registered between cb1 and
// cb2, main after cb2).
//
//   async def worker(): await asyncio.sleep(1); print("worker returns"); return 42
//   async def other(): await asyncio.sleep(1); print("other woke")
//   async def waiter(t): r = await t; print(f"waiter got {r}")
//   async def main():
//       t = asyncio.create_task(worker())
//       asyncio.create_task(other())
//       t.add_done_callback(lambda t: print(f"cb1 {t.result()}"))
//       asyncio.create_task(waiter(t))
//       await asyncio.sleep(0)          # the waiter now awaits t
//       t.add_done_callback(lambda t: print("cb2"))
//       await t
//       print("main resumed")

Coro<int> cb_worker() {
  co_await sleep(1s);
  print("worker returns");
  co_return 42;
}
Coro<void> cb_other() {
  co_await sleep(1s);
  print("other woke");
}
Coro<void> cb_waiter(Task<int> t) {
  int r = co_await t;
  print("waiter got {}", r);
}
Coro<void> callbacks_main() {
  auto t = create_task(cb_worker());
  create_task(cb_other());
  t.add_done_callback([](Task<int>& x) { print("cb1 {}", x.result()); });
  create_task(cb_waiter(t));
  co_await sleep(0s);
  t.add_done_callback([](Task<int>&) { print("cb2"); });
  co_await t;
  print("main resumed");
}

// ---------------------------------------------------------------------------
// remove_done_callback: 1, then 0, and the removed one never runs; a callback
// added to a task already done is scheduled, not run on the spot.
//
//   async def worker(): await asyncio.sleep(1); print("worker returns"); return 42
//   def cb_a(t): print("cb_a")
//   def cb_b(t): print("cb_b")
//   async def main():
//       t = asyncio.create_task(worker())
//       t.add_done_callback(cb_a); t.add_done_callback(cb_b)
//       print(f"removed {t.remove_done_callback(cb_a)}")
//       print(f"removed {t.remove_done_callback(cb_a)}")
//       await t
//       print("main resumed")
//       t.add_done_callback(lambda t: print(f"late cb {t.result()}"))
//       print("after add")
//       await asyncio.sleep(0)
//       print("after yield")

Coro<void> remove_main() {
  auto t = create_task(cb_worker());
  auto id_a = t.add_done_callback([](Task<int>&) { print("cb_a"); });
  t.add_done_callback([](Task<int>&) { print("cb_b"); });
  print("removed {}", t.remove_done_callback(id_a));
  print("removed {}", t.remove_done_callback(id_a));
  co_await t;
  print("main resumed");
  t.add_done_callback([](Task<int>& x) { print("late cb {}", x.result()); });
  print("after add");
  co_await sleep(0s);
  print("after yield");
}

// ---------------------------------------------------------------------------
// Cancelling a sleeping task: it sees CancelledError at its sleep, at once.
//
//   async def sleeper():
//       try: await asyncio.sleep(10); print("slept")
//       except asyncio.CancelledError:
//           print(f"sleeper cancelled at {el():.1f}"); raise
//   async def main():
//       t = asyncio.create_task(sleeper())
//       await asyncio.sleep(1)
//       print(f"cancel {t.cancel()}")
//       try: await t
//       except asyncio.CancelledError:
//           print(f"await raised CancelledError at {el():.1f}")
//       print(f"cancelled={t.cancelled()}")

Coro<void> cancel_sleeper() {
  try {
    co_await sleep(10s);
    print("slept");
  } catch (const CancelledError&) {
    print("sleeper cancelled at {:.1f}", el());
    throw;
  }
}
Coro<void> cancel_sleeping_main() {
  auto t = create_task(cancel_sleeper());
  co_await sleep(1s);
  print("cancel {}", py(t.cancel()));
  try {
    co_await t;
  } catch (const CancelledError&) {
    print("await raised CancelledError at {:.1f}", el());
  }
  print("cancelled={}", py(t.cancelled()));
}

// ---------------------------------------------------------------------------
// Cancelling a task that never started: the body never runs; the task is done
// only after its (first and last) step; its callbacks then run, scheduled.
//
//   async def body(): print("body runs"); return 1
//   async def main():
//       t = asyncio.create_task(body())
//       t.add_done_callback(lambda t: print(f"callback: cancelled={t.cancelled()}"))
//       print(f"cancel {t.cancel()}")
//       print(f"done={t.done()}")
//       await asyncio.sleep(0)
//       print(f"done={t.done()} cancelled={t.cancelled()}")
//       await asyncio.sleep(0)
//       print("main end")

Coro<int> never_body() {
  print("body runs");
  co_return 1;
}
Coro<void> cancel_unstarted_main() {
  auto t = create_task(never_body(), "body");
  t.add_done_callback([](Task<int>& x) { print("callback: cancelled={}", py(x.cancelled())); });
  print("cancel {}", py(t.cancel()));
  print("done={}", py(t.done()));
  co_await sleep(0s);
  print("done={} cancelled={}", py(t.done()), py(t.cancelled()));
  co_await sleep(0s);
  print("main end");
}

// ---------------------------------------------------------------------------
// Cancelling a task that awaits another task cancels the inner one too; the
// inner sees it first, then the outer, then whoever awaits the outer.
//
//   async def inner():
//       try: await asyncio.sleep(10)
//       except asyncio.CancelledError: print("inner cancelled"); raise
//   async def outer(t):
//       try: await t
//       except asyncio.CancelledError: print("outer cancelled"); raise
//   async def main():
//       i = asyncio.create_task(inner())
//       o = asyncio.create_task(outer(i))
//       await asyncio.sleep(1)
//       print(f"cancel outer {o.cancel()}")
//       try: await o
//       except asyncio.CancelledError: print("main saw CancelledError")
//       print(f"inner cancelled={i.cancelled()} outer cancelled={o.cancelled()}")

Coro<void> chain_inner() {
  try {
    co_await sleep(10s);
  } catch (const CancelledError&) {
    print("inner cancelled");
    throw;
  }
}
Coro<void> chain_outer(Task<void> t) {
  try {
    co_await t;
  } catch (const CancelledError&) {
    print("outer cancelled");
    throw;
  }
}
Coro<void> cancel_chain_main() {
  auto i = create_task(chain_inner());
  auto o = create_task(chain_outer(i));
  co_await sleep(1s);
  print("cancel outer {}", py(o.cancel()));
  try {
    co_await o;
  } catch (const CancelledError&) {
    print("main saw CancelledError");
  }
  print("inner cancelled={} outer cancelled={}", py(i.cancelled()), py(o.cancelled()));
}

// ---------------------------------------------------------------------------
// gather and cancellation: cancelling the task that awaits a gather cancels
// the gather's unfinished children; cancelling the gather itself too.
//
//   async def child(name, d):
//       try:
//           await asyncio.sleep(d); print(f"{name} done"); return name
//       except asyncio.CancelledError: print(f"{name} cancelled"); raise
//   async def parent():
//       try: await asyncio.gather(child("a", 5), child("b", 1), child("c", 10))
//       except asyncio.CancelledError: print("parent cancelled"); raise
//   async def main():
//       p = asyncio.create_task(parent())
//       await asyncio.sleep(2)
//       print(f"cancel parent {p.cancel()}")
//       try: await p
//       except asyncio.CancelledError: print("main saw CancelledError")
//       g = asyncio.gather(child("x", 5), child("y", 10))
//       await asyncio.sleep(1)
//       print(f"cancel gather {g.cancel()}")
//       try: await g
//       except asyncio.CancelledError: print("awaiting gather raised CancelledError")

Coro<std::string> g_child(std::string name, double d) {
  try {
    co_await sleep(d);
    print("{} done", name);
    co_return name;
  } catch (const CancelledError&) {
    print("{} cancelled", name);
    throw;
  }
}
Coro<void> g_parent() {
  try {
    co_await gather(g_child("a", 5), g_child("b", 1), g_child("c", 10));
  } catch (const CancelledError&) {
    print("parent cancelled");
    throw;
  }
}
Coro<void> gather_cancel_main() {
  auto p = create_task(g_parent(), "parent");
  co_await sleep(2s);
  print("cancel parent {}", py(p.cancel()));
  try {
    co_await p;
  } catch (const CancelledError&) {
    print("main saw CancelledError");
  }
  auto g = gather(named("x", g_child("x", 5)), named("y", g_child("y", 10)));
  co_await sleep(1s);
  print("cancel gather {}", py(g.cancel()));
  try {
    co_await g;
  } catch (const CancelledError&) {
    print("awaiting gather raised CancelledError");
  }
}

// ---------------------------------------------------------------------------
// as_completed hands results out in completion order (ties: the order the
// children were started in), and starts the children in argument order.
//
//   async def job(name, d):
//       print(f"{name} start"); await asyncio.sleep(d); return name
//   async def main():
//       for f in asyncio.as_completed([job("a", 3), job("b", 1), job("c", 2), job("d", 1)]):
//           r = await f
//           print(f"got {r} at {el():.1f}")

Coro<std::string> ac_job(std::string name, double d) {
  print("{} start", name);
  co_await sleep(d);
  co_return name;
}
Coro<void> as_completed_main() {
  std::vector<Coro<std::string>> jobs;
  jobs.push_back(ac_job("a", 3));
  jobs.push_back(ac_job("b", 1));
  jobs.push_back(ac_job("c", 2));
  jobs.push_back(ac_job("d", 1));
  for (auto next : as_completed(std::move(jobs))) {
    auto r = co_await next;
    print("got {} at {:.1f}", r, el());
  }
}

} // namespace

TEST_CASE("task states: before start, pending, done, failed, cancelled") {
  test::RecordedLoop loop;
  loop.run(states_main());
  CHECK(printed(loop) ==
        joined({
            "before start: done=False cancelled=False result:InvalidStateError "
            "exception:InvalidStateError",
            "pending: done=False cancelled=False result:InvalidStateError "
            "exception:InvalidStateError",
            "done: done=True cancelled=False result=42 exception=None",
            "cancel done: False",
            "failed: done=True cancelled=False result:bad exception=bad",
            "cancel failed: False",
            "cancel: True",
            "cancel requested: done=False cancelled=False result:InvalidStateError "
            "exception:InvalidStateError",
            "cancelled: done=True cancelled=True result:CancelledError exception:CancelledError",
            "cancel cancelled: False",
        }));
  CHECK(loop.now() == 3s);
}

TEST_CASE("seed 002 §34.5: the done callback runs before the awaiter continues") {
  test::RecordedLoop loop;
  loop.run(seed_do_something(), "do_something");
  CHECK(printed(loop) == joined({
                             "do_something - create task for worker",
                             "do_something - add a callback",
                             "worker - will take some time",
                             "worker - Done it",
                             "print_it result: 42",
                             "do_something - task.cancelled(): False",
                             "do_something - task.done(): True",
                             "do_something - task.result(): 42",
                             "do_something - task.exception(): None",
                             "do_something - finished",
                         }));
  CHECK(loop.now() == 1s);
}

TEST_CASE("done callbacks run through the loop, in the order added, awaiters included") {
  test::RecordedLoop loop;
  loop.run(callbacks_main());
  CHECK(printed(loop) == joined({
                             "worker returns",
                             "other woke",
                             "cb1 42",
                             "waiter got 42",
                             "cb2",
                             "main resumed",
                         }));
  CHECK(loop.now() == 1s);
}

TEST_CASE("remove_done_callback, and add_done_callback on a task already done") {
  test::RecordedLoop loop;
  loop.run(remove_main());
  CHECK(printed(loop) == joined({
                             "removed 1",
                             "removed 0",
                             "worker returns",
                             "cb_b",
                             "main resumed",
                             "after add",
                             "late cb 42",
                             "after yield",
                         }));
  CHECK(loop.now() == 1s);
}

TEST_CASE("cancelling a sleeping task") {
  test::RecordedLoop loop;
  loop.run(cancel_sleeping_main());
  CHECK(printed(loop) == joined({
                             "cancel True",
                             "sleeper cancelled at 1.0",
                             "await raised CancelledError at 1.0",
                             "cancelled=True",
                         }));
  // The 10 s sleep was cancelled: nothing keeps the clock going.
  CHECK(loop.now() == 1s);
}

TEST_CASE("cancelling a task that never started: its body never runs") {
  test::RecordedLoop loop;
  loop.run(cancel_unstarted_main());
  CHECK(printed(loop) == joined({
                             "cancel True",
                             "done=False",
                             "done=True cancelled=True",
                             "callback: cancelled=True",
                             "main end",
                         }));
  const auto* body = record_named(loop, "body");
  REQUIRE(body);
  CHECK(body->outcome == TaskOutcome::cancelled);
  CHECK(body->started == Duration{-1}); // never started
  CHECK(loop.now() == 0s);
}

TEST_CASE("cancelling a task that awaits a task cancels the awaited task too") {
  test::RecordedLoop loop;
  loop.run(cancel_chain_main());
  CHECK(printed(loop) == joined({
                             "cancel outer True",
                             "inner cancelled",
                             "outer cancelled",
                             "main saw CancelledError",
                             "inner cancelled=True outer cancelled=True",
                         }));
  CHECK(loop.now() == 1s);
}

TEST_CASE("cancelling a gather, or the task awaiting it, cancels its children") {
  test::RecordedLoop loop;
  loop.run(gather_cancel_main());
  CHECK(printed(loop) == joined({
                             "b done",
                             "cancel parent True",
                             "a cancelled",
                             "c cancelled",
                             "parent cancelled",
                             "main saw CancelledError",
                             "cancel gather True",
                             "x cancelled",
                             "y cancelled",
                             "awaiting gather raised CancelledError",
                         }));
  CHECK(loop.now() == 3s);
  for (const char* name : {"parent", "x", "y"}) {
    const auto* t = record_named(loop, name);
    REQUIRE(t);
    CHECK(t->outcome == TaskOutcome::cancelled);
  }
}

TEST_CASE("as_completed yields results in completion order") {
  test::RecordedLoop loop;
  loop.run(as_completed_main());
  CHECK(printed(loop) == joined({
                             "a start",
                             "b start",
                             "c start",
                             "d start",
                             "got b at 1.0",
                             "got d at 1.0",
                             "got c at 2.0",
                             "got a at 3.0",
                         }));
  CHECK(loop.now() == 3s);
}

// ---------------------------------------------------------------------------
// Cancelling a task that waits in as_completed raises CancelledError there
// (Queue.get's getter is cancelled); the child is cancelled only at exit.
//
//   async def slow():
//       try: await asyncio.sleep(1); print("slow finished"); return 1
//       except asyncio.CancelledError: print("slow cancelled"); raise
//   async def canceller(m):
//       await asyncio.sleep(0.1); print("cancel main:", m.cancel())
//   async def main():
//       t = asyncio.create_task(slow())
//       asyncio.create_task(canceller(asyncio.current_task()))
//       try:
//           for f in asyncio.as_completed([t]): print("got", await f)
//           print("main finished normally")
//       except asyncio.CancelledError:
//           print("main cancelled at as_completed"); raise
//   try: asyncio.run(main())
//   except asyncio.CancelledError: print("run raised CancelledError")

namespace {

Coro<int> ac_slow() {
  try {
    co_await sleep(1s);
  } catch (const CancelledError&) {
    print("slow cancelled");
    throw;
  }
  print("slow finished");
  co_return 1;
}

Coro<void> ac_canceller(Task<void> main) {
  co_await sleep(100ms);
  print("cancel main: {}", py(main.cancel()));
}

Coro<void> ac_main(Task<void>* self) {
  std::vector<Task<int>> tasks{create_task(ac_slow())};
  create_task(ac_canceller(*self));
  try {
    for (auto next : as_completed(std::move(tasks)))
      print("got {}", co_await next);
    print("main finished normally");
  } catch (const CancelledError&) {
    print("main cancelled at as_completed");
    throw;
  }
}

// Runs ac_main as a task of its own, so the canceller has a handle to it.
Coro<void> ac_outer() {
  Task<void> main;
  main = create_task(ac_main(&main), "inner-main");
  co_await main;
}

} // namespace

TEST_CASE("cancelling a task that waits in as_completed raises CancelledError there") {
  test::RecordedLoop loop;
  CHECK_THROWS_AS(loop.run(ac_outer()), CancelledError);
  CHECK(printed(loop) ==
        joined({"cancel main: True", "main cancelled at as_completed", "slow cancelled"}));
  CHECK(loop.now() == 100ms);
}

// ---------------------------------------------------------------------------
// A done callback that throws is reported; the loop and the awaiter go on.
//
//   async def quick(): await asyncio.sleep(0.01); return 1
//   async def main():
//       t = asyncio.create_task(quick())
//       def cb(f): raise RuntimeError("callback failed")
//       t.add_done_callback(cb)
//       await t
//       print("main: after await")
//       await asyncio.sleep(0.1)
//       print("main: end")
//   asyncio.run(main())   # logs "Exception in callback ..." and goes on

TEST_CASE("a done callback that throws is reported and the loop goes on") {
  test::RecordedLoop loop;
  loop.run([]() -> Coro<void> {
    auto t = create_task([]() -> Coro<int> {
      co_await sleep(10ms);
      co_return 1;
    }());
    t.add_done_callback([](Task<int>&) { throw std::runtime_error("callback failed"); });
    co_await t;
    print("main: after await");
    co_await sleep(100ms);
    print("main: end");
  }());
  CHECK(printed(loop) == joined({"main: after await", "main: end"}));
  CHECK(loop.now() == 110ms);
}

// ---------------------------------------------------------------------------
// A run that deadlocks (a task ignores its cancellation and waits forever)
// raises DeadlockError; the loop then frees everything it still held. Under
// the sanitizer build, LeakSanitizer fails this test if anything leaks: the
// gather of the clean-up and the as_completed queue both hold the task.

namespace {

Coro<int> dl_one() {
  co_await sleep(10ms);
  co_return 1;
}

Coro<void> dl_stubborn(Task<int> keep) {
  auto ac = as_completed(std::vector<Task<int>>{keep});
  co_await ac.next();
  for (;;) {
    try {
      co_await ac.next(); // nothing will ever come
    } catch (const CancelledError&) {
      print("stubborn: cancelled, waiting again");
    }
  }
}

Coro<void> dl_main() {
  auto one = create_task(dl_one());
  create_task(dl_stubborn(one));
  co_await sleep(50ms);
  print("main exit");
}

} // namespace

TEST_CASE("a deadlocked run raises DeadlockError and the loop frees what it held") {
  {
    test::RecordedLoop loop;
    CHECK_THROWS_AS(loop.run(dl_main()), DeadlockError);
    CHECK(printed(loop) == joined({"main exit", "stubborn: cancelled, waiting again"}));
    CHECK(loop.pending_tasks() == 1);
  }
}

// A deadlock under asyncio.wait ends as one under gather does: the same
// DeadlockError, after the same clean-up. Main, cancelled first, is done
// before the task it waited on has finished cancelling; its own stop
// callback (asyncio.run's, from the run it was in) must not cut the clean-up
// short ("the loop stopped before the future was done").

namespace {

Coro<void> dl_gate_waiter(std::shared_ptr<Event> gate) {
  try {
    co_await gate->wait();
  } catch (const CancelledError&) {
    print("waiter: cancelled");
  }
  co_await sleep(1s); // its clean-up takes a while
  print("waiter: cleaned up");
}

Coro<void> dl_gate_under(bool under_wait) {
  // Never set; held by the waiter too, which runs on after main has ended.
  auto gate = std::make_shared<Event>();
  auto waiter = create_task(dl_gate_waiter(gate), "waiter");
  std::vector<Task<void>> tasks{waiter};
  if (under_wait)
    co_await wait(tasks);
  else
    co_await gather(tasks);
}

} // namespace

TEST_CASE("a deadlock under wait ends as one under gather: DeadlockError, after the clean-up") {
  for (const bool under_wait : {false, true}) {
    CAPTURE(under_wait);
    test::RecordedLoop loop;
    CHECK_THROWS_AS(loop.run(dl_gate_under(under_wait)), DeadlockError);
    CHECK(printed(loop) == joined({"waiter: cancelled", "waiter: cleaned up"}));
    CHECK(loop.now() == 1s);
    CHECK(loop.pending_tasks() == 0);
  }
}

// ---------------------------------------------------------------------------
// catches_nothing: a task whose own coroutine catches nothing is cancelled by
// destroying its frame, not by throwing through it. Nothing may tell the two
// apart: the same prints, callbacks, awaiter's CancelledError, destructors
// and recorded events as the same coroutine without it.

namespace {

struct Guard { // a local whose destructor says when the frame went
  ~Guard() { print("guard destroyed at {:.1f}", el()); }
};

template <bool Quiet> Coro<int> quiet_sleeper() {
  if constexpr (Quiet) co_await catches_nothing{};
  Guard g;
  co_await sleep(10s);
  co_return 1;
}

template <bool Quiet> Coro<void> quiet_main() {
  auto t = create_task(quiet_sleeper<Quiet>(), "sleeper");
  t.add_done_callback([](Task<int>& x) { print("callback: cancelled={}", py(x.cancelled())); });
  co_await sleep(1s);
  print("cancel {}", py(t.cancel()));
  try {
    co_await t;
  } catch (const CancelledError&) {
    print("await raised CancelledError at {:.1f}", el());
  }
  // Awaited inline, it is not the task's own coroutine: CancelledError is
  // thrown through it as ever, and the catch here sees it.
  auto u = create_task(
      []() -> Coro<void> {
        try {
          co_await quiet_sleeper<true>();
        } catch (const CancelledError&) {
          print("inline caught CancelledError");
          throw;
        }
      }(),
      "outer");
  co_await sleep(1s);
  u.cancel();
  try {
    co_await u;
  } catch (const CancelledError&) {
    print("outer cancelled={}", py(u.cancelled()));
  }
}

} // namespace

TEST_CASE("catches_nothing: a cancelled task ends as if CancelledError had been thrown") {
  test::RecordedLoop thrown, destroyed;
  thrown.run(quiet_main<false>());
  destroyed.run(quiet_main<true>());
  const auto expected = joined({
      "cancel True",
      "guard destroyed at 1.0",
      "callback: cancelled=True",
      "await raised CancelledError at 1.0",
      "guard destroyed at 2.0",
      "inline caught CancelledError",
      "outer cancelled=True",
  });
  CHECK(printed(thrown) == expected);
  CHECK(printed(destroyed) == expected);
  REQUIRE(thrown.recorder().events().size() == destroyed.recorder().events().size());
  for (std::size_t i = 0; i < thrown.recorder().events().size(); ++i) {
    const auto& a = thrown.recorder().events()[i];
    const auto& b = destroyed.recorder().events()[i];
    CHECK(a.time == b.time);
    CHECK(a.task == b.task);
    CHECK(a.kind == b.kind);
    CHECK(a.text == b.text);
  }
}

// ---------------------------------------------------------------------------
// `await coro()` that ends without suspending, a million times in a row: the
// caller goes on at once, at one stack frame. (With a symmetric transfer that
// the compiler does not make a tail call, as GCC under AddressSanitizer does
// not, this overflowed the stack: the sanitized build is where it fails.)

namespace {
Coro<int> at_once(int i) {
  co_return i;
}

Coro<long> sum_at_once(int n) {
  long sum = 0;
  for (int i = 0; i < n; ++i)
    sum += co_await at_once(i);
  co_return sum;
}

Coro<> await_many_at_once(long& out) {
  out = co_await sum_at_once(1'000'000);
}
} // namespace

TEST_CASE("a million awaits of coroutines that end at once use no stack") {
  test::RecordedLoop loop;
  long sum = 0;
  loop.run(await_many_at_once(sum));
  CHECK(sum == 499'999'500'000L);
  CHECK(loop.now() == 0s);
}

// ---------------------------------------------------------------------------
// Task.cancel(msg): the message rides on the CancelledError thrown in, and
// awaiting the task raises that very error once (later ones get a new
// CancelledError without it); a second cancel() before the task runs keeps
// the first message; a task cancelled before it starts raises its message
// to whoever awaits it; gather passes a cancelled child's error on.
//
//   async def sleeper():
//       try:
//           await asyncio.sleep(10)
//       except asyncio.CancelledError as e:
//           print("caught", repr(e)); raise
//   async def main():
//       t = asyncio.create_task(sleeper()); await asyncio.sleep(0)
//       t.cancel("stop"); t.cancel("again")
//       try: await t
//       except asyncio.CancelledError as e: print("awaited", repr(e))
//       try: t.result()
//       except asyncio.CancelledError as e: print("result", repr(e))
//       u = asyncio.create_task(sleeper()); u.cancel("early")
//       try: await u
//       except asyncio.CancelledError as e: print("early", repr(e))
//       v = asyncio.create_task(sleeper()); await asyncio.sleep(0)
//       v.cancel("in gather")
//       try: await asyncio.gather(v)
//       except asyncio.CancelledError as e: print("gather", repr(e))

namespace {
Coro<void> message_sleeper() {
  try {
    co_await sleep(10s);
  } catch (const CancelledError&) {
    print("caught {}", python_repr(std::current_exception()));
    throw;
  }
}

template <class Aw> Coro<void> print_cancel(std::string what, Aw aw) {
  try {
    co_await std::move(aw);
  } catch (const CancelledError&) {
    print("{} {}", what, python_repr(std::current_exception()));
  }
}

Coro<void> cancel_message_main() {
  const std::string stop = "stop", again = "again", early = "early", in_gather = "in gather";
  auto t = create_task(message_sleeper());
  co_await sleep(0s);
  t.cancel(&stop);
  t.cancel(&again);
  co_await print_cancel("awaited", t);
  try {
    t.result();
  } catch (const CancelledError&) {
    print("result {}", python_repr(std::current_exception()));
  }
  auto u = create_task(message_sleeper());
  u.cancel(&early);
  co_await print_cancel("early", u);
  auto v = create_task(message_sleeper());
  co_await sleep(0s);
  v.cancel(&in_gather);
  co_await print_cancel("gather", gather(v));
}
} // namespace

TEST_CASE("cancel(msg): the CancelledError carries the message, as CPython 3.11's does") {
  test::RecordedLoop loop;
  loop.run(cancel_message_main());
  CHECK(printed(loop) == joined({
                             "caught CancelledError('stop')",
                             "awaited CancelledError('stop')",
                             "result CancelledError()",
                             "early CancelledError('early')",
                             "caught CancelledError('in gather')",
                             "gather CancelledError('in gather')",
                         }));
}

// ---------------------------------------------------------------------------
// as_completed(timeout=): what is not in by then raises TimeoutError, the
// children go on, and one that ends later is not handed out.
//
//   async def job(n, d): await asyncio.sleep(d); print("job", n); return n
//   async def main():
//       for f in asyncio.as_completed([job(1, 0.3), job(2, 0.1)], timeout=0.2):
//           try: print("got", await f)
//           except asyncio.TimeoutError: print("timed out")
//       await asyncio.sleep(1)

namespace {
Coro<int> timeout_job(int n, Duration d) {
  co_await sleep(d);
  print("job {}", n);
  co_return n;
}

Coro<void> as_completed_timeout_main() {
  std::vector<Coro<int>> jobs;
  jobs.push_back(timeout_job(1, 300ms));
  jobs.push_back(timeout_job(2, 100ms));
  auto ac = as_completed(std::move(jobs));
  ac.set_timeout(200ms);
  for (auto next : ac) {
    try {
      print("got {}", co_await std::move(next));
    } catch (const TimeoutError&) {
      print("timed out");
    }
  }
  co_await sleep(1s);
}
} // namespace

TEST_CASE("as_completed with a timeout: TimeoutError for what is not in, the children go on") {
  test::RecordedLoop loop;
  loop.run(as_completed_timeout_main());
  CHECK(printed(loop) == joined({"job 2", "got 2", "timed out", "job 1"}));
  CHECK(loop.now() == 1200ms);
}
