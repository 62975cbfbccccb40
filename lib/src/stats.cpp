#include "asyncdemo/stats.hpp"

#include <algorithm>
#include <cmath>

namespace asyncdemo {

Stats stats_of(const std::vector<Duration>& times) {
  Stats s;
  s.n = times.size();
  if (times.empty()) return s;
  double sum = 0;
  s.min = s.max = to_seconds(times.front());
  for (auto t : times) {
    const double x = to_seconds(t);
    sum += x;
    s.min = std::min(s.min, x);
    s.max = std::max(s.max, x);
  }
  s.mean = sum / static_cast<double>(s.n);
  if (s.n > 1) {
    double sq = 0;
    for (auto t : times)
      sq += (to_seconds(t) - s.mean) * (to_seconds(t) - s.mean);
    s.stddev = std::sqrt(sq / static_cast<double>(s.n - 1));
  }
  return s;
}

Ratio speedup(const Stats& base, const Stats& run) {
  if (run.mean <= 0 || base.mean <= 0) return {};
  const double r = base.mean / run.mean;
  return Ratio{r, r * std::hypot(base.stddev / base.mean, run.stddev / run.mean)};
}

} // namespace asyncdemo
