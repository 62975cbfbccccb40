// Google Benchmark micro-benchmarks of the runtime's hot paths: spawning a
// task, a suspend/resume round trip through the loop, the sleep queue, and
// gather. All on the virtual clock, so they measure the runtime, not sleeps.
#include "asyncdemo/asyncdemo.hpp"
#include "asyncdemo/script/random.hpp"
#include "asyncdemo/sleep_queue.hpp"

#include <benchmark/benchmark.h>

#include <vector>

namespace {

using namespace asyncdemo;

// No observer: what the runtime costs by itself.
LoopConfig light_virtual() {
  return LoopConfig{.clock = ClockKind::virtual_time};
}

Coro<> nothing() {
  co_return;
}

Coro<> spawn_n(std::int64_t n) {
  std::vector<Task<>> tasks;
  tasks.reserve(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i)
    tasks.push_back(create_task(nothing()));
  for (auto& t : tasks)
    co_await t;
}

// create_task, its first step, its end, and the await of it.
void BM_spawn(benchmark::State& state) {
  for (auto _ : state) {
    Loop loop(light_virtual());
    loop.run(spawn_n(state.range(0)), "");
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_spawn)->Arg(1000)->Arg(100000);

Coro<> yield_n(std::int64_t n) {
  for (std::int64_t i = 0; i < n; ++i)
    co_await sleep(Duration::zero()); // asyncio.sleep(0): suspend, one loop turn, resume
}

void BM_suspend_resume(benchmark::State& state) {
  for (auto _ : state) {
    Loop loop(light_virtual());
    loop.run(yield_n(state.range(0)), "");
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_suspend_resume)->Arg(100000);

// Insert N random deadlines, then pop them all in order.
struct FakeTask;
void BM_sleep_queue(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  Random rng(1);
  std::vector<Duration> deadlines;
  for (std::size_t i = 0; i < n; ++i)
    deadlines.push_back(seconds(rng.random()));
  for (auto _ : state) {
    SleepQueue<FakeTask> q;
    for (std::size_t i = 0; i < n; ++i)
      q.push(deadlines[i], reinterpret_cast<FakeTask*>((i + 1) * 16)); // never followed
    while (!q.empty())
      benchmark::DoNotOptimize(q.pop());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_sleep_queue)->Arg(1000)->Arg(1000000);

Coro<int> sleeper(Duration d) {
  co_await sleep(d);
  co_return 1;
}

std::vector<Coro<int>> sleepers(std::int64_t n) {
  Random rng(7);
  std::vector<Coro<int>> out;
  out.reserve(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i)
    out.push_back(sleeper(seconds(rng.random())));
  return out;
}

Coro<> gather_n(std::int64_t n) {
  auto results = co_await gather(sleepers(n));
  benchmark::DoNotOptimize(results.data());
}

// gather of N sleeping tasks: spawn, sleep queue, wake-ups, gather's callbacks.
void BM_gather(benchmark::State& state) {
  for (auto _ : state) {
    Loop loop(light_virtual());
    loop.run(gather_n(state.range(0)), "");
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_gather)->Arg(1000)->Arg(100000);

} // namespace

BENCHMARK_MAIN();
