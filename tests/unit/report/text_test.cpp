// The text reports: the summary line, the mode table and its closing line,
// the live lines; and the modes, suggestions and units they are made of.
#include "asyncdemo/asyncdemo.hpp"
#include "asyncdemo/report/live.hpp"
#include "asyncdemo/report/summary.hpp"
#include "asyncdemo/run/stats.hpp"
#include "asyncdemo/teach/jobs.hpp"
#include "asyncdemo/teach/mode.hpp"
#include "asyncdemo/text/suggest.hpp"
#include "asyncdemo/text/units.hpp"

#include "../test_support.hpp"

#include <doctest/doctest.h>

#include <cstdio>

using namespace asyncdemo;
using namespace std::chrono_literals;

TEST_CASE("modes parse by name and by dashed spelling") {
  CHECK(parse_mode("create_task") == Mode::create_task);
  CHECK(parse_mode("create-task") == Mode::create_task);
  CHECK(parse_mode("as-completed") == Mode::as_completed);
  CHECK(parse_mode("await") == Mode::await_);
  CHECK_FALSE(parse_mode("all").has_value()); // "all" is the CLI's, not a mode
  CHECK_FALSE(parse_mode("Gather").has_value());
  CHECK(join({Mode::sync, Mode::gather}) == "sync, gather");
}

TEST_CASE("did you mean: near names are suggested, far ones are not") {
  const std::vector<std::string> known{"breakfast", "worker", "factorial"};
  CHECK(edit_distance("breakfst", "breakfast") == 1);
  CHECK(edit_distance("wokrer", "worker") == 1); // a swap counts once
  CHECK(closest("breakfst", known) == "breakfast");
  CHECK(closest("brekafast", known) == "breakfast");
  CHECK(closest("break", known) == "breakfast"); // a prefix
  CHECK(closest("WORKER", known) == "worker");
  CHECK_FALSE(closest("zzzzzz", known).has_value());
}

TEST_CASE("durations and ratios are formatted for people") {
  CHECK(format_seconds(6s) == "6.000 s");
  CHECK(format_seconds(1500ms, 1) == "1.5 s");
  CHECK(format_overhead(6s + 150us, 6s) == "+0.150 ms, +0.00 %");
  CHECK(format_overhead(6s + 12ms, 6s) == "+12.000 ms, +0.20 %");
  CHECK(format_overhead(12s, 6s) == "+6.000 s, +100.00 %");
  CHECK(format_ratio(10.0 / 6.0) == "1.67 ×");
  // A 0 s model has no percentage.
  CHECK(format_overhead(102us, Duration{}) == "+0.102 ms, n/a");
  CHECK(format_overhead(2s, Duration{}) == "+2.000 s, n/a");
}

namespace {
RunResult fake_run(Mode m, Duration elapsed, ClockKind clock = ClockKind::virtual_time) {
  RunResult r;
  r.mode = m;
  r.clock = clock;
  r.elapsed = elapsed;
  r.wall = elapsed;
  return r;
}
} // namespace

TEST_CASE("the mode table lines up and the closing line names the fastest mode") {
  const auto sync = fake_run(Mode::sync, 10s), await_ = fake_run(Mode::await_, 10s),
             tasks = fake_run(Mode::create_task, 6s), gather = fake_run(Mode::gather, 6s);
  const std::vector<Comparison> rows{{&sync, 10s}, {&await_, 10s}, {&tasks, 6s}, {&gather, 6s}};
  const auto table = mode_table(rows, std::nullopt, Style{});
  CHECK(table == "mode           elapsed      model   overhead   vs sync\n"
                 "sync          10.000 s   10.000 s      exact    1.00 ×\n"
                 "await         10.000 s   10.000 s      exact    1.00 ×\n"
                 "create_task    6.000 s    6.000 s      exact    1.67 ×\n"
                 "gather         6.000 s    6.000 s      exact    1.67 ×\n");
  // A tie goes to gather, the idiomatic one.
  CHECK(closing_line(rows, std::nullopt, Style{}) == "gather ran 1.67 × faster than sync");

  const auto faster = fake_run(Mode::create_task, 5s);
  CHECK(closing_line({{&sync, 10s}, {&faster, 6s}, {&gather, 6s}}, std::nullopt, Style{}) ==
        "create_task ran 2.00 × faster than sync");
  CHECK(closing_line({{&sync, 10s}, {&await_, 10s}}, std::nullopt, Style{}) ==
        "no mode ran faster than sync: nothing overlapped (await ran 1.00 ×)");
  CHECK(closing_line({{&gather, 6s}}, std::nullopt, Style{}).empty()); // nothing to compare with
  // With no sync run, the sync model is the baseline (swarm has no sync mode).
  CHECK(closing_line({{&gather, 6s}}, 12s, Style{}) == "gather ran 2.00 × faster than sync");
  CHECK(mode_table({{&gather, 6s}}, 12s, Style{}).find("   2.00 ×\n") != std::string::npos);
}

