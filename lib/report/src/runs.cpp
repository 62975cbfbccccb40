#include "asyncdemo/report/runs.hpp"

#include "asyncdemo/report/detail/text.hpp"
#include "asyncdemo/report/summary.hpp"

#include <fmt/format.h>

#include <array>
#include <cmath>

namespace asyncdemo {

namespace {

// σ and small differences read best in ms; whole runs in seconds.
std::string short_seconds(double s) {
  if (std::fabs(s) < 1.0) return fmt::format("{:.3f} ms", s * 1e3);
  return fmt::format("{:.3f} s", s);
}

std::string ratio_text(const Ratio& r) {
  return fmt::format("{:.2f} ± {:.2f} ×", r.value, r.stddev);
}

// Against sync, in words, with the ratio's own σ as its noise.
std::string against(const Stats& base, const Stats& s, Style style) {
  const auto r = speedup(base, s);
  return versus_sync(r, r.stddev, true, style);
}

} // namespace

std::string runs_block(const ModeRuns& m, std::optional<Stats> base, Style style) {
  const auto s = m.stats();
  std::string out = fmt::format("{} ({} run{})\n",
                                report_detail::paint(style, report_detail::bold, to_string(m.mode)),
                                s.n, s.n == 1 ? "" : "s");
  out += fmt::format("  Time (mean ± σ):    {} ± {}   model {} ({})\n",
                     format_seconds(seconds(s.mean)), short_seconds(s.stddev),
                     format_seconds(m.model), format_overhead(seconds(s.mean), m.model));
  out += fmt::format("  Range (min … max):  {} … {}\n", format_seconds(seconds(s.min)),
                     format_seconds(seconds(s.max)));
  if (base && m.mode != Mode::sync) out += fmt::format("  {}\n", against(*base, s, style));
  return out;
}

std::string runs_summary_line(const ModeRuns& m, std::optional<Stats> base, Style style) {
  const auto s = m.stats();
  std::string out = fmt::format("{} · {} ± {} ({} run{}) · model {}",
                                report_detail::paint(style, report_detail::bold, to_string(m.mode)),
                                format_seconds(seconds(s.mean)), short_seconds(s.stddev), s.n,
                                s.n == 1 ? "" : "s", format_seconds(m.model));
  if (base && m.mode != Mode::sync) out += fmt::format(" · {}", against(*base, s, style));
  return out;
}

std::string runs_table(const std::vector<ModeRuns>& modes, std::optional<Stats> base, Style style) {
  std::vector<std::array<std::string, 7>> cells;
  cells.push_back({"mode", "mean ± σ", "min", "max", "model", "overhead", "vs sync"});
  for (const auto& m : modes) {
    const auto s = m.stats();
    cells.push_back(
        {std::string(to_string(m.mode)),
         fmt::format("{} ± {}", format_seconds(seconds(s.mean)), short_seconds(s.stddev)),
         format_seconds(seconds(s.min)), format_seconds(seconds(s.max)), format_seconds(m.model),
         format_overhead(seconds(s.mean), m.model),
         base ? ratio_text(speedup(*base, s)) : std::string("-")});
  }
  return report_detail::aligned_table(cells, style);
}

std::string runs_closing_line(const std::vector<ModeRuns>& modes, std::optional<Stats> base,
                              Style style) {
  if (!base) return {};
  // Sync aside, the modes whose means are within each other's σ share first place.
  std::vector<Timing> timings;
  for (const auto& m : modes)
    if (m.mode != Mode::sync && !m.times.empty()) {
      const auto s = m.stats();
      timings.push_back({m.mode, s.mean, s.stddev});
    }
  const auto* best = fastest(timings);
  if (!best) return {};
  for (const auto& m : modes)
    if (m.mode == best->mode)
      return closing_sentence(best->mode, leaders(timings), speedup(*base, m.stats()), true, style);
  return {};
}

} // namespace asyncdemo
