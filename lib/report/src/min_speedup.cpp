// --min-speedup=X: the best mode other than sync must run at least X times
// faster than sync (its runs, or its model when sync did not run), or the
// session ends with exit status 3. What CI asserts a concurrent version of
// a program gains.
#include "asyncdemo/report/summary.hpp"
#include "asyncdemo/text/units.hpp"

#include "outputs.hpp"

#include <fmt/format.h>

namespace asyncdemo {

namespace {

class MinSpeedupReporter final : public Reporter {
public:
  explicit MinSpeedupReporter(double min) : min_(min) {}
  void session_begins(const SessionView& v) override { view_ = &v; }
  void mode_measured(const ModeRuns& m, const std::optional<Stats>& base) override {
    if (m.mode == Mode::sync || !base || m.times.empty()) return;
    ratios_.push_back({m.mode, speedup(*base, m.stats()).value});
  }
  bool finish(SessionOutcome outcome, std::string&) override {
    if (outcome != SessionOutcome::ok || !view_) return true;
    // The best as the closing line names it: equal ones in tie order.
    std::vector<Timing> timings;
    for (const auto& [mode, ratio] : ratios_)
      if (ratio > 0) timings.push_back({mode, 1.0 / ratio, 0});
    const auto* fastest_one = fastest(timings);
    const std::optional<Mode> best =
        fastest_one ? std::optional<Mode>(fastest_one->mode) : std::nullopt;
    const double best_ratio = fastest_one ? 1.0 / fastest_one->time : 0.0;
    if (!best)
      unmet_ = fmt::format("--min-speedup={:g}: no mode but sync ran, so nothing was faster", min_);
    else if (best_ratio < min_)
      // "ran no faster than sync" rather than "ran 1.00 × faster".
      unmet_ = fmt::format("--min-speedup={:g}: the best mode, {}, ran {}, short of {:g} ×", min_,
                           to_string(*best), versus_sync(Ratio{best_ratio, 0}, 0.0, false, Style{}),
                           min_);
    return true;
  }
  std::string unmet() const override { return unmet_; }

private:
  double min_;
  const SessionView* view_ = nullptr;
  std::vector<std::pair<Mode, double>> ratios_; // each mode but sync: its speedup
  std::string unmet_;
};

} // namespace

std::unique_ptr<Reporter> make_min_speedup_reporter(const RunPlan& plan, std::FILE*, std::string&) {
  return std::make_unique<MinSpeedupReporter>(*plan.min_speedup);
}

} // namespace asyncdemo
