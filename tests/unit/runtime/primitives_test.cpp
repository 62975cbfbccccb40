// The rules of asyncio's primitives and their kin, one test each, on the virtual clock:
// Lock, Semaphore and BoundedSemaphore, Event, Queue, wait_for,
// asyncio.timeout, TaskGroup, wait, shield, gather(return_exceptions=True),
// a task exception never retrieved, to_thread. Each expected line list is
// what CPython 3.11.7 prints for the Python program in the comment above
// its coroutines (run with tests/python/virtual_clock.py; `el()` is
// loop.time(), 0 when the program starts). Each is built so that it fails
// when its rule breaks: who wakes first, what happens to a waiter woken
// and cancelled before it runs, which hop a wake-up takes.
#include "../test_support.hpp"
#include "asyncdemo/asyncdemo.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <map>
#include <string>
#include <thread>
#include <vector>

using namespace asyncdemo;
using namespace std::chrono_literals;
using namespace asyncdemo::test;

namespace {

std::string names_of(const std::vector<Task<std::string>>& ts) {
  std::vector<std::string> names;
  for (const auto& t : ts)
    names.push_back("'" + t.name() + "'");
  std::sort(names.begin(), names.end());
  return fmt::format("[{}]", fmt::join(names, ", "));
}

Coro<> cancel_after(Task<> t, double delay) {
  co_await sleep(delay);
  t.cancel();
}

// ---------------------------------------------------------------------------
// Lock: waiters take it in the order they came; release() hands it to the
// first one still waiting, and a task that asks meanwhile (the lock looks
// free) queues behind it. A waiter woken and cancelled before it runs
// passes the lock on; one cancelled while it waits just leaves the line.
//
//   async def worker(name, lock, hold):
//       print(f"{name} wants it at {el():.1f}")
//       try:
//           async with lock:
//               print(f"{name} has it at {el():.1f}")
//               await asyncio.sleep(hold)
//           print(f"{name} let go at {el():.1f}")
//       except asyncio.CancelledError:
//           print(f"{name} cancelled at {el():.1f}, locked={lock.locked()}")
//           raise
//   async def canceller(t, delay):
//       await asyncio.sleep(delay); print(f"cancel {t.get_name()} at {el():.1f}"); t.cancel()
//   async def late(lock):
//       await asyncio.sleep(1)   # due with a's release: runs after it
//       print(f"late wants it at {el():.1f}, locked={lock.locked()}")
//       async with lock: print(f"late has it at {el():.1f}")
//   async def main():
//       lock = asyncio.Lock()
//       a, b, c, d = (asyncio.create_task(worker(n, lock, 1), name=n) for n in "abcd")
//       x = asyncio.create_task(canceller(b, 1))     # b woken at 1, cancelled before it runs
//       y = asyncio.create_task(late(lock))
//       z = asyncio.create_task(canceller(d, 1.5))   # d cancelled while it waits
//       await asyncio.gather(a, c, x, y, z, return_exceptions=True)
//       await asyncio.gather(b, d, return_exceptions=True)
//       try: lock.release()
//       except RuntimeError as e: print(f"release: RuntimeError: {e}")

Coro<> lock_worker(std::string name, Lock& lock, double hold) {
  print("{} wants it at {:.1f}", name, el());
  try {
    co_await lock.acquire();
    print("{} has it at {:.1f}", name, el());
    std::exception_ptr error;
    try {
      co_await sleep(hold);
    } catch (...) {
      error = std::current_exception();
    }
    lock.release();
    if (error) std::rethrow_exception(error);
    print("{} let go at {:.1f}", name, el());
  } catch (const CancelledError&) {
    print("{} cancelled at {:.1f}, locked={}", name, el(), py(lock.locked()));
    throw;
  }
}

Coro<> lock_canceller(Task<> t, double delay) {
  co_await sleep(delay);
  print("cancel {} at {:.1f}", t.name(), el());
  t.cancel();
}

Coro<> lock_late_body() {
  print("late has it at {:.1f}", el());
  co_return;
}

Coro<> lock_late(Lock& lock) {
  co_await sleep(1s);
  print("late wants it at {:.1f}, locked={}", el(), py(lock.locked()));
  co_await with(lock, lock_late_body());
}

Coro<> lock_main() {
  Lock lock;
  auto a = create_task(lock_worker("a", lock, 1), "a");
  auto b = create_task(lock_worker("b", lock, 1), "b");
  auto c = create_task(lock_worker("c", lock, 1), "c");
  auto d = create_task(lock_worker("d", lock, 1), "d");
  auto x = create_task(lock_canceller(b, 1));
  auto y = create_task(lock_late(lock));
  auto z = create_task(lock_canceller(d, 1.5));
  // (Lists made apart: g++ 12 cannot keep a braced list alive across an await.)
  std::vector<Task<>> first{a, c, x, y, z}, then{b, d};
  co_await gather(std::move(first), return_exceptions);
  co_await gather(std::move(then), return_exceptions);
  try {
    lock.release();
  } catch (const RuntimeError& e) {
    print("release: RuntimeError: {}", e.what());
  }
}

// ---------------------------------------------------------------------------
// Semaphore: at most `value` holders; release() gives the place straight to
// the first waiter (CPython 3.11.7 takes it for the waiter at once). A
// waiter given a place and cancelled before it runs gives it on to the
// next. BoundedSemaphore refuses a release above its start.
//
//   async def worker(name, sem, hold):
//       try:
//           async with sem:
//               print(f"{name} in at {el():.1f}"); await asyncio.sleep(hold)
//           print(f"{name} out at {el():.1f}")
//       except asyncio.CancelledError:
//           print(f"{name} cancelled at {el():.1f}"); raise
//   async def canceller(t, delay): await asyncio.sleep(delay); t.cancel()
//   async def main():
//       sem = asyncio.Semaphore(2)
//       ts = [asyncio.create_task(worker(n, sem, h), name=n)
//             for n, h in (("a", 1), ("b", 2), ("c", 1), ("d", 1), ("e", 1))]
//       x = asyncio.create_task(canceller(ts[2], 1))   # c: given a's place at 1, cancelled first
//       await asyncio.gather(*ts, x, return_exceptions=True)
//       print(f"value {sem._value} locked={sem.locked()}")
//       bounded = asyncio.BoundedSemaphore(1)
//       async with bounded: print(f"bounded locked={bounded.locked()}")
//       try: bounded.release()
//       except ValueError as e: print(f"release: ValueError: {e}")

Coro<> sem_body(std::string name, double hold) {
  print("{} in at {:.1f}", name, el());
  co_await sleep(hold);
}

Coro<> sem_worker(std::string name, Semaphore& sem, double hold) {
  try {
    co_await with(sem, sem_body(name, hold));
    print("{} out at {:.1f}", name, el());
  } catch (const CancelledError&) {
    print("{} cancelled at {:.1f}", name, el());
    throw;
  }
}

Coro<> bounded_body(BoundedSemaphore& s) {
  print("bounded locked={}", py(s.locked()));
  co_return;
}

Coro<> sem_main() {
  Semaphore sem(2);
  std::vector<Task<>> ts;
  const std::vector<std::pair<std::string, double>> holds{
      {"a", 1}, {"b", 2}, {"c", 1}, {"d", 1}, {"e", 1}};
  for (const auto& [n, h] : holds)
    ts.push_back(create_task(sem_worker(n, sem, h), n));
  auto all = ts;
  all.push_back(create_task(cancel_after(ts[2], 1)));
  co_await gather(std::move(all), return_exceptions);
  print("value {} locked={}", sem.value(), py(sem.locked()));
  BoundedSemaphore bounded(1);
  co_await with(bounded, bounded_body(bounded));
  try {
    bounded.release();
  } catch (const ValueError& e) {
    print("release: ValueError: {}", e.what());
  }
}

// ---------------------------------------------------------------------------
// Event: set() wakes every waiter, in the order they began to wait, each a
// turn later; a wait() on a set event returns at once; a set() and clear()
// in one go still wakes the waiters it found.
//
//   async def waiter(name, ev):
//       print(f"{name} waits at {el():.1f}"); await ev.wait(); print(f"{name} goes at {el():.1f}")
//   async def main():
//       ev = asyncio.Event()
//       ts = [asyncio.create_task(waiter(n, ev)) for n in ("a", "b", "c")]
//       await asyncio.sleep(1)
//       print("set"); ev.set(); print(f"is_set={ev.is_set()}")
//       t = asyncio.create_task(waiter("d", ev))  # set already: no wait
//       await asyncio.sleep(0); print("main after one turn")
//       await asyncio.gather(*ts, t)
//       ev.clear()
//       e = asyncio.create_task(waiter("e", ev))
//       await asyncio.sleep(1)
//       ev.set(); ev.clear()
//       await e

Coro<> event_waiter(std::string name, Event& ev) {
  print("{} waits at {:.1f}", name, el());
  co_await ev.wait();
  print("{} goes at {:.1f}", name, el());
}

Coro<> event_main() {
  Event ev;
  std::vector<Task<>> ts;
  for (const char* n : {"a", "b", "c"})
    ts.push_back(create_task(event_waiter(n, ev)));
  co_await sleep(1s);
  print("set");
  ev.set();
  print("is_set={}", py(ev.is_set()));
  ts.push_back(create_task(event_waiter("d", ev)));
  co_await sleep(0s);
  print("main after one turn");
  co_await gather(std::move(ts));
  ev.clear();
  auto e = create_task(event_waiter("e", ev));
  co_await sleep(1s);
  ev.set();
  ev.clear();
  co_await e;
}

// ---------------------------------------------------------------------------
// Queue: put() on a full queue waits; each get() makes room for the first
// waiting putter, each put() wakes the first waiting getter, a turn later;
// join() waits for a task_done() per item. get_nowait, put_nowait and
// task_done raise as CPython's do.
//
//   async def consumer(name, q):
//       try:
//           while True:
//               item = await q.get(); print(f"{name} got {item} at {el():.1f}")
//               await asyncio.sleep(1); q.task_done()
//       except asyncio.CancelledError:
//           print(f"{name} cancelled at {el():.1f}"); raise
//   async def producer(q):
//       for i in range(5):
//           await q.put(i); print(f"put {i} at {el():.1f} (size {q.qsize()})")
//   async def joiner(q): await q.join(); print(f"joined at {el():.1f}")
//   async def main():
//       q = asyncio.Queue(maxsize=2)
//       cs = [asyncio.create_task(consumer(n, q)) for n in ("c1", "c2")]
//       j = asyncio.create_task(joiner(q))        # nothing put yet: returns at once
//       await asyncio.sleep(0.5)
//       p = asyncio.create_task(producer(q)); await p
//       print(f"producer done at {el():.1f}")
//       await q.join(); print(f"main joined at {el():.1f}")
//       for c in cs: c.cancel()
//       await asyncio.gather(*cs, return_exceptions=True)
//       try: q.get_nowait()
//       except asyncio.QueueEmpty: print("get_nowait: QueueEmpty")
//       q.put_nowait("x"); q.put_nowait("y")
//       try: q.put_nowait("z")
//       except asyncio.QueueFull: print("put_nowait: QueueFull")
//       print(f"full={q.full()} unfinished={q._unfinished_tasks}")
//       q.get_nowait(); q.task_done(); q.get_nowait(); q.task_done()
//       try: q.task_done()
//       except ValueError as e: print(f"task_done: ValueError: {e}")

Coro<> consumer(std::string name, Queue<std::string>& q) {
  try {
    for (;;) {
      auto item = co_await q.get();
      print("{} got {} at {:.1f}", name, item, el());
      co_await sleep(1s);
      q.task_done();
    }
  } catch (const CancelledError&) {
    print("{} cancelled at {:.1f}", name, el());
    throw;
  }
}

Coro<> producer(Queue<std::string>& q) {
  for (int i = 0; i < 5; ++i) {
    co_await q.put(std::to_string(i));
    print("put {} at {:.1f} (size {})", i, el(), q.qsize());
  }
}

Coro<> joiner(Queue<std::string>& q) {
  co_await q.join();
  print("joined at {:.1f}", el());
}

Coro<> queue_main() {
  Queue<std::string> q(2);
  std::vector<Task<>> cs;
  cs.push_back(create_task(consumer("c1", q)));
  cs.push_back(create_task(consumer("c2", q)));
  auto j = create_task(joiner(q));
  co_await sleep(500ms);
  auto p = create_task(producer(q));
  co_await p;
  print("producer done at {:.1f}", el());
  co_await q.join();
  print("main joined at {:.1f}", el());
  for (auto& c : cs)
    c.cancel();
  co_await gather(std::move(cs), return_exceptions);
  try {
    q.get_nowait();
  } catch (const QueueEmpty&) {
    print("get_nowait: QueueEmpty");
  }
  q.put_nowait("x");
  q.put_nowait("y");
  try {
    q.put_nowait("z");
  } catch (const QueueFull&) {
    print("put_nowait: QueueFull");
  }
  print("full={} unfinished={}", py(q.full()), q.unfinished_tasks());
  q.get_nowait();
  q.task_done();
  q.get_nowait();
  q.task_done();
  try {
    q.task_done();
  } catch (const ValueError& e) {
    print("task_done: ValueError: {}", e.what());
  }
}

// A getter woken by a put, then cancelled before it runs, hands the
// wake-up on to the next getter; putters get room in the order they came.
//
//   async def getter(name, q):
//       try:
//           item = await q.get(); print(f"{name} got {item} at {el():.1f}")
//       except asyncio.CancelledError:
//           print(f"{name} cancelled at {el():.1f}"); raise
//   async def main():
//       q = asyncio.Queue()
//       g1 = asyncio.create_task(getter("g1", q)); g2 = asyncio.create_task(getter("g2", q))
//       await asyncio.sleep(1)
//       q.put_nowait("item"); g1.cancel()
//       await asyncio.gather(g1, g2, return_exceptions=True)
//       q2 = asyncio.Queue(1); q2.put_nowait(0)
//       async def putter(name, v):
//           await q2.put(v); print(f"{name} put {v} at {el():.1f}")
//       ps = [asyncio.create_task(putter(n, v)) for n, v in (("p1", 1), ("p2", 2))]
//       await asyncio.sleep(1)
//       print(f"got {q2.get_nowait()}"); await asyncio.sleep(0)
//       print(f"got {await q2.get()}"); await asyncio.sleep(0)
//       print(f"got {await q2.get()}")
//       await asyncio.gather(*ps)

Coro<> getter(std::string name, Queue<std::string>& q) {
  try {
    auto item = co_await q.get();
    print("{} got {} at {:.1f}", name, item, el());
  } catch (const CancelledError&) {
    print("{} cancelled at {:.1f}", name, el());
    throw;
  }
}

Coro<> putter(std::string name, Queue<int>& q, int v) {
  co_await q.put(v);
  print("{} put {} at {:.1f}", name, v, el());
}

Coro<> queue_handover_main() {
  Queue<std::string> q;
  auto g1 = create_task(getter("g1", q));
  auto g2 = create_task(getter("g2", q));
  co_await sleep(1s);
  q.put_nowait("item");
  g1.cancel();
  std::vector<Task<>> getters{g1, g2};
  co_await gather(std::move(getters), return_exceptions);
  Queue<int> q2(1);
  q2.put_nowait(0);
  std::vector<Task<>> ps;
  ps.push_back(create_task(putter("p1", q2, 1)));
  ps.push_back(create_task(putter("p2", q2, 2)));
  co_await sleep(1s);
  print("got {}", q2.get_nowait());
  co_await sleep(0s);
  print("got {}", co_await q2.get());
  co_await sleep(0s);
  print("got {}", co_await q2.get());
  co_await gather(std::move(ps));
}

// ---------------------------------------------------------------------------
// wait_for: the result comes a turn after the task ends (through its
// waiter); at the deadline the task is cancelled and wait_for waits until
// it has finished cancelling (here: a sleep in its `finally`), then raises
// TimeoutError; a timeout of 0 cancels a task that never started.
//
//   async def job(name, d, cleanup=0):
//       try:
//           print(f"{name} starts at {el():.1f}")
//           await asyncio.sleep(d); print(f"{name} done at {el():.1f}"); return name
//       except asyncio.CancelledError:
//           print(f"{name} cancelled at {el():.1f}"); raise
//       finally:
//           if cleanup:
//               await asyncio.sleep(cleanup)      # blocked in its finally
//               print(f"{name} cleaned up at {el():.1f}")
//   async def ticker():
//       for i in range(4): await asyncio.sleep(1); print(f"tick {i + 1} at {el():.1f}")
//   async def main():
//       t = asyncio.create_task(ticker())
//       r = await asyncio.wait_for(job("quick", 1), timeout=2)
//       print(f"quick gave {r} at {el():.1f}")
//       try: await asyncio.wait_for(job("slow", 5, cleanup=0.5), timeout=1)
//       except TimeoutError: print(f"slow: TimeoutError at {el():.1f}")
//       try: await asyncio.wait_for(job("zero", 1), timeout=0)
//       except TimeoutError: print(f"zero: TimeoutError at {el():.1f}")
//       await t

Coro<std::string> wf_job(std::string name, double d, double cleanup = 0) {
  std::exception_ptr error;
  try {
    print("{} starts at {:.1f}", name, el());
    co_await sleep(d);
    print("{} done at {:.1f}", name, el());
  } catch (const CancelledError&) {
    print("{} cancelled at {:.1f}", name, el());
    error = std::current_exception();
  }
  if (cleanup > 0) { // finally, spelt out: C++ cannot co_await in a handler
    co_await sleep(cleanup);
    print("{} cleaned up at {:.1f}", name, el());
  }
  if (error) std::rethrow_exception(error);
  co_return name;
}

Coro<> ticker() {
  for (int i = 0; i < 4; ++i) {
    co_await sleep(1s);
    print("tick {} at {:.1f}", i + 1, el());
  }
}

Coro<> wait_for_main() {
  auto t = create_task(ticker());
  auto r = co_await wait_for(wf_job("quick", 1), 2s);
  print("quick gave {} at {:.1f}", r, el());
  try {
    co_await wait_for(wf_job("slow", 5, 0.5), 1s);
  } catch (const TimeoutError&) {
    print("slow: TimeoutError at {:.1f}", el());
  }
  try {
    co_await wait_for(wf_job("zero", 1), 0s);
  } catch (const TimeoutError&) {
    print("zero: TimeoutError at {:.1f}", el());
  }
  co_await t;
}

// The waiting task cancelled: the inner task is cancelled too, and the
// waiter raises CancelledError once it has finished. An inner task that
// refuses its cancellation gives its result instead of TimeoutError.
//
//   async def inner():
//       try: await asyncio.sleep(5)
//       except asyncio.CancelledError: print(f"inner cancelled at {el():.1f}"); raise
//   async def outer():
//       try: await asyncio.wait_for(inner(), timeout=3)
//       except asyncio.CancelledError: print(f"outer cancelled at {el():.1f}"); raise
//   async def stubborn():
//       try: await asyncio.sleep(5)
//       except asyncio.CancelledError: print(f"stubborn ignores it at {el():.1f}")
//       return "stubborn result"
//   async def main():
//       t = asyncio.create_task(outer())
//       await asyncio.sleep(1); t.cancel()
//       try: await t
//       except asyncio.CancelledError: print(f"main: outer cancelled at {el():.1f}")
//       r = await asyncio.wait_for(stubborn(), timeout=1)
//       print(f"got {r!r} at {el():.1f}")

Coro<> wf_inner() {
  try {
    co_await sleep(5s);
  } catch (const CancelledError&) {
    print("inner cancelled at {:.1f}", el());
    throw;
  }
}

Coro<> wf_outer() {
  try {
    co_await wait_for(wf_inner(), 3s);
  } catch (const CancelledError&) {
    print("outer cancelled at {:.1f}", el());
    throw;
  }
}

Coro<std::string> wf_stubborn() {
  try {
    co_await sleep(5s);
  } catch (const CancelledError&) {
    print("stubborn ignores it at {:.1f}", el());
  }
  co_return "stubborn result";
}

Coro<> wait_for_cancel_main() {
  auto t = create_task(wf_outer());
  co_await sleep(1s);
  t.cancel();
  try {
    co_await t;
  } catch (const CancelledError&) {
    print("main: outer cancelled at {:.1f}", el());
  }
  auto r = co_await wait_for(wf_stubborn(), 1s);
  print("got '{}' at {:.1f}", r, el());
}

// ---------------------------------------------------------------------------
// asyncio.timeout: at the deadline the body is cancelled at its await; on
// the way out the CancelledError becomes TimeoutError. Nested, only the
// timeout that expired converts; a body that swallows the cancellation
// leaves no error (but expired()); a deadline already past cancels the
// body at its first await. Each takes back its own cancellation request.
//
//   async def work(name, d):
//       try:
//           print(f"{name} works at {el():.1f}"); await asyncio.sleep(d)
//           print(f"{name} finished at {el():.1f}")
//       except asyncio.CancelledError:
//           print(f"{name} sees CancelledError at {el():.1f}"); raise
//   async def main():
//       async with asyncio.timeout(2) as cm: await work("fast", 1)
//       print(f"fast: expired={cm.expired()}")
//       try:
//           async with asyncio.timeout(1) as cm: await work("slow", 3)
//       except TimeoutError: print(f"slow: TimeoutError at {el():.1f}, expired={cm.expired()}")
//       try:
//           async with asyncio.timeout(5):
//               try:
//                   async with asyncio.timeout(1): await work("inner", 3)
//               except TimeoutError: print(f"inner: TimeoutError at {el():.1f}")
//               await work("after", 1)
//       except TimeoutError: print("outer: TimeoutError (wrong)")
//       async with asyncio.timeout(1) as cm:
//           try: await asyncio.sleep(3)
//           except asyncio.CancelledError: print(f"swallowed at {el():.1f}")
//       print(f"swallow: expired={cm.expired()}")
//       try:
//           async with asyncio.timeout(-1):
//               print("past: body runs"); await asyncio.sleep(0); print("past: never")
//       except TimeoutError: print(f"past: TimeoutError at {el():.1f}")
//   async def outer():
//       t = asyncio.create_task(main()); await t
//       print(f"cancelling={t.cancelling()}")

Coro<> work(std::string name, double d) {
  try {
    print("{} works at {:.1f}", name, el());
    co_await sleep(d);
    print("{} finished at {:.1f}", name, el());
  } catch (const CancelledError&) {
    print("{} sees CancelledError at {:.1f}", name, el());
    throw;
  }
}

Coro<> inner_then_after() {
  try {
    co_await timeout(1s, work("inner", 3));
  } catch (const TimeoutError&) {
    print("inner: TimeoutError at {:.1f}", el());
  }
  co_await work("after", 1);
}

Coro<> swallow() {
  try {
    co_await sleep(3s);
  } catch (const CancelledError&) {
    print("swallowed at {:.1f}", el());
  }
}

Coro<> past_body() {
  print("past: body runs");
  co_await sleep(0s);
  print("past: never");
}

Coro<> timeout_main() {
  {
    Timeout cm(now() + 2s);
    cm.enter();
    std::exception_ptr e;
    try {
      co_await work("fast", 1);
    } catch (...) {
      e = std::current_exception();
    }
    cm.exit(e);
    print("fast: expired={}", py(cm.expired()));
  }
  {
    Timeout cm(now() + 1s);
    cm.enter();
    std::exception_ptr e;
    try {
      co_await work("slow", 3);
    } catch (...) {
      e = std::current_exception();
    }
    try {
      cm.exit(e);
    } catch (const TimeoutError&) {
      print("slow: TimeoutError at {:.1f}, expired={}", el(), py(cm.expired()));
    }
  }
  try {
    co_await timeout(5s, inner_then_after());
  } catch (const TimeoutError&) {
    print("outer: TimeoutError (wrong)");
  }
  {
    Timeout cm(now() + 1s);
    cm.enter();
    co_await swallow();
    cm.exit(nullptr);
    print("swallow: expired={}", py(cm.expired()));
  }
  try {
    co_await timeout(-1s, past_body());
  } catch (const TimeoutError&) {
    print("past: TimeoutError at {:.1f}", el());
  }
}

Coro<> timeout_outer() {
  auto t = create_task(timeout_main());
  co_await t;
  print("cancelling={}", t.cancelling());
}

// Cancelled from outside while a timeout is active (its own timer fires in
// the same turn): the CancelledError stays one, for the outer request is
// not taken back.
//
//   async def guarded():
//       try:
//           async with asyncio.timeout(1): await asyncio.sleep(3)
//       except TimeoutError: print("guarded: TimeoutError (wrong)")
//       except asyncio.CancelledError: print(f"guarded: CancelledError at {el():.1f}"); raise
//   async def main():
//       t = asyncio.create_task(guarded())
//       await asyncio.sleep(1)   # due with the timeout's own timer, set after it
//       t.cancel()
//       try: await t
//       except asyncio.CancelledError: print(f"main: guarded cancelled at {el():.1f}")

Coro<> nap(double d) {
  co_await sleep(d);
}

Coro<> guarded() {
  try {
    co_await timeout(1s, nap(3));
  } catch (const TimeoutError&) {
    print("guarded: TimeoutError (wrong)");
  } catch (const CancelledError&) {
    print("guarded: CancelledError at {:.1f}", el());
    throw;
  }
}

Coro<> timeout_outside_main() {
  auto t = create_task(guarded());
  co_await sleep(1s);
  t.cancel();
  try {
    co_await t;
  } catch (const CancelledError&) {
    print("main: guarded cancelled at {:.1f}", el());
  }
}

// ---------------------------------------------------------------------------
// TaskGroup: waits for all its tasks; the first failure cancels the others
// and the body (at its await); the failures come out together, as an
// ExceptionGroup, two failing in the same turn both in it, in the order
// they ended; an error of the body joins them; a cancellation from
// outside cancels the children and stays a CancelledError.
//
//   async def child(name, d, fail=False):
//       try:
//           print(f"{name} starts"); await asyncio.sleep(d)
//           if fail:
//               print(f"{name} fails at {el():.1f}"); raise ValueError(f"{name} failed")
//           print(f"{name} done at {el():.1f}"); return name
//       except asyncio.CancelledError:
//           print(f"{name} cancelled at {el():.1f}"); raise
//   async def main():
//       async with asyncio.TaskGroup() as tg:
//           a = tg.create_task(child("a", 1)); b = tg.create_task(child("b", 2))
//       print(f"all done at {el():.1f}: {a.result()} {b.result()}")
//       try:
//           async with asyncio.TaskGroup() as tg:
//               tg.create_task(child("ok", 1)); tg.create_task(child("bad", 2, fail=True))
//               tg.create_task(child("slow", 5))
//               print("body waits"); await asyncio.sleep(10); print("body never gets here")
//       except* ValueError as eg: print(f"caught {eg!r} at {el():.1f}")
//       try:
//           async with asyncio.TaskGroup() as tg:
//               tg.create_task(child("x", 1, fail=True)); tg.create_task(child("y", 1, fail=True))
//               tg.create_task(child("z", 3))
//       except* ValueError as eg: print(f"caught {eg!r} at {el():.1f}")
//       try:
//           async with asyncio.TaskGroup() as tg:
//               tg.create_task(child("w", 3)); await asyncio.sleep(1)
//               raise RuntimeError("body failed")
//       except* (ValueError, RuntimeError) as eg: print(f"caught {eg!r} at {el():.1f}")

Coro<std::string> child(std::string name, double d, bool fail = false) {
  try {
    print("{} starts", name);
    co_await sleep(d);
    if (fail) {
      print("{} fails at {:.1f}", name, el());
      throw ValueError(name + " failed");
    }
    print("{} done at {:.1f}", name, el());
    co_return name;
  } catch (const CancelledError&) {
    print("{} cancelled at {:.1f}", name, el());
    throw;
  }
}

Coro<> task_group_main() {
  {
    TaskGroup tg;
    auto a = tg.create_task(child("a", 1));
    auto b = tg.create_task(child("b", 2));
    co_await tg.exit();
    print("all done at {:.1f}: {} {}", el(), a.result(), b.result());
  }
  try {
    TaskGroup tg;
    std::exception_ptr body;
    try {
      tg.create_task(child("ok", 1));
      tg.create_task(child("bad", 2, true));
      tg.create_task(child("slow", 5));
      print("body waits");
      co_await sleep(10s);
      print("body never gets here");
    } catch (...) {
      body = std::current_exception();
    }
    co_await tg.exit(body);
  } catch (const ExceptionGroup&) {
    print("caught {} at {:.1f}", python_repr(std::current_exception()), el());
  }
  try {
    TaskGroup tg;
    tg.create_task(child("x", 1, true));
    tg.create_task(child("y", 1, true));
    tg.create_task(child("z", 3));
    co_await tg.exit();
  } catch (const ExceptionGroup&) {
    print("caught {} at {:.1f}", python_repr(std::current_exception()), el());
  }
  try {
    TaskGroup tg;
    std::exception_ptr body;
    try {
      tg.create_task(child("w", 3));
      co_await sleep(1s);
      throw RuntimeError("body failed");
    } catch (...) {
      body = std::current_exception();
    }
    co_await tg.exit(body);
  } catch (const ExceptionGroup&) {
    print("caught {} at {:.1f}", python_repr(std::current_exception()), el());
  }
}

//   async def child(name, d):
//       try: await asyncio.sleep(d); print(f"{name} done at {el():.1f}")
//       except asyncio.CancelledError: print(f"{name} cancelled at {el():.1f}"); raise
//   async def group():
//       try:
//           async with asyncio.TaskGroup() as tg:
//               tg.create_task(child("p", 5)); await asyncio.sleep(5)
//       except asyncio.CancelledError: print(f"group: CancelledError at {el():.1f}"); raise
//   async def main():
//       t = asyncio.create_task(group())
//       await asyncio.sleep(1); t.cancel()
//       try: await t
//       except asyncio.CancelledError: print(f"main: cancelled at {el():.1f}")

Coro<> quiet_child(std::string name, double d) {
  try {
    co_await sleep(d);
    print("{} done at {:.1f}", name, el());
  } catch (const CancelledError&) {
    print("{} cancelled at {:.1f}", name, el());
    throw;
  }
}

Coro<> group_cancelled() {
  try {
    TaskGroup tg;
    std::exception_ptr body;
    try {
      tg.create_task(quiet_child("p", 5));
      co_await sleep(5s);
    } catch (...) {
      body = std::current_exception();
    }
    co_await tg.exit(body);
  } catch (const CancelledError&) {
    print("group: CancelledError at {:.1f}", el());
    throw;
  }
}

Coro<> task_group_outside_main() {
  auto t = create_task(group_cancelled());
  co_await sleep(1s);
  t.cancel();
  try {
    co_await t;
  } catch (const CancelledError&) {
    print("main: cancelled at {:.1f}", el());
  }
}

// ---------------------------------------------------------------------------
// wait: FIRST_COMPLETED returns with every task done in that turn;
// FIRST_EXCEPTION at the first failure; ALL_COMPLETED when all are; a
// timeout returns with the rest pending, cancelling none.
//
//   async def job(name, d, fail=False):
//       await asyncio.sleep(d)
//       if fail: raise ValueError(name)
//       print(f"{name} done at {el():.1f}"); return name
//   def names(ts): return sorted(t.get_name() for t in ts)
//   async def main():
//       ts = [asyncio.create_task(job(n, d), name=n) for n, d in (("a", 2), ("b", 1), ("c", 1))]
//       done, pending = await asyncio.wait(ts, return_when=asyncio.FIRST_COMPLETED)
//       print(f"first: done={names(done)} pending={names(pending)} at {el():.1f}")
//       done, pending = await asyncio.wait(ts)
//       print(f"all: done={names(done)} pending={names(pending)} at {el():.1f}")
//       ts = [asyncio.create_task(job("d", 1), name="d"),
//             asyncio.create_task(job("e", 2, True), name="e"),
//             asyncio.create_task(job("f", 3), name="f")]
//       done, pending = await asyncio.wait(ts, return_when=asyncio.FIRST_EXCEPTION)
//       print(f"exception: done={names(done)} pending={names(pending)} at {el():.1f}")
//       done, pending = await asyncio.wait(pending, timeout=0.5)
//       print(f"timeout: done={names(done)} pending={names(pending)} at {el():.1f}")
//       done, pending = await asyncio.wait(pending)
//       print(f"rest: done={names(done)} at {el():.1f}")
//       try: await asyncio.wait([])
//       except ValueError as e: print(f"empty: ValueError: {e}")

Coro<std::string> wait_job(std::string name, double d, bool fail = false) {
  co_await sleep(d);
  if (fail) throw ValueError(name);
  print("{} done at {:.1f}", name, el());
  co_return name;
}

Coro<> wait_main() {
  std::vector<Task<std::string>> ts;
  for (auto [n, d] : std::vector<std::pair<std::string, double>>{{"a", 2}, {"b", 1}, {"c", 1}})
    ts.push_back(create_task(wait_job(n, d), n));
  auto first = co_await wait(ts, ReturnWhen::first_completed);
  print("first: done={} pending={} at {:.1f}", names_of(first.done), names_of(first.pending), el());
  auto all = co_await wait(ts);
  print("all: done={} pending={} at {:.1f}", names_of(all.done), names_of(all.pending), el());
  ts.clear();
  ts.push_back(create_task(wait_job("d", 1), "d"));
  ts.push_back(create_task(wait_job("e", 2, true), "e"));
  ts.push_back(create_task(wait_job("f", 3), "f"));
  auto exc = co_await wait(ts, ReturnWhen::first_exception);
  print("exception: done={} pending={} at {:.1f}", names_of(exc.done), names_of(exc.pending), el());
  auto timed = co_await wait(exc.pending, ReturnWhen::all_completed, 500ms);
  print("timeout: done={} pending={} at {:.1f}", names_of(timed.done), names_of(timed.pending),
        el());
  auto rest = co_await wait(timed.pending);
  print("rest: done={} at {:.1f}", names_of(rest.done), el());
  try {
    std::vector<Task<std::string>> none;
    co_await wait(std::move(none));
  } catch (const ValueError& e) {
    print("empty: ValueError: {}", e.what());
  }
}

// ---------------------------------------------------------------------------
// shield: cancelling the awaiter leaves the task running; cancelling the
// task cancels the shield; wait_for's timeout cancels only the shield.
//
//   async def important():
//       await asyncio.sleep(2); print(f"important done at {el():.1f}"); return 42
//   async def caller(t):
//       try: return await asyncio.shield(t)
//       except asyncio.CancelledError:
//           print(f"caller cancelled at {el():.1f}; task cancelled={t.cancelled()}"); raise
//   async def main():
//       t = asyncio.create_task(important()); c = asyncio.create_task(caller(t))
//       await asyncio.sleep(1); c.cancel()
//       await asyncio.gather(c, return_exceptions=True)
//       print(f"task result {await t} at {el():.1f}")
//       t2 = asyncio.create_task(important()); c2 = asyncio.create_task(caller(t2))
//       await asyncio.sleep(1); t2.cancel()
//       try: await c2
//       except asyncio.CancelledError: print(f"caller saw the task's cancellation at {el():.1f}")
//       try:
//           await asyncio.wait_for(asyncio.shield(t3 := asyncio.create_task(important())), 1)
//       except TimeoutError:
//           print(f"wait_for timed out at {el():.1f}, task cancelled={t3.cancelled()}")
//       print(f"shielded result {await t3} at {el():.1f}")

Coro<int> important() {
  co_await sleep(2s);
  print("important done at {:.1f}", el());
  co_return 42;
}

Coro<int> caller(Task<int> t) {
  try {
    co_return co_await shield(t);
  } catch (const CancelledError&) {
    print("caller cancelled at {:.1f}; task cancelled={}", el(), py(t.cancelled()));
    throw;
  }
}

Coro<int> await_future(Future<int> f) {
  co_return co_await f;
}

Coro<> shield_main() {
  auto t = create_task(important());
  auto c = create_task(caller(t));
  co_await sleep(1s);
  c.cancel();
  std::vector<Task<int>> callers{c};
  co_await gather(std::move(callers), return_exceptions);
  print("task result {} at {:.1f}", co_await t, el());
  auto t2 = create_task(important());
  auto c2 = create_task(caller(t2));
  co_await sleep(1s);
  t2.cancel();
  try {
    co_await c2;
  } catch (const CancelledError&) {
    print("caller saw the task's cancellation at {:.1f}", el());
  }
  auto t3 = create_task(important());
  try {
    co_await wait_for(await_future(shield(t3)), 1s);
  } catch (const TimeoutError&) {
    print("wait_for timed out at {:.1f}, task cancelled={}", el(), py(t3.cancelled()));
  }
  print("shielded result {} at {:.1f}", co_await t3, el());
}

// ---------------------------------------------------------------------------
// gather(return_exceptions=True): every outcome, in argument order, a
// failure or a cancellation as its exception; without it the first
// failure is raised at once while the others go on.
//
//   async def job(name, d, fail=False):
//       await asyncio.sleep(d)
//       if fail: print(f"{name} fails at {el():.1f}"); raise ValueError(f"{name} failed")
//       print(f"{name} done at {el():.1f}"); return name
//   async def main():
//       c = asyncio.create_task(job("c", 3))
//       rs = await asyncio.gather(job("a", 1), job("b", 2, True), c, return_exceptions=True)
//       print(f"results {rs} at {el():.1f}")
//       c2 = asyncio.create_task(job("c2", 3))
//       g = asyncio.gather(job("d", 1), c2, return_exceptions=True)
//       await asyncio.sleep(2); c2.cancel()
//       rs = await g
//       print(f"results {[type(r).__name__ if isinstance(r, BaseException) else r for r in rs]}"
//             f" at {el():.1f}")
//       try: await asyncio.gather(job("e", 1, True), job("f", 2))
//       except ValueError as e: print(f"gather raised {e} at {el():.1f}")
//       await asyncio.sleep(2)

Coro<std::string> gx_job(std::string name, double d, bool fail = false) {
  co_await sleep(d);
  if (fail) {
    print("{} fails at {:.1f}", name, el());
    throw ValueError(name + " failed");
  }
  print("{} done at {:.1f}", name, el());
  co_return name;
}

std::string outcomes(const std::vector<Outcome<std::string>>& rs, bool type_only) {
  std::vector<std::string> out;
  for (const auto& r : rs) {
    if (r.ok())
      out.push_back("'" + *r.value + "'");
    else if (type_only)
      out.push_back("'" + python_repr(r.error).substr(0, python_repr(r.error).find('(')) + "'");
    else
      out.push_back(python_repr(r.error));
  }
  return fmt::format("[{}]", fmt::join(out, ", "));
}

Coro<> gather_outcomes_main() {
  auto c = create_task(gx_job("c", 3));
  std::vector<Task<std::string>> three{create_task(gx_job("a", 1)),
                                       create_task(gx_job("b", 2, true)), c};
  auto rs = co_await gather(std::move(three), return_exceptions);
  print("results {} at {:.1f}", outcomes(rs, false), el());
  auto c2 = create_task(gx_job("c2", 3));
  std::vector<Task<std::string>> two{create_task(gx_job("d", 1)), c2};
  auto g = gather(std::move(two), return_exceptions);
  co_await sleep(2s);
  c2.cancel();
  rs = co_await g;
  print("results {} at {:.1f}", outcomes(rs, true), el());
  try {
    co_await gather(gx_job("e", 1, true), gx_job("f", 2));
  } catch (const ValueError& e) {
    print("gather raised {} at {:.1f}", e.what(), el());
  }
  co_await sleep(2s);
}

// ---------------------------------------------------------------------------
// A task exception never retrieved is reported when the run ends (CPython:
// "Task exception was never retrieved ... exception=ValueError('lost')",
// when the task is collected); one awaited, or asked for with exception(),
// is not.
//
//   async def boom(name): await asyncio.sleep(1); raise ValueError(name)
//   async def main():
//       seen = asyncio.create_task(boom("seen"))
//       asked = asyncio.create_task(boom("asked"))
//       lost = asyncio.create_task(boom("lost"))
//       await asyncio.sleep(2)
//       try: await seen
//       except ValueError: print("seen raised")
//       print(f"asked: {asked.exception()!r}")
//       print("main ends")

Coro<> boom(std::string name) {
  co_await sleep(1s);
  throw ValueError(name);
}

Coro<> unretrieved_main() {
  auto seen = create_task(boom("seen"), "seen");
  auto asked = create_task(boom("asked"), "asked");
  auto lost = create_task(boom("lost"), "lost");
  co_await sleep(2s);
  try {
    co_await seen;
  } catch (const ValueError&) {
    print("seen raised");
  }
  print("asked: {}", python_repr(asked.exception()));
  print("main ends");
}

// ---------------------------------------------------------------------------
// to_thread: the blocking work holds its worker thread, not the loop; its
// result arrives a turn before its awaiter runs, as a timer's would.
//
//   def blocking(name, d):
//       time.sleep(d); return f"{name} after {d}"
//   async def ticker():
//       for i in range(3): await asyncio.sleep(1); print(f"tick {i + 1} at {el():.1f}")
//   async def main():
//       t = asyncio.create_task(ticker())
//       r = await asyncio.to_thread(blocking, "work", 2.5)
//       print(f"got {r!r} at {el():.1f}")
//       rs = await asyncio.gather(asyncio.to_thread(blocking, "x", 1),
//                                 asyncio.to_thread(blocking, "y", 1))
//       print(f"got {rs} at {el():.1f}")
//       await t

std::string blocking(std::string name, double d) {
  block(d);
  return fmt::format("{} after {}", name, d);
}

Coro<std::string> in_thread(std::string name, double d) {
  // A named lambda: g++ 12 mishandles one made inside the await's expression.
  auto work = [name, d] { return blocking(name, d); };
  co_return co_await to_thread(std::move(work));
}

Coro<> tick3() {
  for (int i = 0; i < 3; ++i) {
    co_await sleep(1s);
    print("tick {} at {:.1f}", i + 1, el());
  }
}

Coro<> to_thread_main() {
  auto t = create_task(tick3());
  auto work = [] { return blocking("work", 2.5); };
  auto r = co_await to_thread(work);
  print("got '{}' at {:.1f}", r, el());
  auto [x, y] = co_await gather(in_thread("x", 1), in_thread("y", 1));
  print("got ['{}', '{}'] at {:.1f}", x, y, el());
  co_await t;
}

} // namespace

