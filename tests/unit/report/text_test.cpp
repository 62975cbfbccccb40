// The text reports: the summary line, the mode table and its closing line,
// the live lines; and the modes, suggestions and units they are made of.
#include "asyncdemo/asyncdemo.hpp"
#include "asyncdemo/report/live.hpp"
#include "asyncdemo/report/summary.hpp"
#include "asyncdemo/teach/jobs.hpp"
#include "asyncdemo/teach/mode.hpp"
#include "asyncdemo/teach/suggest.hpp"
#include "asyncdemo/teach/units.hpp"

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
  const auto table = mode_table(rows, Style{});
  CHECK(table == "mode           elapsed      model   overhead   vs sync\n"
                 "sync          10.000 s   10.000 s      exact    1.00 ×\n"
                 "await         10.000 s   10.000 s      exact    1.00 ×\n"
                 "create_task    6.000 s    6.000 s      exact    1.67 ×\n"
                 "gather         6.000 s    6.000 s      exact    1.67 ×\n");
  // A tie goes to gather, the idiomatic one.
  CHECK(closing_line(rows, Style{}) == "gather ran 1.67 × faster than sync");

  const auto faster = fake_run(Mode::create_task, 5s);
  CHECK(closing_line({{&sync, 10s}, {&faster, 6s}, {&gather, 6s}}, Style{}) ==
        "create_task ran 2.00 × faster than sync");
  CHECK(closing_line({{&sync, 10s}, {&await_, 10s}}, Style{}) ==
        "no mode ran faster than sync: nothing overlapped (await ran 1.00 ×)");
  CHECK(closing_line({{&gather, 6s}}, Style{}).empty()); // nothing to compare with
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
