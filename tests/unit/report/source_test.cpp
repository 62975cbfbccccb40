// The program beside the loop: where each task's code is (the recorder's
// chains, from a .py program's machine and a scenario file's interpreter),
// the lines each iteration ran, and the captions that read them.
#include "asyncdemo/report/frames.hpp"
#include "asyncdemo/run/runner.hpp"
#include "asyncdemo/script/python_program.hpp"
#include "asyncdemo/teach/scenario_kit.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <variant>
#include <vector>

using namespace asyncdemo;

namespace source_test {

RunResult recorded(const Scenario& s, Mode mode) {
  return model_run(s, s.default_params(), mode, default_seed, {}, true);
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::size_t at = 0;
  while (at < text.size()) {
    const auto nl = text.find('\n', at);
    out.push_back(text.substr(at, nl == std::string::npos ? nl : nl - at));
    at = nl == std::string::npos ? text.size() : nl + 1;
  }
  return out;
}

// The chain of the first suspension of `task`.
std::vector<SourceFrame> first_wait(const Recorder& rec, TaskId task) {
  const auto& events = rec.events();
  for (std::size_t i = 0; i < events.size(); ++i)
    if (events[i].task == task && events[i].kind == EventKind::task_suspended)
      return rec.chain_at(i);
  return {};
}

const std::string program = R"(import asyncio


async def coffee():
    print("coffee: start")
    await asyncio.sleep(5)
    print("coffee: ready")


async def eggs():
    await asyncio.sleep(3)


async def main():
    await coffee()
    await eggs()


asyncio.run(main())
)";

} // namespace source_test

using source_test::first_wait;
using source_test::lines_of;

TEST_CASE("source: a .py program's machine tells each frame's line") {
  auto loaded = script::load_python_text(source_test::program, "breakfast.py");
  REQUIRE(std::holds_alternative<Scenario>(loaded));
  const auto& s = std::get<Scenario>(loaded);
  const auto r = source_test::recorded(s, s.default_mode);
  REQUIRE(r.ok());
  CHECK(r.recorder.source_followed());
  // main awaits coffee() inline, and coffee sleeps: both frames, innermost last.
  CHECK(first_wait(r.recorder, 0) ==
        std::vector<SourceFrame>{SourceFrame{"main", 15}, SourceFrame{"coffee", 6}});
  // The print's line is its own.
  const auto& events = r.recorder.events();
  for (std::size_t i = 0; i < events.size(); ++i)
    if (events[i].kind == EventKind::print && events[i].text == "coffee: ready")
      CHECK(r.recorder.line_at(i) == 7);
  // Iteration 1 ran main's first line and coffee's, up to its sleep.
  const auto frames = frames_of(r.recorder, r.clock, r.mode);
  REQUIRE(frames.size() >= 2);
  for (int line : {5, 6, 15})
    CHECK(std::find(frames[0].lines.begin(), frames[0].lines.end(), line) != frames[0].lines.end());
  CHECK(std::find(frames[0].lines.begin(), frames[0].lines.end(), 16) == frames[0].lines.end());
  // The task's state at the end of it carries the chain.
  const auto states = task_states(r.recorder, frames[0]);
  REQUIRE(!states.empty());
  CHECK(states[0].ran);
  CHECK(states[0].chain.size() == 2);
}