TEST_CASE("Lock: FIFO, no barging, a woken waiter cancelled passes it on") {
  test::RecordedLoop loop;
  loop.run(lock_main());
  CHECK(printed(loop) == joined({
                             "a wants it at 0.0",
                             "a has it at 0.0",
                             "b wants it at 0.0",
                             "c wants it at 0.0",
                             "d wants it at 0.0",
                             "a let go at 1.0",
                             "cancel b at 1.0",
                             "late wants it at 1.0, locked=False",
                             "b cancelled at 1.0, locked=False",
                             "c has it at 1.0",
                             "cancel d at 1.5",
                             "d cancelled at 1.5, locked=True",
                             "c let go at 2.0",
                             "late has it at 2.0",
                             "release: RuntimeError: Lock is not acquired.",
                         }));
  CHECK(loop.now() == 2s);
}

TEST_CASE("Semaphore: at most N, places handed on in order; BoundedSemaphore's bound") {
  test::RecordedLoop loop;
  loop.run(sem_main());
  CHECK(printed(loop) == joined({
                             "a in at 0.0",
                             "b in at 0.0",
                             "a out at 1.0",
                             "c cancelled at 1.0",
                             "d in at 1.0",
                             "b out at 2.0",
                             "d out at 2.0",
                             "e in at 2.0",
                             "e out at 3.0",
                             "value 2 locked=False",
                             "bounded locked=True",
                             "release: ValueError: BoundedSemaphore released too many times",
                         }));
  CHECK(loop.now() == 3s);
}

