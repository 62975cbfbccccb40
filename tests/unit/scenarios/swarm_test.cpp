// The swarm workload and the runtime pieces it leans on: every
// task completes, timers fire in deadline order with ties in the order they
// were set, the model time is the largest sleep, and a real-clock swarm
// never wakes a task before its deadline.
#include "asyncdemo/asyncdemo.hpp"
#include "swarm/swarm.hpp"

#include "../test_support.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <numeric>
#include <vector>

using namespace asyncdemo;
using namespace std::chrono_literals;

namespace {

// Task numbers sorted by (sleep, number): the order the timers must fire in
// when every task starts at the same moment.
std::vector<std::uint32_t> deadline_order(const std::vector<Duration>& sleeps) {
  std::vector<std::uint32_t> order(sleeps.size());
  std::iota(order.begin(), order.end(), 0U);
  std::stable_sort(order.begin(), order.end(),
                   [&](auto a, auto b) { return sleeps[a] < sleeps[b]; });
  return order;
}

SwarmResult run_virtual(Mode mode, std::vector<Duration> sleeps, Duration* elapsed = nullptr) {
  Loop loop(LoopConfig{.clock = ClockKind::virtual_time});
  SwarmSpec spec;
  spec.mode = mode;
  spec.sleeps = std::move(sleeps);
  spec.keep_order = mode != threads_mode;
  auto r = loop.run(swarm(spec));
  if (elapsed) *elapsed = loop.now();
  return r;
}

// Sleeps with many ties: 0.1 s steps, so equal deadlines abound.
std::vector<Duration> tied_sleeps(std::size_t n) {
  std::vector<Duration> out;
  for (std::size_t i = 0; i < n; ++i)
    out.push_back(100ms * static_cast<int>((i * 7919) % 13));
  return out;
}

} // namespace

TEST_CASE("virtual-clock swarm: every task completes and the model time is the largest sleep") {
  const auto sleeps = swarm_sleeps(10000, 1s, 2024);
  const auto largest = *std::max_element(sleeps.begin(), sleeps.end());
  for (auto mode : {Mode::gather, Mode::as_completed, Mode::create_task, threads_mode}) {
    CAPTURE(to_string(mode));
    Duration elapsed{};
    const auto r = run_virtual(mode, sleeps, &elapsed);
    CHECK(r.completed == sleeps.size());
    CHECK(r.largest_sleep == largest);
    CHECK(elapsed == largest);
    // On the virtual clock a timer fires exactly at its deadline.
    CHECK(std::all_of(r.lateness.begin(), r.lateness.end(), [](auto l) { return l == 0; }));
  }
}

TEST_CASE("the seeded sleeps are Python's random.Random(seed).random() * max_sleep") {
  // python3 -c "import random; r = random.Random(2024); print([r.random() for _ in range(3)])"
  const auto s = swarm_sleeps(3, 1s, 2024);
  CHECK(s[0] == seconds(0.47009071843107064));
  CHECK(s[1] == seconds(0.7282642914232076));
  CHECK(s[2] == seconds(0.3037513583913575));
  CHECK(swarm_sleeps(3, 1s, 7) != s);
}

TEST_CASE("as_completed yields in deadline order, ties in the order set") {
  for (const auto& sleeps : {tied_sleeps(2000), swarm_sleeps(5000, 1s, 99)}) {
    const auto r = run_virtual(Mode::as_completed, sleeps);
    REQUIRE(r.order.size() == sleeps.size());
    CHECK(r.order == deadline_order(sleeps));
  }
}

TEST_CASE("timers fire in deadline order in every coroutine mode, ties in the order set") {
  const auto sleeps = tied_sleeps(3000);
  for (auto mode : {Mode::gather, Mode::create_task}) {
    CAPTURE(to_string(mode));
    const auto r = run_virtual(mode, sleeps);
    CHECK(r.order == deadline_order(sleeps));
  }
}

TEST_CASE("a recorder of named tasks records no task but main, and still records prints") {
  test::RecordedLoop loop(LoopConfig{.clock = ClockKind::virtual_time}, false);
  loop.run([]() -> Coro<> {
    SwarmSpec spec;
    spec.tasks = 100;
    co_await swarm(spec);
    print("done");
  }());
  REQUIRE(loop.recorder().tasks().size() == 1);
  CHECK(loop.recorder().tasks()[0].name == "main");
  CHECK(loop.recorder().printed_lines() == std::vector<std::string>{"done"});
  for (const auto& e : loop.recorder().events())
    CHECK((e.task == 0 || e.task == no_task));
}

TEST_CASE("real-clock swarm: 1000 tasks at speed 100, none woken before its deadline") {
  Loop loop(LoopConfig{.clock = ClockKind::real, .speed = 100});
  SwarmSpec spec;
  spec.tasks = 1000;
  const auto r = loop.run(swarm(spec));
  CHECK(r.completed == 1000);
  REQUIRE(r.lateness.size() == 1000);
  CHECK(*std::min_element(r.lateness.begin(), r.lateness.end()) >= 0);
  CHECK(loop.now() >= r.largest_sleep);
  const auto s = summarize_lateness(r.lateness);
  CHECK(s.early == 0);
  CHECK(s.min >= 0);
  CHECK(s.p50 <= s.p99);
  CHECK(s.p99 <= s.max);
}

TEST_CASE("real-clock threads: each thread wakes no earlier than its deadline") {
  Loop loop(LoopConfig{.clock = ClockKind::real, .speed = 100});
  SwarmSpec spec;
  spec.mode = threads_mode;
  spec.tasks = 200;
  const auto r = loop.run(swarm(spec));
  CHECK(r.completed == 200);
  CHECK(*std::min_element(r.lateness.begin(), r.lateness.end()) >= 0);
}

TEST_CASE("lateness summary: percentiles, max, and early timers counted") {
  std::vector<std::int64_t> v(100);
  std::iota(v.begin(), v.end(), 1); // 1..100
  v[0] = -5;
  const auto s = summarize_lateness(v);
  CHECK(s.p50 == 50);
  CHECK(s.p99 == 99);
  CHECK(s.max == 100);
  CHECK(s.min == -5);
  CHECK(s.early == 1);
}

TEST_CASE("lateness beyond 2^31 ns is reported as it is, not clamped") {
  // A 230 s run at --speed=1000 once reported p50 = p99 = max = 2147.484 ms.
  const std::int64_t late = 300'000'000'000; // 300 s
  std::vector<std::int64_t> v(100, late);
  v[99] = late + 1;
  const auto s = summarize_lateness(v);
  CHECK(s.p50 == late);
  CHECK(s.max == late + 1);
}

TEST_CASE("thread and task limits are positive on this machine") {
  CHECK(thread_limit().count > 0);
  CHECK(task_limit().count > 1000);
  CHECK_FALSE(memory_limit().reason.empty());
}
