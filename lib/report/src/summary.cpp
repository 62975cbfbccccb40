#include "asyncdemo/report/summary.hpp"

#include "asyncdemo/report/detail/text.hpp"
#include "asyncdemo/text/wrap.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>

namespace asyncdemo {

namespace {

using report_detail::bold;
using report_detail::green;
using report_detail::pad;
using report_detail::paint;

// The time every other mode is compared with: the sync run among the
// rows, else the sync model (a scenario with no sync mode may have one).
std::optional<Duration> sync_time(const std::vector<Comparison>& rows,
                                  std::optional<Duration> sync_model) {
  for (const auto& r : rows)
    if (r.run->mode == Mode::sync) return r.run->elapsed;
  return sync_model;
}

std::string ratio_text(Ratio r, bool spread) {
  if (spread) return fmt::format("{:.2f} ± {:.2f} ×", r.value, r.stddev);
  return format_ratio(r.value);
}

// "gather", "gather and create_task", "gather, as_completed and create_task"
std::string and_list(const std::vector<Mode>& modes, Style style) {
  std::string out;
  for (std::size_t i = 0; i < modes.size(); ++i) {
    if (i > 0) out += i + 1 == modes.size() ? " and " : ", ";
    out += paint(style, bold, to_string(modes[i]));
  }
  return out;
}

} // namespace

std::string summary_line(const RunResult& run, Duration model, std::optional<Duration> sync_model,
                         Style style) {
  // Fields, so that a narrow terminal breaks the line between them.
  std::vector<std::string> fields{paint(style, bold, to_string(run.mode))};
  if (run.clock == ClockKind::virtual_time) {
    fields.push_back(fmt::format("{} on the virtual clock", format_seconds(run.elapsed)));
  } else {
    auto elapsed = fmt::format("{} elapsed", format_seconds(run.elapsed));
    if (run.speed != 1.0)
      elapsed += fmt::format(" ({} wall at {:g}× speed)", format_seconds(run.wall), run.speed);
    fields.push_back(elapsed);
    fields.push_back(
        fmt::format("model {} ({})", format_seconds(model), format_overhead(run.elapsed, model)));
  }
  if (run.mode == Mode::sync) {
    fields.emplace_back("the sync baseline");
  } else if (sync_model && run.elapsed.count() > 0) {
    const double sync = to_seconds(*sync_model);
    const double r = sync / to_seconds(run.elapsed);
    // When the model says this mode is no faster than sync, what the run's
    // own overhead (its distance from its exact model) can explain of the
    // ratio is noise, not a difference between the modes. A model that
    // says faster leaves the measured ratio as it is: the figure JSON gives.
    const double modelled = model.count() > 0 ? sync / to_seconds(model) : 0.0;
    const double noise = std::fabs(modelled - 1.0) <= 0.005 ? std::fabs(r - modelled) : 0.0;
    fields.push_back(fmt::format("sync {}", format_seconds(*sync_model)));
    fields.push_back(versus_sync(Ratio{r, 0}, noise, false, style));
  }
  // The executor's size and the seed make the run reproducible: say them,
  // so that they can be given again.
  if (auto note = executor_note(run); !note.empty()) fields.push_back(std::move(note));
  if (run.seed) fields.push_back(fmt::format("seed {}", *run.seed));
  return fitted(fields, style);
}

std::string executor_note(const RunResult& run) {
  if (!run.executor_used && !run.workers_given) return {};
  return fmt::format("to_thread: {} worker{}{}", run.workers, run.workers == 1 ? "" : "s",
                     run.executor_used ? "" : ", not used");
}

std::string fitted(const std::vector<std::string>& fields, Style style) {
  return join_fitted(fields, " · ", style.fit > 0 ? style.fit : std::string::npos);
}

std::string narration_block(const std::string& text, Style style) {
  // "pitfall: ...": the label bold, the whole indented, apart from the
  // program's lines (which have a time and a task).
  const auto colon = text.find(": ");
  const auto body = colon == std::string::npos ? text : text.substr(colon + 2);
  const auto label = colon == std::string::npos ? std::string() : text.substr(0, colon + 1) + " ";
  const auto first = "  " + paint(style, bold, label);
  if (style.fit == 0) return first + body;
  return wrap_indented(body, style.fit, first, "    ");
}

std::string versus_sync(Ratio r, double noise, bool spread, Style style) {
  if (r.value <= 0) return "no faster than sync";
  if (std::fabs(r.value - 1.0) <= std::max(noise, 0.005)) return "no faster than sync";
  if (r.value > 1.0) return paint(style, green, ratio_text(r, spread) + " faster than sync");
  // σ of 1/r is σ/r², to first order.
  const Ratio slower{1.0 / r.value, r.stddev / (r.value * r.value)};
  return ratio_text(slower, spread) + " slower than sync";
}

std::string mode_table(const std::vector<Comparison>& rows, std::optional<Duration> sync_model,
                       Style style) {
  const auto base = sync_time(rows, sync_model);
  std::vector<std::array<std::string, 5>> cells;
  cells.push_back({"mode", "elapsed", "model", "overhead", "vs sync"});
  for (const auto& r : rows) {
    const bool virt = r.run->clock == ClockKind::virtual_time;
    cells.push_back({std::string(to_string(r.run->mode)), format_seconds(r.run->elapsed),
                     format_seconds(r.model),
                     virt ? std::string("exact") : format_overhead(r.run->elapsed, r.model),
                     base && r.run->elapsed.count() > 0
                         ? format_ratio(to_seconds(*base) / to_seconds(r.run->elapsed))
                         : std::string("-")});
  }
  return report_detail::aligned_table(cells, style);
}

std::string mode_table_legend(Style style) {
  const std::string text =
      "model: a mode's exact time, counting only the program's sleeps and blocking; overhead: "
      "this run's distance from it";
  const auto wrapped = style.fit > 0 ? wrap_indented(text, style.fit, "", "  ") : text;
  return paint(style, report_detail::dim, wrapped);
}

std::string closing_line(const std::vector<Comparison>& rows, std::optional<Duration> sync_model,
                         Style style) {
  const auto base = sync_time(rows, sync_model);
  if (!base) return {};
  // Who ran fastest, sync itself aside; on the real clock a run's noise is
  // its distance from its exact model, so modes whose models are equal tie.
  std::vector<Timing> timings;
  bool real = false;
  for (const auto& r : rows) {
    if (r.run->mode == Mode::sync) continue;
    real = real || r.run->clock == ClockKind::real;
    const double elapsed = to_seconds(r.run->elapsed);
    timings.push_back(
        {r.run->mode, elapsed,
         r.run->clock == ClockKind::real ? std::fabs(elapsed - to_seconds(r.model)) : 0.0});
  }
  const auto* best = fastest(timings);
  if (!best || best->time <= 0) return {};
  // On the virtual clock times are exact, and equal ones go to the idiomatic mode.
  const auto tied = real ? leaders(timings) : std::vector<Mode>{best->mode};
  return closing_sentence(best->mode, tied, Ratio{to_seconds(*base) / best->time, 0}, false, style);
}

std::string closing_sentence(Mode best, const std::vector<Mode>& tied, Ratio r, bool spread,
                             Style style) {
  if (r.value < 1.005)
    return fmt::format("no mode ran faster than sync: nothing overlapped ({} ran {})",
                       to_string(best), ratio_text(r, spread));
  const auto faster = paint(style, green, ratio_text(r, spread)) + " faster than sync";
  if (tied.size() <= 1)
    return fmt::format("{} ran {}", paint(style, bold, to_string(best)), faster);
  return fmt::format("{} tie: {} (within {})", and_list(tied, style), faster,
                     spread ? "± σ" : "the noise");
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