TEST_CASE("Event: set wakes every waiter in order, a turn later; wait on a set event is free") {
  test::RecordedLoop loop;
  loop.run(event_main());
  CHECK(printed(loop) == joined({
                             "a waits at 0.0",
                             "b waits at 0.0",
                             "c waits at 0.0",
                             "set",
                             "is_set=True",
                             "a goes at 1.0",
                             "b goes at 1.0",
                             "c goes at 1.0",
                             "d waits at 1.0",
                             "d goes at 1.0",
                             "main after one turn",
                             "e waits at 1.0",
                             "e goes at 2.0",
                         }));
}

TEST_CASE("Queue: maxsize, FIFO getters and putters, task_done and join, the nowait errors") {
  test::RecordedLoop loop;
  loop.run(queue_main());
  CHECK(printed(loop) == joined({
                             "joined at 0.0",
                             "put 0 at 0.5 (size 1)",
                             "put 1 at 0.5 (size 2)",
                             "c1 got 0 at 0.5",
                             "c2 got 1 at 0.5",
                             "put 2 at 0.5 (size 1)",
                             "put 3 at 0.5 (size 2)",
                             "c1 got 2 at 1.5",
                             "c2 got 3 at 1.5",
                             "put 4 at 1.5 (size 1)",
                             "producer done at 1.5",
                             "c1 got 4 at 2.5",
                             "main joined at 3.5",
                             "c1 cancelled at 3.5",
                             "c2 cancelled at 3.5",
                             "get_nowait: QueueEmpty",
                             "put_nowait: QueueFull",
                             "full=True unfinished=2",
                             "task_done: ValueError: task_done() called too many times",
                         }));
  CHECK(loop.now() == 3500ms);
}

