#include "asyncdemo/report/summary.hpp"

#include "asyncdemo/report/detail/text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>

namespace asyncdemo {

namespace {

using detail::bold;
using detail::green;
using detail::pad;
using detail::paint;

// The baseline every other mode is compared with.
const RunResult* sync_run(const std::vector<Comparison>& rows) {
  for (const auto& r : rows)
    if (r.run->mode == Mode::sync) return r.run;
  return nullptr;
}

} // namespace

std::string summary_line(const RunResult& run, Duration model, std::optional<Duration> sync_model,
                         Style style) {
  std::string out = paint(style, bold, to_string(run.mode));
  if (run.clock == ClockKind::virtual_time) {
    out += fmt::format(" · {} on the virtual clock", format_seconds(run.elapsed));
  } else {
    out += fmt::format(" · {} elapsed", format_seconds(run.elapsed));
    if (run.speed != 1.0)
      out += fmt::format(" ({} wall at {:g}× speed)", format_seconds(run.wall), run.speed);
    out +=
        fmt::format(" · model {} ({})", format_seconds(model), format_overhead(run.elapsed, model));
  }
  if (run.mode == Mode::sync) {
    out += " · the sync baseline";
  } else if (sync_model && run.elapsed.count() > 0) {
    const double r = to_seconds(*sync_model) / to_seconds(run.elapsed);
    out += fmt::format(" · sync {} · {}", format_seconds(*sync_model),
                       paint(style, green, format_ratio(r) + " faster than sync"));
  }
  // The seed makes the run reproducible: say it, so it can be given again.
  if (run.seed) out += fmt::format(" · seed {}", *run.seed);
  return out;
}

std::string mode_table(const std::vector<Comparison>& rows, Style style) {
  const RunResult* base = sync_run(rows);
  std::vector<std::array<std::string, 5>> cells;
  cells.push_back({"mode", "elapsed", "model", "overhead", "vs sync"});
  for (const auto& r : rows) {
    const bool virt = r.run->clock == ClockKind::virtual_time;
    cells.push_back({std::string(to_string(r.run->mode)), format_seconds(r.run->elapsed),
                     format_seconds(r.model),
                     virt ? std::string("exact") : format_overhead(r.run->elapsed, r.model),
                     base && r.run->elapsed.count() > 0
                         ? format_ratio(to_seconds(base->elapsed) / to_seconds(r.run->elapsed))
                         : std::string("-")});
  }
  return detail::aligned_table(cells, style);
}

std::string closing_line(const std::vector<Comparison>& rows, Style style) {
  const RunResult* base = sync_run(rows);
  if (!base) return {};
  // The fastest mode other than sync itself.
  const RunResult* best = nullptr;
  auto consider = [&](const RunResult* r) {
    if (!best || r->elapsed < best->elapsed) best = r;
  };
  for (auto m : tie_preference)
    for (const auto& r : rows)
      if (m != Mode::sync && r.run->mode == m) consider(r.run);
  for (const auto& r : rows) // a scenario's own modes come last
    if (!is_asyncio_mode(r.run->mode)) consider(r.run);
  if (!best || best->elapsed.count() <= 0) return {};
  const double ratio = to_seconds(base->elapsed) / to_seconds(best->elapsed);
  return faster_than_sync(best->mode, ratio, format_ratio(ratio), style);
}

std::string faster_than_sync(Mode best, double ratio, const std::string& ratio_text, Style style) {
  if (ratio < 1.005)
    return fmt::format("no mode ran faster than sync: nothing overlapped ({} ran {})",
                       to_string(best), ratio_text);
  return fmt::format("{} ran {} faster than sync", paint(style, bold, to_string(best)),
                     paint(style, green, ratio_text));
}

std::string interrupted_line(const RunResult& run, Style style) {
  std::string cancelled;
  for (const auto& t : run.recorder.tasks())
    if (t.outcome == TaskOutcome::cancelled) cancelled += (cancelled.empty() ? "" : ", ") + t.name;
  if (run.recorder.tasks().empty()) // stopped before anything ran
    return paint(style, bold,
                 fmt::format("interrupted before --mode={} began", to_string(run.mode)));
  return paint(style, bold, fmt::format("interrupted at {}", format_seconds(run.elapsed))) +
         (cancelled.empty() ? "" : ": cancelled " + cancelled);
}

std::string mode_header(Mode m, Style style) {
  return paint(style, bold, fmt::format("── {} ──", to_string(m)));
}

} // namespace asyncdemo
