#pragma once
// The swarm workload (seed 002's "tasks are lighter than threads"): N tasks,
// each sleeping its own time, then returning its number. Run as coroutines
// (gather, as_completed, create_task) or, in swarm's own mode `threads`, as
// one std::thread per task. The swarm scenario reports on it; tests and
// benchmarks run it directly.
#include "asyncdemo/coro.hpp"
#include "asyncdemo/duration.hpp"
#include "asyncdemo/process/resources.hpp"
#include "asyncdemo/teach/mode.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace asyncdemo {

// swarm's own mode: one std::thread per task, each blocking in its sleep.
inline constexpr Mode threads_mode = first_own_mode;

struct SwarmSpec {
  Mode mode = Mode::gather; // gather, as_completed, create_task or threads_mode
  std::size_t tasks = 10000;
  Duration max_sleep = std::chrono::seconds(1);
  std::uint64_t seed = 2024;
  // Each task's sleep, in set order, instead of the seeded random ones.
  std::vector<Duration> sleeps;
  bool keep_order = false; // fill SwarmResult::order (for tests)
  bool progress = false;   // draw a progress bar on stderr (a terminal, real clock)
};

struct SwarmResult {
  std::size_t completed = 0;
  Duration largest_sleep{}; // the model time: every task sleeps at once
  // How late each task woke after its deadline, in scenario nanoseconds,
  // in set order.
  std::vector<std::int64_t> lateness;
  // keep_order: task numbers in the order their results reached main
  // (as_completed: as it yielded them; other modes: as they woke).
  std::vector<std::uint32_t> order;
};

// The sleep of task i: random.Random(seed).random() * max_sleep, drawn in
// order, as the Python program draws them.
std::vector<Duration> swarm_sleeps(std::size_t tasks, Duration max_sleep, std::uint64_t seed);
// The model time, the longest of those sleeps, drawn without keeping them.
Duration swarm_model(std::size_t tasks, Duration max_sleep, std::uint64_t seed);
// The sync equivalent: the same sleeps one after another, their sum.
Duration swarm_sync_model(std::size_t tasks, Duration max_sleep, std::uint64_t seed);

// Runs the swarm on the running loop. An interrupt of the loop stops it
// within a few milliseconds in every mode (CancelledError), spawning and
// joining threads included.
Coro<SwarmResult> swarm(SwarmSpec spec);

// Lateness figures: p50, p99, max, min (nanoseconds) and how many were early.
struct LatenessSummary {
  std::int64_t p50 = 0, p99 = 0, max = 0, min = 0;
  std::size_t early = 0;
};
LatenessSummary summarize_lateness(std::vector<std::int64_t> lateness);

// How many swarm tasks fit in the memory this process may still use.
Limit task_limit();

} // namespace asyncdemo
