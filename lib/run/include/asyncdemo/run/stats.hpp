#pragma once
// The arithmetic of comparing modes (--mode=all) over one or more runs each
// (--runs=N): mean ± σ, min and max, and the ratio of two means with its σ,
// as hyperfine computes them.
#include "asyncdemo/duration.hpp"
#include "asyncdemo/teach/mode.hpp"

#include <cstddef>
#include <optional>
#include <vector>

namespace asyncdemo {

// In seconds. σ is the sample standard deviation (n − 1); 0 for one run.
struct Stats {
  std::size_t n = 0;
  double mean = 0;
  double stddev = 0;
  double min = 0;
  double max = 0;
};

Stats stats_of(const std::vector<Duration>& times);

struct Ratio {
  double value = 0;
  double stddev = 0;
};

// How many times faster `run` is than `base`: base.mean / run.mean, its σ
// propagated from both (relative errors added in quadrature).
Ratio speedup(const Stats& base, const Stats& run);

// One mode's measured runs and its model time.
struct ModeRuns {
  Mode mode{};
  Duration model{};
  std::vector<Duration> times; // elapsed, one per run
  Stats stats() const { return stats_of(times); }
};

// What every mode is compared with: the measured sync runs when sync is among
// them, else the sync model time; none when the scenario has no sync mode.
std::optional<Stats> sync_baseline(const std::vector<ModeRuns>& modes,
                                   std::optional<Duration> sync_model);

// The fastest mode (on a tie the idiomatic one, gather first); null when no
// mode has a run.
const ModeRuns* fastest(const std::vector<ModeRuns>& modes);

} // namespace asyncdemo