TEST_CASE("Queue: a woken getter cancelled hands the item on; putters get room in order") {
  test::RecordedLoop loop;
  loop.run(queue_handover_main());
  CHECK(printed(loop) == joined({
                             "g1 cancelled at 1.0",
                             "g2 got item at 1.0",
                             "got 0",
                             "p1 put 1 at 2.0",
                             "got 1",
                             "p2 put 2 at 2.0",
                             "got 2",
                         }));
}

TEST_CASE("wait_for: a turn later with the result; at the deadline cancel, wait, TimeoutError") {
  test::RecordedLoop loop;
  loop.run(wait_for_main());
  CHECK(printed(loop) == joined({
                             "quick starts at 0.0",
                             "tick 1 at 1.0",
                             "quick done at 1.0",
                             "quick gave quick at 1.0",
                             "slow starts at 1.0",
                             "tick 2 at 2.0",
                             "slow cancelled at 2.0",
                             "slow cleaned up at 2.5",
                             "slow: TimeoutError at 2.5",
                             "zero: TimeoutError at 2.5",
                             "tick 3 at 3.0",
                             "tick 4 at 4.0",
                         }));
  CHECK(loop.now() == 4s);
}

TEST_CASE("wait_for: cancelling the waiter cancels the task; a refused cancel gives the result") {
  test::RecordedLoop loop;
  loop.run(wait_for_cancel_main());
  CHECK(printed(loop) == joined({
                             "inner cancelled at 1.0",
                             "outer cancelled at 1.0",
                             "main: outer cancelled at 1.0",
                             "stubborn ignores it at 2.0",
                             "got 'stubborn result' at 2.0",
                         }));
}