TEST_CASE("on the real clock a winner is named only beyond the noise") {
  // Three modes with the same 6 s model, measured a few ms apart: the
  // difference is each run's own overhead, so they tie.
  const auto sync = fake_run(Mode::sync, 10s + 3ms, ClockKind::real),
             tasks = fake_run(Mode::create_task, 6s + 1ms, ClockKind::real),
             gather = fake_run(Mode::gather, 6s + 4ms, ClockKind::real),
             each = fake_run(Mode::as_completed, 6s + 2ms, ClockKind::real);
  CHECK(closing_line({{&sync, 10s}, {&tasks, 6s}, {&gather, 6s}, {&each, 6s}}, std::nullopt,
                     Style{}) == "gather, as_completed and create_task tie: 1.67 × faster than "
                                 "sync (within the noise)");
  // A model 1 s shorter is beyond a few ms of noise: it wins alone.
  const auto quick = fake_run(Mode::create_task, 5s + 1ms, ClockKind::real);
  CHECK(closing_line({{&sync, 10s}, {&quick, 5s}, {&gather, 6s}}, std::nullopt, Style{}) ==
        "create_task ran 2.00 × faster than sync");
  // leaders(): the ± intervals overlap or they do not.
  CHECK(leaders({{Mode::create_task, 1.0, 0.1}, {Mode::gather, 1.15, 0.1}}) ==
        std::vector<Mode>{Mode::gather, Mode::create_task});
  CHECK(leaders({{Mode::gather, 1.0, 0.1}, {Mode::create_task, 1.25, 0.1}}) ==
        std::vector<Mode>{Mode::gather});
  // Beyond a tiny σ, but within 0.5 %: still a tie.
  CHECK(leaders({{Mode::create_task, 6.005, 0.0001}, {Mode::gather, 6.006, 0.0001}}) ==
        std::vector<Mode>{Mode::gather, Mode::create_task});
  CHECK(leaders({{Mode::create_task, 6.0, 0.0001}, {Mode::gather, 6.1, 0.0001}}) ==
        std::vector<Mode>{Mode::create_task});
  CHECK(leaders({{Mode::create_task, 1.0, 0}, {Mode::gather, 1.0, 0}}) ==
        std::vector<Mode>{Mode::gather, Mode::create_task}); // equal: tie order
  CHECK(leaders({}).empty());
}

TEST_CASE("against sync: faster, no faster or slower, never 0.98 × faster") {
  CHECK(versus_sync({10.0 / 6.0, 0}, 0, false, Style{}) == "1.67 × faster than sync");
  CHECK(versus_sync({1.0, 0}, 0, false, Style{}) == "no faster than sync");
  CHECK(versus_sync({0.98, 0}, 0.025, false, Style{}) == "no faster than sync"); // noise
  CHECK(versus_sync({0.98, 0}, 0, false, Style{}) == "1.02 × slower than sync");
  CHECK(versus_sync({0.5, 0.05}, 0.05, true, Style{}) == "2.00 ± 0.20 × slower than sync");
  CHECK(versus_sync({2.0, 0.01}, 0.01, true, Style{}) == "2.00 ± 0.01 × faster than sync");
}

