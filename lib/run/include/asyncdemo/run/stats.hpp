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

// One mode's time and how far chance may have moved it, in seconds: σ over
// several runs; for one real-clock run, its distance from its exact model;
// 0 on the virtual clock.
struct Timing {
  Mode mode{};
  double time = 0;
  double noise = 0;
};

// The fastest of them, strictly (equal times: in tie order); null for none.
const Timing* fastest(const std::vector<Timing>& timings);

// Two times closer than this fraction of themselves tie, whatever the noise.
inline constexpr double relative_tie = 0.005;

// The modes that share first place: the fastest and each whose time is
// within the noise of the fastest's (their ± intervals overlap, as
// hyperfine's do) or within relative_tie of it; in tie order (gather
// first). A winner is named alone only when it is beyond the noise. Empty
// when there are no timings.
std::vector<Mode> leaders(const std::vector<Timing>& timings);

} // namespace asyncdemo
