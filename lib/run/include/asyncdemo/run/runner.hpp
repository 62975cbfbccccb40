#pragma once
// Runs one scenario in one mode on one clock and keeps what happened.
#include "asyncdemo/loop.hpp"
#include "asyncdemo/run/recorder.hpp"
#include "asyncdemo/teach/scenario.hpp"

#include <cstdint>
#include <exception>
#include <optional>

namespace asyncdemo {

// --speed's range: beyond it the loop's own microseconds would count as
// scenario seconds (and the arithmetic would overflow).
inline constexpr double min_speed = 1e-3;
inline constexpr double max_speed = 1e3;

struct RunOptions {
  Mode mode = Mode::gather;
  ClockKind clock = ClockKind::virtual_time;
  double speed = 1.0;
  std::uint64_t seed = default_seed;
  InterruptSource interrupts{}; // Ctrl-C and friends (process/signals.hpp)
  bool snapshots = false;       // keep the loop's queues at every iteration (--step, --html)
  std::size_t workers = 0;      // to_thread's executor (--workers); 0: CPython's default size
};

struct RunResult {
  Mode mode = Mode::gather;
  ClockKind clock = ClockKind::virtual_time;
  double speed = 1.0;
  std::optional<std::uint64_t> seed; // for scenarios that draw random numbers
  Duration elapsed{};                // scenario time
  Duration wall{};                   // wall time (equals elapsed on the virtual clock)
  Recorder recorder;
  Figures figures; // what the scenario measured about itself
  // to_thread's executor: its size, whether a call used it, and whether
  // --workers gave the size (the reports say it then, used or not).
  std::size_t workers = 0;
  bool executor_used = false;
  bool workers_given = false;
  bool interrupted = false;
  std::exception_ptr failure; // the scenario's own exception, if it failed

  bool ok() const noexcept { return !interrupted && !failure; }
};

// `sink` sees each event as it is recorded (the live output).
RunResult run_scenario(const Scenario& s, const Params& params, const RunOptions& opts,
                       Recorder::Sink sink = {});

// The same mode on the virtual clock: the exact model time, and the tasks.
inline RunResult model_run(const Scenario& s, const Params& params, Mode mode,
                           std::uint64_t seed = default_seed, InterruptSource interrupts = {},
                           bool snapshots = false, std::size_t workers = 0) {
  return run_scenario(
      s, params,
      RunOptions{mode, ClockKind::virtual_time, 1.0, seed, interrupts, snapshots, workers});
}

} // namespace asyncdemo