TEST_CASE("source: a scenario file's steps have the lines --python prints") {
  const auto* s = Registry::instance().find("breakfast");
  REQUIRE(s != nullptr);
  const auto r = source_test::recorded(*s, Mode::await_);
  const auto text = lines_of(python_program(*s, Context{Mode::await_, s->default_params()}));
  const auto chain = first_wait(r.recorder, 0);
  REQUIRE(chain.size() == 2);
  CHECK(chain[0].function == "main");
  CHECK(chain[1].function == "coffee");
  REQUIRE(chain[0].line >= 1);
  REQUIRE(chain[1].line >= 1);
  CHECK(text.at(static_cast<std::size_t>(chain[0].line - 1)) == "    result = await coffee()");
  CHECK(text.at(static_cast<std::size_t>(chain[1].line - 1)) ==
        "    await asyncio.sleep(5 * SCALE)");

  // In gather mode each job's task has its own chain, and main's gather
  // line names its children.
  const auto g = source_test::recorded(*s, Mode::gather);
  const auto gtext = lines_of(python_program(*s, Context{Mode::gather, s->default_params()}));
  const auto frames = frames_of(g.recorder, g.clock, g.mode);
  REQUIRE(frames.size() >= 2);
  const auto states = task_states(g.recorder, frames[1]);
  REQUIRE(states.size() == 3);
  CHECK(gtext.at(static_cast<std::size_t>(states[0].chain.back().line - 1)) ==
        "    for result in await asyncio.gather(*started):");
  CHECK(states[0].children == std::vector<TaskId>{1, 2});
  CHECK(states[1].chain == std::vector<SourceFrame>{SourceFrame{"coffee", chain[1].line}});
}

// A compiled scenario (the catalogue's are programs and files now, but the
// model still takes C++ coroutines): it has no program text to point into.
namespace source_test {
Coro<> compiled_main(const Context&) {
  print("compiled: start");
  co_await sleep(std::chrono::milliseconds(500));
  print("compiled: done");
}
} // namespace source_test

TEST_CASE("source: a compiled entry tells nothing, and its events have no line") {
  Scenario compiled;
  compiled.name = "compiled";
  compiled.summary = "a compiled coroutine";
  compiled.modes = {Mode::await_};
  compiled.default_mode = Mode::await_;
  compiled.main = source_test::compiled_main;
  const auto* s = &compiled;
  const auto r = source_test::recorded(*s, s->default_mode);
  REQUIRE(r.ok());
  REQUIRE(!r.recorder.events().empty());
  CHECK_FALSE(r.recorder.source_followed());
  CHECK_FALSE(r.recorder.has_source());
  for (std::size_t i = 0; i < r.recorder.events().size(); ++i)
    CHECK(r.recorder.chain_at(i).empty());
}

TEST_CASE("captions: await mode says what main has not called yet") {
  const auto* s = Registry::instance().find("breakfast");
  REQUIRE(s != nullptr);
  const auto r = source_test::recorded(*s, Mode::await_);
  const auto text = lines_of(python_program(*s, Context{Mode::await_, s->default_params()}));
  const auto frames = frames_of(r.recorder, r.clock, r.mode, &text);
  REQUIRE(frames.size() >= 2);
  CHECK(frames[1].caption ==
        "nothing is ready: the clock jumps to 6.000 s, when main's sleep ends; eggs() has not "
        "been called yet: main is still inside await coffee(), so nothing else can run");
  // Without the program, the chain alone.
  const auto plain = frames_of(r.recorder, r.clock, r.mode);
  CHECK(plain[1].caption == "nothing is ready: the clock jumps to 6.000 s, when main's sleep "
                            "ends; main is still inside await coffee(), so nothing else can run");
}

TEST_CASE("captions: a cancellation names who cancelled") {
  const auto* s = Registry::instance().find("producer-consumer");
  REQUIRE(s != nullptr);
  const auto r = source_test::recorded(*s, Mode::create_task);
  const auto& requests = r.recorder.cancel_requests();
  REQUIRE(requests.size() >= 2);
  CHECK(requests[0].by == 0); // main: c.cancel()
  const auto frames = frames_of(r.recorder, r.clock, r.mode);
  bool cancels = false, cancelled = false;
  for (const auto& f : frames) {
    cancels = cancels || f.caption.find("main resumes, cancels consumer1 and consumer2") == 0;
    cancelled = cancelled || f.caption.find("(main cancelled it)") != std::string::npos;
  }
  CHECK(cancels);
  CHECK(cancelled);
}

