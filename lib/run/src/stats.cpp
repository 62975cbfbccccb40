#include "asyncdemo/run/stats.hpp"

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

std::optional<Stats> sync_baseline(const std::vector<ModeRuns>& modes,
                                   std::optional<Duration> sync_model) {
  for (const auto& m : modes)
    if (m.mode == Mode::sync && !m.times.empty()) return m.stats();
  if (sync_model) return stats_of({*sync_model});
  return std::nullopt;
}

const ModeRuns* fastest(const std::vector<ModeRuns>& modes) {
  const ModeRuns* best = nullptr;
  auto consider = [&](const ModeRuns& m) {
    if (!m.times.empty() && (!best || m.stats().mean < best->stats().mean)) best = &m;
  };
  for (auto p : tie_preference)
    for (const auto& m : modes)
      if (m.mode == p) consider(m);
  for (const auto& m : modes) // a scenario's own modes come last
    if (!is_asyncio_mode(m.mode)) consider(m);
  return best;
}

namespace {

// The order timings are considered in: tie order, then a scenario's own modes.
std::vector<const Timing*> in_tie_order(const std::vector<Timing>& timings) {
  std::vector<const Timing*> order;
  for (auto p : tie_preference)
    for (const auto& t : timings)
      if (t.mode == p) order.push_back(&t);
  for (const auto& t : timings)
    if (!is_asyncio_mode(t.mode)) order.push_back(&t);
  return order;
}

} // namespace

const Timing* fastest(const std::vector<Timing>& timings) {
  const Timing* best = nullptr;
  for (const auto* t : in_tie_order(timings))
    if (!best || t->time < best->time) best = t;
  return best;
}

std::vector<Mode> leaders(const std::vector<Timing>& timings) {
  const auto order = in_tie_order(timings);
  const Timing* best = fastest(timings);
  if (!best) return {};
  // Within the noise, or within 0.5 % of each other: no difference worth a name.
  auto margin = [](const Timing& t) { return std::max(t.noise, relative_tie * t.time); };
  std::vector<Mode> out;
  for (const auto* t : order)
    if (std::fabs(t->time - best->time) <= margin(*t) + margin(*best)) out.push_back(t->mode);
  return out;
}

} // namespace asyncdemo