TEST_CASE("asyncio.timeout: cancels the body, TimeoutError on the way out, only its own") {
  test::RecordedLoop loop;
  loop.run(timeout_outer());
  CHECK(printed(loop) == joined({
                             "fast works at 0.0",
                             "fast finished at 1.0",
                             "fast: expired=False",
                             "slow works at 1.0",
                             "slow sees CancelledError at 2.0",
                             "slow: TimeoutError at 2.0, expired=True",
                             "inner works at 2.0",
                             "inner sees CancelledError at 3.0",
                             "inner: TimeoutError at 3.0",
                             "after works at 3.0",
                             "after finished at 4.0",
                             "swallowed at 5.0",
                             "swallow: expired=True",
                             "past: body runs",
                             "past: TimeoutError at 5.0",
                             "cancelling=0",
                         }));
}

TEST_CASE("asyncio.timeout: a cancellation from outside stays a CancelledError") {
  test::RecordedLoop loop;
  loop.run(timeout_outside_main());
  CHECK(printed(loop) == joined({
                             "guarded: CancelledError at 1.0",
                             "main: guarded cancelled at 1.0",
                         }));
}

TEST_CASE("TaskGroup: a failure cancels the rest; failures together; two in one turn both") {
  test::RecordedLoop loop;
  loop.run(task_group_main());
  CHECK(printed(loop) ==
        joined({
            "a starts",
            "b starts",
            "a done at 1.0",
            "b done at 2.0",
            "all done at 2.0: a b",
            "body waits",
            "ok starts",
            "bad starts",
            "slow starts",
            "ok done at 3.0",
            "bad fails at 4.0",
            "slow cancelled at 4.0",
            "caught ExceptionGroup('unhandled errors in a TaskGroup', [ValueError('bad failed')]) "
            "at 4.0",
            "x starts",
            "y starts",
            "z starts",
            "x fails at 5.0",
            "y fails at 5.0",
            "z cancelled at 5.0",
            "caught ExceptionGroup('unhandled errors in a TaskGroup', [ValueError('x failed'), "
            "ValueError('y failed')]) at 5.0",
            "w starts",
            "w cancelled at 6.0",
            "caught ExceptionGroup('unhandled errors in a TaskGroup', [RuntimeError('body "
            "failed')]) at 6.0",
        }));
  CHECK(loop.now() == 6s);
}