namespace source_test {

// A Semaphore of 2 places for 3 jobs, a Lock for 3, a Queue of maxsize 2
// with a producer ahead of its consumer, and a TaskGroup of two.
const std::string primitives = R"(import asyncio


async def job(sem):
    async with sem:
        await asyncio.sleep(1)


async def locked(lock):
    async with lock:
        await asyncio.sleep(1)


async def producer(q):
    for i in range(3):
        await q.put(i)


async def consumer(q):
    await asyncio.sleep(1)
    for i in range(3):
        await q.get()


async def main():
    sem = asyncio.Semaphore(2)
    await asyncio.gather(job(sem), job(sem), job(sem))
    lock = asyncio.Lock()
    await asyncio.gather(locked(lock), locked(lock), locked(lock))
    q = asyncio.Queue(maxsize=2)
    await asyncio.gather(producer(q), consumer(q))
    async with asyncio.TaskGroup() as tg:
        tg.create_task(asyncio.sleep(1), name="nap")
        tg.create_task(asyncio.sleep(2), name="rest")


asyncio.run(main())
)";

RunResult recorded_primitives() {
  auto loaded = script::load_python_text(primitives, "primitives.py");
  REQUIRE(std::holds_alternative<Scenario>(loaded));
  const auto& s = std::get<Scenario>(loaded);
  auto r = recorded(s, s.default_mode);
  REQUIRE(r.ok());
  return r;
}

bool any_caption(const std::vector<Frame>& frames, const std::string& text) {
  return std::any_of(frames.begin(), frames.end(),
                     [&](const Frame& f) { return f.caption.find(text) != std::string::npos; });
}

} // namespace source_test

TEST_CASE("captions: a primitive's state when a task waits on it, and what a hand-off left") {
  const auto r = source_test::recorded_primitives();
  const auto frames = frames_of(r.recorder, r.clock, r.mode);
  using source_test::any_caption;
  // Semaphore(2): the third job waits on the places the first two took;
  // when the first gives its place back it is handed over, and the
  // second's, given back in the same iteration, stays free.
  CHECK(any_caption(frames, "Task-4 waits on the Semaphore (its 2 places taken by Task-2 and "
                            "Task-3)"));
  CHECK(any_caption(frames, "a place of the Semaphore is handed to Task-4 (1 free now), so Task-4 "
                            "resumes"));
  // Lock: its holder, and the line behind it.
  CHECK(any_caption(frames, "Task-6 waits on the Lock (Task-5 holds it) and Task-7 waits on the "
                            "Lock (Task-5 holds it; 2 waiting)"));
  CHECK(any_caption(frames, "the Lock is handed to Task-6 (1 still waiting), so Task-6 resumes"));
  CHECK(any_caption(frames, "the Lock is handed to Task-7, so Task-7 resumes"));
  // Queue(maxsize=2): full for the producer, empty for the consumer.
  CHECK(any_caption(frames, "Task-8 waits on Queue.put (the Queue holds 2 of 2)"));
  CHECK(any_caption(frames, "Task-9 resumes and waits on Queue.get (the Queue is empty)"));
}

TEST_CASE("source: a TaskGroup's exit wait ends the chain with the group's tasks") {
  const auto r = source_test::recorded_primitives();
  const auto frames = frames_of(r.recorder, r.clock, r.mode);
  CHECK(source_test::any_caption(frames, "main resumes and waits on TaskGroup: it wakes when nap "
                                         "and rest are done"));
  bool seen = false;
  for (const auto& f : frames)
    for (const auto& t : task_states(r.recorder, f))
      if (t.name == "main" && !t.children.empty()) {
        const auto nap = r.recorder.task(t.children[0]);
        if (!nap || nap->name != "nap") continue; // gather's children, earlier
        REQUIRE(t.children.size() == 2);
        CHECK(r.recorder.task_name(t.children[1]) == "rest");
        CHECK_FALSE(t.chain.empty());
        seen = true;
      }
  CHECK(seen);
}
