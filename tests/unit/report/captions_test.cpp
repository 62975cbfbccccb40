// Captions: every iteration's sentence for the seeds' programs, in every
// mode and variant that tells something new, against the goldens in
// tests/golden/captions/ (UPDATE_GOLDEN=1 rewrites them; then read the diff).
// And the frames' own bookkeeping: times, queues, timers, output so far.
#include "asyncdemo/report/frames.hpp"
#include "asyncdemo/run/runner.hpp"
#include "asyncdemo/script/program.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <variant>
#include <vector>

using namespace asyncdemo;
using namespace std::chrono_literals;

namespace {

RunResult recorded(const char* name, Mode mode,
                   std::vector<std::pair<std::string, std::string>> params = {}) {
  const auto* s = Registry::instance().find(name);
  REQUIRE(s != nullptr);
  auto p = s->default_params();
  for (const auto& [k, v] : params)
    p.set(k, v);
  return model_run(*s, p, mode, default_seed, {}, true);
}

// "  2   0.000 s → 2.000 s  coffee calls time.sleep(1): ..."
std::string captions(const RunResult& r) {
  std::string out;
  for (const auto& f : frames_of(r.recorder, r.clock, r.mode)) {
    const auto when = f.began == f.ended ? fmt::format("{:.3f} s", to_seconds(f.began))
                                         : fmt::format("{:.3f} s → {:.3f} s", to_seconds(f.began),
                                                       to_seconds(f.ended));
    out += fmt::format("{:>3}  {:<20}  {}\n", f.number, when, f.caption);
  }
  return out;
}

void golden(const std::string& name, const std::string& text) {
  const auto path = std::string(ASYNCDEMO_SOURCE_DIR) + "/tests/golden/captions/" + name + ".txt";
  if (const char* update = std::getenv("UPDATE_GOLDEN"); update && std::string(update) == "1") {
    std::ofstream(path) << text;
    return;
  }
  std::ifstream in(path);
  REQUIRE_MESSAGE(in.good(), path << " is missing (UPDATE_GOLDEN=1 makes it)");
  std::stringstream kept;
  kept << in.rdbuf();
  CHECK_MESSAGE(kept.str() == text, name << ": the captions differ from " << path << ":\n" << text);
}

} // namespace

TEST_CASE("captions: breakfast, in each of the five modes") {
  for (auto m : every_mode)
    golden(fmt::format("breakfast.{}", to_string(m)), captions(recorded("breakfast", m)));
}

TEST_CASE("captions: the pitfalls") {
  golden("pitfalls.gather.blocking",
         captions(recorded("pitfalls", Mode::gather, {{"variant", "blocking"}})));
  golden("pitfalls.gather.no-await",
         captions(recorded("pitfalls", Mode::gather, {{"variant", "no-await"}})));
  golden("pitfalls.await.sequential",
         captions(recorded("pitfalls", Mode::await_, {{"variant", "sequential"}})));
}

TEST_CASE("captions: tasks made, awaited, never awaited, cancelled; done callbacks") {
  for (const char* variant : {"no-await", "await", "sleep", "cancel"})
    golden(fmt::format("create-task.{}", variant),
           captions(recorded("create-task", Mode::create_task, {{"variant", variant}})));
  golden("task-callbacks", captions(recorded("task-callbacks", Mode::create_task)));
  golden("task-callbacks.cancel",
         captions(recorded("task-callbacks", Mode::create_task, {{"cancel", "true"}})));
  golden("futures", captions(recorded("futures", Mode::create_task)));
}

TEST_CASE("captions: the other seeds and beyond") {
  golden("delayed-print.create_task",
         captions(recorded("delayed-print", Mode::create_task, {{"times", "2"}})));
  golden("as-completed.as_completed", captions(recorded("as-completed", Mode::as_completed)));
  golden("random-add.gather", captions(recorded("random-add", Mode::gather)));
  golden("factorial.as_completed",
         captions(recorded("factorial", Mode::as_completed, {{"numbers", "2,1"}})));
  golden("crawler.gather", captions(recorded("crawler", Mode::gather, {{"pages", "2"}})));
  golden("worker.sync", captions(recorded("worker", Mode::sync)));
}