TEST_CASE("the summary line compares with the model and with sync") {
  auto real = fake_run(Mode::gather, 6s + 200us, ClockKind::real);
  CHECK(summary_line(real, 6s, 10s, Style{}) ==
        "gather · 6.000 s elapsed · model 6.000 s (+0.200 ms, +0.00 %) · sync 10.000 s · "
        "1.67 × faster than sync");
  real.speed = 100;
  real.wall = 60ms;
  CHECK(summary_line(real, 6s, 10s, Style{}).find("(0.060 s wall at 100× speed)") !=
        std::string::npos);
  CHECK(summary_line(fake_run(Mode::gather, 6s), 6s, 10s, Style{}) ==
        "gather · 6.000 s on the virtual clock · sync 10.000 s · 1.67 × faster than sync");
  CHECK(summary_line(fake_run(Mode::sync, 10s), 10s, 10s, Style{}) ==
        "sync · 10.000 s on the virtual clock · the sync baseline");
  CHECK(summary_line(fake_run(Mode::await_, 10s), 10s, 10s, Style{}) ==
        "await · 10.000 s on the virtual clock · sync 10.000 s · no faster than sync");
  // worker --speed=20: await's model is sync's; the 2 % it lost is overhead.
  const auto worker = fake_run(Mode::await_, 3060ms, ClockKind::real);
  CHECK(summary_line(worker, 3s, 3s, Style{}) ==
        "await · 3.060 s elapsed · model 3.000 s (+60.000 ms, +2.00 %) · sync 3.000 s · no "
        "faster than sync");
  // A model far from the run (40 to_thread calls of 1 s modelled as if
  // each had a worker of its own) is no noise: the ratio is the one JSON
  // gives (sync / elapsed), not "no faster than sync".
  const auto threads = fake_run(Mode::gather, 6860ms, ClockKind::real);
  CHECK(summary_line(threads, 1s, 40s, Style{}).ends_with("· 5.83 × faster than sync"));
  // What to_thread ran on, so that the run can be made again anywhere.
  auto executor = fake_run(Mode::gather, 7s);
  executor.executor_used = true;
  executor.workers = 6;
  CHECK(summary_line(executor, 7s, 40s, Style{}) ==
        "gather · 7.000 s on the virtual clock · sync 40.000 s · 5.71 × faster than sync · "
        "to_thread: 6 workers");
  executor.executor_used = false;
  executor.workers_given = true; // --workers=1, and no call came
  executor.workers = 1;
  CHECK(summary_line(executor, 7s, 40s, Style{}).ends_with("· to_thread: 1 worker, not used"));
  // A 0 s model: no percentage, and no ratio to speak of.
  const auto nothing = fake_run(Mode::gather, 102us, ClockKind::real);
  CHECK(summary_line(nothing, Duration{}, Duration{}, Style{}) ==
        "gather · 0.000 s elapsed · model 0.000 s (+0.102 ms, n/a) · sync 0.000 s · no faster "
        "than sync");
  const auto coloured = summary_line(fake_run(Mode::gather, 6s), 6s, 10s, Style{true});
  CHECK(coloured.find("\x1b[") != std::string::npos);
}

TEST_CASE("live lines are aligned on the time and the task name") {
  std::FILE* out = std::tmpfile();
  REQUIRE(out);
  test::RecordedLoop loop;
  loop.recorder().set_sink(LivePrinter(out, Style{}, 10s, 6));
  loop.run([]() -> Coro<> {
    print("first");
    co_await sleep(10s);
    auto t = create_task(
        []() -> Coro<> {
          print("second");
          co_return;
        }(),
        "eggs");
    co_await t;
  }());
  std::rewind(out);
  char buf[256] = {};
  const auto n = std::fread(buf, 1, sizeof buf - 1, out);
  std::fclose(out);
  CHECK(std::string(buf, n) == " 0.000 s  main    first\n"
                               "10.000 s  eggs    second\n");
}

TEST_CASE("run_jobs: each mode gives results in its order, with its model time") {
  auto job = [](int value, int secs) {
    return Job<int>{"job" + std::to_string(value), [=]() -> Coro<int> {
                      co_await sleep(std::chrono::seconds(secs));
                      co_return value;
                    }};
  };
  for (auto mode : every_mode) {
    CAPTURE(to_string(mode));
    Loop loop(LoopConfig{
        .clock = ClockKind::virtual_time, .speed = 1.0, .sleep_blocks = mode == Mode::sync});
    const auto results = loop.run([](Mode m, std::vector<Job<int>> jobs) -> Coro<std::vector<int>> {
      co_return co_await run_jobs(m, std::move(jobs));
    }(mode, {job(1, 3), job(2, 1), job(3, 2)}));
    const bool sequential = mode == Mode::sync || mode == Mode::await_;
    CHECK(loop.now() == (sequential ? 6s : 3s));
    if (mode == Mode::as_completed)
      CHECK(results == std::vector<int>{2, 3, 1});
    else
      CHECK(results == std::vector<int>{1, 2, 3});
  }
}
