// The scenarios of the primitives on the virtual clock: the figures their
// summaries promise (rate-limit's 6 s, 3 s, 2 s, 1 s; to-thread's 10 s
// becoming 6 s; lock's lost updates), how their failures end, and what the
// reports make of a task waiting on a primitive.
#include "asyncdemo/errors.hpp"
#include "asyncdemo/report/timeline.hpp"
#include "asyncdemo/run/runner.hpp"
#include "asyncdemo/teach/scenario.hpp"

#include <doctest/doctest.h>

#include <string>
#include <utility>
#include <vector>

using namespace asyncdemo;
using namespace std::chrono_literals;

namespace {

const Scenario& scenario(std::string_view name) {
  const auto* s = Registry::instance().find(name);
  REQUIRE(s);
  return *s;
}

RunResult run(std::string_view name, Mode mode,
              std::vector<std::pair<std::string, std::string>> given = {}) {
  const auto& s = scenario(name);
  auto params = s.default_params();
  for (auto& [k, v] : given) {
    params.set(k, v);
    params.mark_given(k);
  }
  return model_run(s, params, mode);
}

std::string last_line(const RunResult& r) {
  const auto lines = r.recorder.printed_lines();
  return lines.empty() ? std::string() : lines.back();
}

} // namespace

TEST_CASE("rate-limit: 6 s in sync, 3 s at limit 2, 2 s at 3, 1 s at 6") {
  CHECK(run("rate-limit", Mode::sync).elapsed == 6s);
  CHECK(run("rate-limit", Mode::await_).elapsed == 6s);
  for (auto mode : {Mode::create_task, Mode::gather, Mode::as_completed}) {
    CAPTURE(to_string(mode));
    CHECK(run("rate-limit", mode).elapsed == 3s);
    CHECK(run("rate-limit", mode, {{"limit", "3"}}).elapsed == 2s);
    CHECK(run("rate-limit", mode, {{"limit", "6"}}).elapsed == 1s);
    // More places than jobs: as if there were no semaphore.
    CHECK(run("rate-limit", mode, {{"limit", "7"}}).elapsed == 1s);
    CHECK(run("rate-limit", mode, {{"jobs", "7"}, {"limit", "3"}}).elapsed == 3s);
  }
}

TEST_CASE("to-thread: the blocking breakfast's 10 s becomes 6 s once the waits are in threads") {
  CHECK(run("to-thread", Mode::sync).elapsed == 10s);
  CHECK(run("to-thread", Mode::gather).elapsed == 6s);
  CHECK(run("to-thread", Mode::as_completed).elapsed == 6s);
  CHECK(run("to-thread", Mode::gather, {{"blocking", "loop"}}).elapsed == 10s);
}

TEST_CASE("lock: interleaved read-await-writes lose updates; the lock keeps them all") {
  const auto lost = run("lock", Mode::gather);
  CHECK(last_line(lost) == "counter = 1 after 5 additions: 4 lost");
  CHECK(lost.elapsed == 100ms);
  const auto kept = run("lock", Mode::gather, {{"lock", "true"}});
  CHECK(last_line(kept) == "counter = 5 after 5 additions: right");
  CHECK(kept.elapsed == 500ms);
  // One by one nothing interleaves: right without a lock.
  CHECK(last_line(run("lock", Mode::sync)) == "counter = 5 after 5 additions: right");
}

TEST_CASE("timeout and race: the deadline, the clean-up, the loser") {
  const auto t = run("timeout", Mode::create_task);
  CHECK(t.elapsed == 2500ms); // cancelled at 2 s, cleaned up until 2.5 s
  CHECK(last_line(t) == "main: the job gave None");
  CHECK(last_line(run("timeout", Mode::create_task, {{"timeout", "4"}})) ==
        "main: the job gave 'its result'");
  const auto r = run("race", Mode::create_task);
  CHECK(r.elapsed == 1s);
  CHECK(last_line(r) == "main: downloaded from mirror A");
}

TEST_CASE("taskgroup: the group ends at the failure, gather lets the others run on") {
  const auto group = run("taskgroup", Mode::create_task);
  CHECK(group.ok());
  CHECK(group.elapsed == 1s);
  const auto g = run("taskgroup", Mode::gather);
  CHECK(g.elapsed == 3s);
  const auto uncaught = run("taskgroup", Mode::create_task, {{"uncaught", "true"}});
  REQUIRE(uncaught.failure);
  CHECK(python_error(uncaught.failure) == "ExceptionGroup: unhandled errors in a TaskGroup "
                                          "(1 sub-exception)\n"
                                          "+-+---------------- 1 ----------------\n"
                                          "  | ValueError: parse failed\n"
                                          "  +------------------------------------");
  const auto gather_uncaught = run("taskgroup", Mode::gather, {{"uncaught", "true"}});
  REQUIRE(gather_uncaught.failure);
  CHECK(python_error(gather_uncaught.failure) == "ValueError: parse failed");
}

TEST_CASE("producer-consumer: join when every item is done; a forgotten task_done times out") {
  const auto done = run("producer-consumer", Mode::create_task);
  CHECK(done.elapsed == 3200ms);
  const auto forgot = run("producer-consumer", Mode::create_task, {{"forget-task-done", "true"}});
  const auto lines = forgot.recorder.printed_lines();
  REQUIRE(lines.size() >= 2);
  CHECK(lines[lines.size() - 2] ==
        "main: join() timed out at 3.200 s: no task_done() came, it would wait for ever");
}

TEST_CASE("a task waiting on a primitive: 'waits on' for -v and JSON, '~' on the timeline") {
  const auto r = run("rate-limit", Mode::gather);
  std::vector<std::string> waits;
  for (const auto& e : r.recorder.events())
    if (e.kind == EventKind::task_suspended && e.text.rfind("waits on", 0) == 0)
      waits.push_back(std::string(r.recorder.task_name(e.task)) + " " + e.text);
  // Jobs 3 to 6 find no place at first (the limit is 2).
  REQUIRE(waits.size() == 4);
  CHECK(waits.front() == "job3 waits on Semaphore");
  const auto chart = timeline(r.recorder, r.elapsed, 80);
  CHECK(chart.find("job3  ~~~") != std::string::npos);
  CHECK(chart.find("~ waiting on a primitive") != std::string::npos);
  // A chart with no such wait has no such legend.
  const auto plain = run("breakfast", Mode::gather);
  CHECK(timeline(plain.recorder, plain.elapsed, 80).find("~ waiting") == std::string::npos);
}
