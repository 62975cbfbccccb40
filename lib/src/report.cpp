#include "asyncdemo/report.hpp"

#include "asyncdemo/detail/text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>

namespace asyncdemo {

namespace {

using detail::bold;
using detail::columns;
using detail::dim;
using detail::green;
using detail::pad;
using detail::paint;

// Task colours, in order of task id; main keeps the terminal's own colour.
constexpr std::array<const char*, 6> palette{"\x1b[36m", "\x1b[33m", "\x1b[35m",
                                             "\x1b[32m", "\x1b[34m", "\x1b[31m"};

const char* task_colour(int id) {
  if (id <= 0) return nullptr;
  return palette[static_cast<std::size_t>(id - 1) % palette.size()];
}

// The baseline every other mode is compared with.
const RunResult* sync_run(const std::vector<Comparison>& rows) {
  for (const auto& r : rows)
    if (r.run->mode == Mode::sync) return r.run;
  return nullptr;
}

} // namespace

std::string format_seconds(Duration d, int decimals) {
  return fmt::format("{:.{}f} s", to_seconds(d), decimals);
}

std::string format_overhead(Duration measured, Duration model) {
  const double over = to_seconds(measured - model);
  const double pct = model.count() > 0 ? 100.0 * over / to_seconds(model) : 0.0;
  if (std::fabs(over) < 1.0) return fmt::format("{:+.3f} ms, {:+.2f} %", over * 1e3, pct);
  return fmt::format("{:+.3f} s, {:+.2f} %", over, pct);
}

std::string format_ratio(double r) {
  return fmt::format("{:.2f} ×", r);
}

LivePrinter::LivePrinter(std::FILE* out, Style style, Duration longest, std::size_t name_width,
                         bool verbose, std::FILE* err)
    : out_(out), err_(err), style_(style),
      time_width_(static_cast<int>(fmt::format("{:.3f}", to_seconds(longest)).size())),
      name_width_(name_width), verbose_(verbose) {}

std::size_t LivePrinter::name_width_for(const Recorder& model, bool verbose) {
  std::size_t w = 4;
  for (const auto& e : model.events())
    if (verbose || e.kind == EventKind::print) w = std::max(w, columns(model.task_name(e.task)));
  return w;
}

void LivePrinter::operator()(const Event& e, const Recorder& rec) {
  if (e.kind != EventKind::print && e.kind != EventKind::warning && !verbose_) return;
  const auto time = fmt::format("{:>{}.3f} s", to_seconds(e.time), time_width_);
  const auto name = pad(rec.task_name(e.task), name_width_);
  if (e.kind == EventKind::warning) { // plain: stderr may not be the terminal stdout is
    std::fflush(out_);
    fmt::print(err_, "{}  {}  {}\n", time, name, e.text);
    return;
  }
  if (e.kind == EventKind::print) {
    fmt::print(out_, "{}  {}  {}\n", paint(style_, dim, time),
               paint(style_, task_colour(e.task), name), e.text);
  } else {
    // The loop's view, by the kind's own name so that new kinds show too.
    const auto what =
        fmt::format("· {}{}{}", to_string(e.kind), e.text.empty() ? "" : ": ", e.text);
    fmt::print(out_, "{}  {}  {}\n", paint(style_, dim, time),
               paint(style_, task_colour(e.task), name), paint(style_, dim, what));
  }
  std::fflush(out_); // lines appear as they happen, even into a pipe
}

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
  std::array<std::size_t, 5> w{};
  for (const auto& row : cells)
    for (std::size_t i = 0; i < row.size(); ++i)
      w[i] = std::max(w[i], columns(row[i]));
  std::string out;
  for (std::size_t r = 0; r < cells.size(); ++r) {
    std::string line = fmt::format("{:<{}}", cells[r][0], w[0]);
    for (std::size_t i = 1; i < 5; ++i)
      line += std::string(3 + w[i] - columns(cells[r][i]), ' ') + cells[r][i];
    out += (r == 0 ? paint(style, bold, line) : line) + "\n";
  }
  return out;
}

std::string closing_line(const std::vector<Comparison>& rows, Style style) {
  const RunResult* base = sync_run(rows);
  if (!base) return {};
  // The fastest mode other than sync itself.
  const RunResult* best = nullptr;
  for (auto m : tie_preference)
    for (const auto& r : rows)
      if (m != Mode::sync && r.run->mode == m && (!best || r.run->elapsed < best->elapsed))
        best = r.run;
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
  return paint(style, bold, fmt::format("interrupted at {}", format_seconds(run.elapsed))) +
         (cancelled.empty() ? "" : ": cancelled " + cancelled);
}

std::string mode_header(Mode m, Style style) {
  return paint(style, bold, fmt::format("── {} ──", to_string(m)));
}

std::string scenario_list(const std::vector<const Scenario*>& scenarios) {
  std::size_t wn = columns("scenario"), ws = columns("seed"), wm = columns("modes");
  for (const auto* s : scenarios) {
    wn = std::max(wn, columns(s->name));
    ws = std::max(ws, columns(s->seed));
    wm = std::max(wm, columns(join(s->modes)));
  }
  std::string out =
      fmt::format("{}  {}  {}  summary\n", pad("scenario", wn), pad("seed", ws), pad("modes", wm));
  for (const auto* s : scenarios)
    out += fmt::format("{}  {}  {}  {}\n", pad(s->name, wn), pad(s->seed, ws),
                       pad(join(s->modes), wm), s->summary);
  return out;
}

} // namespace asyncdemo