TEST_CASE("TaskGroup: cancelled from outside, the children are cancelled, CancelledError goes on") {
  test::RecordedLoop loop;
  loop.run(task_group_outside_main());
  CHECK(printed(loop) == joined({
                             "p cancelled at 1.0",
                             "group: CancelledError at 1.0",
                             "main: cancelled at 1.0",
                         }));
}

TEST_CASE("wait: FIRST_COMPLETED, ALL_COMPLETED, FIRST_EXCEPTION and a timeout") {
  test::RecordedLoop loop;
  loop.run(wait_main());
  CHECK(printed(loop) == joined({
                             "b done at 1.0",
                             "c done at 1.0",
                             "first: done=['b', 'c'] pending=['a'] at 1.0",
                             "a done at 2.0",
                             "all: done=['a', 'b', 'c'] pending=[] at 2.0",
                             "d done at 3.0",
                             "exception: done=['d', 'e'] pending=['f'] at 4.0",
                             "timeout: done=[] pending=['f'] at 4.5",
                             "f done at 5.0",
                             "rest: done=['f'] at 5.0",
                             "empty: ValueError: Set of Tasks/Futures is empty.",
                         }));
}

TEST_CASE("shield: the awaiter's cancellation leaves the task running") {
  test::RecordedLoop loop;
  loop.run(shield_main());
  CHECK(printed(loop) == joined({
                             "caller cancelled at 1.0; task cancelled=False",
                             "important done at 2.0",
                             "task result 42 at 2.0",
                             "caller cancelled at 3.0; task cancelled=True",
                             "caller saw the task's cancellation at 3.0",
                             "wait_for timed out at 4.0, task cancelled=False",
                             "important done at 5.0",
                             "shielded result 42 at 5.0",
                         }));
}

