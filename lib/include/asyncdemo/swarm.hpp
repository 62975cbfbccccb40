#pragma once
// The swarm workload (issue 5, seed 002's "tasks are lighter than threads"):
// N tasks, each sleeping its own time, then returning its number. Run as
// coroutines (gather, as_completed, create_task) or as one std::thread per
// task (threads). The swarm scenario reports on it; tests and benchmarks
// run it directly.
#include "asyncdemo/coro.hpp"
#include "asyncdemo/duration.hpp"
#include "asyncdemo/mode.hpp"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace asyncdemo {

struct SwarmSpec {
  Mode mode = Mode::gather; // gather, as_completed, create_task or threads
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
  // How late each task woke after its deadline, in scenario nanoseconds
  // (clamped to ±2.1 s), in set order.
  std::vector<std::int32_t> lateness;
  // keep_order: task numbers in the order their results reached main
  // (as_completed: as it yielded them; other modes: as they woke).
  std::vector<std::uint32_t> order;
};

// The sleep of task i: random.Random(seed).random() * max_sleep, drawn in
// order, as the Python program draws them.
std::vector<Duration> swarm_sleeps(std::size_t tasks, Duration max_sleep, std::uint64_t seed);
// The model time, the longest of those sleeps, drawn without keeping them.
Duration swarm_model(std::size_t tasks, Duration max_sleep, std::uint64_t seed);

// Runs the swarm on the running loop.
Coro<SwarmResult> swarm(SwarmSpec spec);

// Lateness figures: p50, p99, max, min (nanoseconds) and how many were early.
struct LatenessSummary {
  std::int64_t p50 = 0, p99 = 0, max = 0, min = 0;
  std::size_t early = 0;
};
LatenessSummary summarize_lateness(std::vector<std::int32_t> lateness);

// Memory of this process: resident now, and the peak so far (getrusage).
std::size_t resident_bytes();
std::size_t peak_resident_bytes();

// How many threads this machine can still start, and the limit that says
// so ("kernel.pid_max", ...).
struct ThreadLimit {
  std::size_t count = 0;
  const char* reason = "";
};
ThreadLimit thread_limit();
// How many swarm tasks fit in the memory available now.
std::size_t task_limit();

} // namespace asyncdemo
