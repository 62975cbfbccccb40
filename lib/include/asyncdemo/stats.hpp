#pragma once
// The arithmetic of --runs=N: mean ± σ, min and max, and the ratio of two
// means with its σ, as hyperfine computes them.
#include "asyncdemo/duration.hpp"

#include <cstddef>
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

} // namespace asyncdemo