TEST_CASE("gather(return_exceptions=True): every outcome in argument order") {
  test::RecordedLoop loop;
  loop.run(gather_outcomes_main());
  CHECK(printed(loop) == joined({
                             "a done at 1.0",
                             "b fails at 2.0",
                             "c done at 3.0",
                             "results ['a', ValueError('b failed'), 'c'] at 3.0",
                             "d done at 4.0",
                             "results ['d', 'CancelledError'] at 5.0",
                             "e fails at 6.0",
                             "gather raised e failed at 6.0",
                             "f done at 7.0",
                         }));
}

TEST_CASE("a task exception never retrieved is reported at the end, once, and only that one") {
  test::RecordedLoop loop;
  loop.run(unretrieved_main());
  CHECK(printed(loop) == joined({"seen raised", "asked: ValueError('asked')", "main ends"}));
  std::vector<std::string> warnings;
  for (const auto& e : loop.recorder().events())
    if (e.kind == EventKind::warning)
      warnings.push_back(std::string(loop.recorder().task_name(e.task)) + ": " + e.text);
  CHECK(joined(warnings) ==
        joined({"lost: Task exception was never retrieved: ValueError('lost')"}));
}

TEST_CASE("to_thread: on the virtual clock its blocking work takes its time, not the loop's") {
  test::RecordedLoop loop;
  loop.run(to_thread_main());
  CHECK(printed(loop) == joined({
                             "tick 1 at 1.0",
                             "tick 2 at 2.0",
                             "got 'work after 2.5' at 2.5",
                             "tick 3 at 3.0",
                             "got ['x after 1', 'y after 1'] at 3.5",
                         }));
  CHECK(loop.now() == 3500ms);
}