TEST_CASE("captions: the primitives, their waiters and their timers") {
  golden("lock.gather.lock",
         captions(recorded("lock", Mode::gather, {{"lock", "true"}, {"tasks", "3"}})));
  golden("rate-limit.gather", captions(recorded("rate-limit", Mode::gather, {{"jobs", "3"}})));
  golden("timeout.create_task", captions(recorded("timeout", Mode::create_task)));
  golden("timeout.create_task.style",
         captions(recorded("timeout", Mode::create_task, {{"style", "timeout"}})));
  golden("producer-consumer.create_task",
         captions(recorded("producer-consumer", Mode::create_task, {{"items", "2"}})));
  golden("race.create_task", captions(recorded("race", Mode::create_task)));
  golden("taskgroup.create_task", captions(recorded("taskgroup", Mode::create_task)));
  golden("to-thread.gather", captions(recorded("to-thread", Mode::gather)));
}

TEST_CASE("captions: a gather whose child fails, and the child asyncio.run then cancels") {
  // bad fails at 0.5 s: gather fails, main with it; good, still asleep, is
  // cancelled by asyncio.run, and the gather that failed ignores its end.
  auto loaded = script::load_text(R"([[job]]
name = "good"
steps = [ { sleep = 1 }, { print = "good done" } ]

[[job]]
name = "bad"
steps = [ { sleep = 0.5 }, { print = "{1 / 0}" } ]
)",
                                  "fails.toml");
  const auto* file = std::get_if<std::shared_ptr<const script::Script>>(&loaded);
  REQUIRE(file != nullptr);
  const auto s = script::scenario_of(*file);
  const auto r = model_run(s, s.default_params(), Mode::gather, default_seed, {}, true);
  CHECK_FALSE(r.ok());
  golden("file.gather.fails", captions(r));
  // good's two callbacks: the gather that failed, then asyncio.run's.
  const auto frames = frames_of(r.recorder, r.clock, r.mode);
  REQUIRE(frames.size() == 10);
  CHECK(frames[7].ready ==
        std::vector<std::string>{"gather: good is done", "asyncio.run: good is done"});
  REQUIRE(frames[8].ran.size() == 2);
  CHECK(frames[8].ran[1].label == "asyncio.run: good is done");
}

TEST_CASE("frames: times, queues, timers and the output so far") {
  const auto r = recorded("breakfast", Mode::gather);
  const auto frames = frames_of(r.recorder, r.clock, r.mode);
  REQUIRE(frames.size() == 10);
  CHECK(frames[0].ran.size() == 1);
  CHECK(frames[0].ran[0].label == "main");
  CHECK(frames[0].ready == std::vector<std::string>{"coffee", "eggs"});
  CHECK(frames[0].printed == 0);
  CHECK(frames[1].began == 0s);
  CHECK(frames[1].ended == 2s);
  CHECK(frames[1].printed == 4);
  REQUIRE(frames[1].timers.size() == 2);
  CHECK(frames[1].timers[0].name == "eggs");
  CHECK(frames[1].timers[0].deadline == 5s);
  CHECK_FALSE(frames[1].waited);
  CHECK(frames[2].waited); // the jump
  CHECK(frames[2].began == 5s);
  CHECK(frames[2].ran[0].label == "timer: eggs");
  CHECK(frames[9].ran[0].label == "stop the loop");
  CHECK(frames[9].printed == 7);
  // Every event is in one frame, in order.
  for (std::size_t i = 1; i < frames.size(); ++i)
    CHECK(frames[i].first_event == frames[i - 1].end_event);

  const auto states = task_states(r.recorder, frames[0]);
  REQUIRE(states.size() == 3);
  CHECK(states[0].state == "awaits gather(coffee, eggs)");
  CHECK(states[1].state == "ready: not started yet");
  const auto later = task_states(r.recorder, frames[2]);
  CHECK(later[2].state == "ready to resume"); // its sleep is over
  CHECK(later[1].state == "awaits asyncio.sleep(5)");
}

TEST_CASE("frames: a run recorded without snapshots has none") {
  const auto* s = Registry::instance().find("breakfast");
  const auto r = model_run(*s, s->default_params(), Mode::gather);
  CHECK(frames_of(r.recorder, r.clock, r.mode).empty());
}

TEST_CASE("frames: seconds as a Python call takes them") {
  CHECK(py_seconds(1s) == "1");
  CHECK(py_seconds(500ms) == "0.5");
  CHECK(py_seconds(Duration(1'000'000'153)) == "1");
  CHECK(py_seconds(Duration(1'250'000)) == "0.00125");
  CHECK(py_seconds(Duration(4'999'961'000), 3) == "5"); // measured on the real clock
}