// ---------------------------------------------------------------------------
// to_thread's executor has a size (CPython's default executor:
// min(32, cpu_count + 4)); a call made while every worker is busy waits for
// the first one free, in the order the calls came, and one cancelled while
// it waits never runs (ThreadPoolExecutor drops it). Both programs were run
// by CPython 3.11 with set_default_executor(ThreadPoolExecutor(max_workers=W))
// on the real clock, and by tests/python/virtual_clock.py --workers W: the
// same lines.
//
//   async def job(i, d):
//       await asyncio.to_thread(time.sleep, d)
//       print(f"job {i} ({d} s) done at {t():.1f}")
//   async def main():
//       await asyncio.gather(*(job(i, d) for i, d in enumerate([3, 1, 2, 1, 1])))
//       print(f"all done at {t():.1f}")

namespace {

Coro<> executor_job(int i, int d) {
  auto work = [d] { block(std::chrono::seconds(d)); };
  co_await to_thread(std::move(work));
  print("job {} ({} s) done at {:.1f}", i, d, el());
}

Coro<> executor_main() {
  std::vector<Task<void>> jobs;
  const std::array<int, 5> lengths{3, 1, 2, 1, 1};
  for (int i = 0; i < 5; ++i)
    jobs.push_back(create_task(executor_job(i, lengths[static_cast<std::size_t>(i)])));
  co_await gather(jobs);
  print("all done at {:.1f}", el());
}

//   async def job(name, d):
//       try:
//           await asyncio.to_thread(time.sleep, d)
//           print(f"{name} done at {t():.1f}")
//       except asyncio.CancelledError:
//           print(f"{name} cancelled at {t():.1f}"); raise
//   async def main():
//       a = asyncio.create_task(job("a", 2))
//       b = asyncio.create_task(job("b", 1))
//       await asyncio.sleep(1)
//       b.cancel()                    # b waits for a's worker: dropped
//       await asyncio.sleep(0.5)
//       c = asyncio.create_task(job("c", 1))
//       await asyncio.sleep(0)        # c's call waits
//       time.sleep(1)                 # a's worker is free at 2 meanwhile: c's call begins
//       await asyncio.gather(a, b, c, return_exceptions=True)
//       print(f"main done at {t():.1f}")

Coro<> queued_job(std::string name, int d) {
  try {
    auto work = [d] { block(std::chrono::seconds(d)); };
    co_await to_thread(std::move(work));
    print("{} done at {:.1f}", name, el());
  } catch (const CancelledError&) {
    print("{} cancelled at {:.1f}", name, el());
    throw;
  }
}

Coro<> queued_main() {
  auto a = create_task(queued_job("a", 2));
  auto b = create_task(queued_job("b", 1));
  co_await sleep(1s);
  b.cancel();
  co_await sleep(500ms);
  auto c = create_task(queued_job("c", 1));
  co_await sleep(0s);
  block(1s);
  std::vector<Task<void>> all{a, b, c}; // a local: g++ 12 mishandles the list inside the await
  co_await gather(std::move(all), return_exceptions);
  print("main done at {:.1f}", el());
}

} // namespace

TEST_CASE("to_thread: a call waits for one of the executor's workers, in the order they came") {
  const std::map<std::size_t, std::vector<std::string>> cpython{
      {1,
       {"job 0 (3 s) done at 3.0", "job 1 (1 s) done at 4.0", "job 2 (2 s) done at 6.0",
        "job 3 (1 s) done at 7.0", "job 4 (1 s) done at 8.0", "all done at 8.0"}},
      {2,
       {"job 1 (1 s) done at 1.0", "job 0 (3 s) done at 3.0", "job 2 (2 s) done at 3.0",
        "job 3 (1 s) done at 4.0", "job 4 (1 s) done at 4.0", "all done at 4.0"}},
      {3,
       {"job 1 (1 s) done at 1.0", "job 2 (2 s) done at 2.0", "job 3 (1 s) done at 2.0",
        "job 0 (3 s) done at 3.0", "job 4 (1 s) done at 3.0", "all done at 3.0"}},
  };
  for (const auto& [workers, lines] : cpython) {
    CAPTURE(workers);
    LoopConfig config;
    config.workers = workers;
    test::RecordedLoop loop(config);
    loop.run(executor_main());
    CHECK(printed(loop) == joined(lines));
    CHECK(loop.loop().executor_workers() == workers);
  }
}

TEST_CASE("to_thread: a call cancelled while it waits for a worker never runs") {
  const std::map<std::size_t, std::vector<std::string>> cpython{
      {1, {"b cancelled at 1.0", "a done at 2.5", "c done at 3.0", "main done at 3.0"}},
      {2, {"b cancelled at 1.0", "a done at 2.5", "c done at 2.5", "main done at 2.5"}},
  };
  for (const auto& [workers, lines] : cpython) {
    CAPTURE(workers);
    LoopConfig config;
    config.workers = workers;
    test::RecordedLoop loop(config);
    loop.run(queued_main());
    CHECK(printed(loop) == joined(lines));
  }
}

TEST_CASE("to_thread: on the real clock too, a call waits for a free worker") {
  // One worker, two calls of 50 ms: the second begins when the first ends.
  LoopConfig config;
  config.clock = ClockKind::real;
  config.workers = 1;
  Loop loop(config);
  loop.run([]() -> Coro<> {
    auto work = [] { block(50ms); };
    co_await gather(to_thread(work), to_thread(work));
  }());
  CHECK(loop.now() >= 100ms);
  CHECK(loop.executor_workers() == 1);
}

namespace {

std::atomic<std::thread::id> worker_thread{};

Coro<> real_sleeper(std::vector<std::string>& order) {
  co_await sleep(20ms);
  order.push_back("sleeper");
}

Coro<> real_thread_main(std::vector<std::string>& order) {
  auto t = create_task(real_sleeper(order));
  auto work = [] {
    worker_thread = std::this_thread::get_id();
    block(300ms); // holds the worker: the sleeper wakes meanwhile
  };
  co_await to_thread(work);
  order.push_back("thread");
  co_await t;
}

} // namespace

TEST_CASE("to_thread: on the real clock the work runs on a worker, the loop goes on") {
  // Order only, with a wide margin: times are the benchmarks' business.
  std::vector<std::string> order;
  Loop loop(LoopConfig{ClockKind::real, 1.0, false, {}, nullptr});
  loop.run(real_thread_main(order));
  CHECK(worker_thread.load() != std::this_thread::get_id());
  CHECK(joined(order) == joined({"sleeper", "thread"}));
  CHECK(loop.now() >= 300ms);
}
