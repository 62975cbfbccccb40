#include "asyncdemo/session.hpp"

#include "asyncdemo/benchmark.hpp"
#include "asyncdemo/errors.hpp"
#include "asyncdemo/json_report.hpp"
#include "asyncdemo/table.hpp"
#include "asyncdemo/timeline.hpp"

#include <fmt/format.h>

#include <array>
#include <map>
#include <optional>

namespace asyncdemo {

namespace {

constexpr std::array<std::string_view, 5> format_text{"text", "json", "jsonl", "csv", "markdown"};

void put(std::FILE* out, const std::string& text) {
  std::fwrite(text.data(), 1, text.size(), out);
}

} // namespace

std::optional<Format> parse_format(std::string_view text) noexcept {
  for (std::size_t i = 0; i < format_text.size(); ++i)
    if (text == format_text[i]) return static_cast<Format>(i);
  return std::nullopt;
}

std::string_view to_string(Format f) noexcept {
  return format_text[static_cast<std::size_t>(f)];
}

SessionOutcome run_session(const Scenario& s, const Params& params, const SessionOptions& opts,
                           std::FILE* out, std::FILE* err) {
  const bool verbose = opts.verbosity == Verbosity::verbose;
  const bool quiet = opts.verbosity == Verbosity::quiet;
  const bool text = opts.format == Format::text;
  std::map<Mode, RunResult> models;
  // A light scenario (swarm) measures and reports itself: no model run,
  // which would cost as much as the run.
  auto model_of = [&](Mode m) -> const RunResult& {
    auto it = models.find(m);
    if (it != models.end()) return it->second;
    if (!s.light) return models.emplace(m, model_run(s, params, m, opts.seed)).first->second;
    RunResult worked_out; // the model's time only: nothing ran
    worked_out.mode = m;
    if (s.model) worked_out.elapsed = s.model(Context{m, params, opts.seed});
    return models.emplace(m, std::move(worked_out)).first->second;
  };
  Duration longest{};
  std::size_t name_width = 4;
  for (auto m : opts.modes) {
    const auto& model = model_of(m);
    if (model.failure) break; // the real run reports it
    longest = std::max(longest, model.elapsed);
    name_width = std::max(name_width, LivePrinter::name_width_for(model.recorder, verbose));
  }
  // The timelines of several modes share their name column too.
  std::size_t chart_names = 4;
  for (const auto& [m, model] : models)
    for (const auto& t : model.recorder.tasks())
      chart_names = std::max(chart_names, t.name.size());
  std::optional<Duration> sync_model;
  if (s.supports(Mode::sync)) sync_model = model_of(Mode::sync).elapsed;

  const bool several = opts.modes.size() > 1;
  // With --runs the runs are measured, not watched: no live lines.
  const bool live = opts.runs == 1;
  const bool comparison = several || !live;
  auto title = [&](Mode m) { return fmt::format("{} --mode={}", s.name, to_string(m)); };
  auto context = [&](Mode m) { return RunContext{s.name, model_of(m).elapsed, sync_model}; };

  std::vector<RunResult> runs;
  runs.reserve(opts.modes.size() * static_cast<std::size_t>(opts.runs));
  std::vector<ModeRuns> measured;
  std::vector<TracedRun> traced;
  SessionOutcome outcome = SessionOutcome::ok;
  if (opts.format == Format::csv) put(out, live ? tasks_csv_header() : std::string());

  for (auto m : opts.modes) {
    ModeRuns mr{m, model_of(m).elapsed, {}};
    for (int i = 0; i < opts.runs && outcome == SessionOutcome::ok; ++i) {
      if (text && several && live && !quiet) fmt::print(out, "{}\n", mode_header(m, opts.style));
      std::fflush(out);
      Recorder::Sink sink;
      if (text && live && !quiet)
        sink = LivePrinter(out, opts.style, longest, name_width, verbose, err);
      else if (opts.format == Format::jsonl)
        sink = JsonlPrinter(out, m);
      runs.push_back(run_scenario(s, params, RunOptions{m, opts.clock, opts.speed, true, opts.seed},
                                  std::move(sink)));
      const auto& r = runs.back();
      if (i == 0) traced.push_back(TracedRun{title(m), &r});
      if (opts.format == Format::jsonl) write_json_line(out, run_json(r, context(m), false));
      if (r.interrupted) {
        if (text) fmt::print(out, "\n{}\n", interrupted_line(r, opts.style));
        outcome = SessionOutcome::interrupted;
      } else if (r.failure) {
        std::fflush(out);
        fmt::print(err, "asyncdemo: {} failed: {}\n", title(m), describe(r.failure));
        outcome = SessionOutcome::failed;
      }
      if (outcome != SessionOutcome::ok) {
        // A script still gets a document, saying what happened.
        if (opts.format == Format::json) put(out, run_json(r, context(m)).dump(2) + "\n");
        break;
      }
      mr.times.push_back(r.elapsed);
      if (!live) continue;
      switch (opts.format) {
      case Format::text:
        if (s.light)
          break;
        else if (!several)
          fmt::print(out, "{}{}\n", quiet ? "" : "\n",
                     summary_line(r, model_of(m).elapsed, sync_model, opts.style));
        else if (!quiet)
          fmt::print(out, "\n");
        if (opts.timeline) {
          // One scale for every mode, so that their charts compare.
          const auto scale = several ? std::max(longest, r.elapsed) : r.elapsed;
          if (!several) fmt::print(out, "\n");
          if (several && quiet) fmt::print(out, "{}\n", mode_header(m, opts.style));
          put(out, timeline(r.recorder, scale, opts.width, several ? chart_names : 4,
                            m == opts.modes.back()));
          if (several) fmt::print(out, "\n");
        }
        break;
      case Format::csv:
        put(out, tasks_csv_rows(r));
        break;
      case Format::markdown:
        put(out, tasks_markdown(r, title(m)) + "\n");
        if (!several) put(out, summary_line(r, model_of(m).elapsed, sync_model, Style{}) + "\n");
        break;
      case Format::json:
        if (!comparison) put(out, run_json(r, context(m)).dump(2) + "\n");
        break;
      case Format::jsonl:
        break;
      }
    }
    if (outcome != SessionOutcome::ok) break;
    measured.push_back(mr);
    if (text && !live && !quiet)
      put(out, runs_block(mr, sync_baseline(measured, sync_model), opts.style) + "\n");
  }

  if (outcome == SessionOutcome::ok && comparison) {
    const auto base = sync_baseline(measured, sync_model);
    std::vector<const RunResult*> run_ptrs;
    std::vector<RunContext> contexts;
    for (const auto& r : runs) {
      run_ptrs.push_back(&r);
      contexts.push_back(context(r.mode));
    }
    switch (opts.format) {
    case Format::text:
      if (live) {
        std::vector<Comparison> rows;
        for (const auto& r : runs)
          rows.push_back(Comparison{&r, model_of(r.mode).elapsed});
        const auto line = closing_line(rows, opts.style);
        if (!quiet || line.empty()) fmt::print(out, "{}\n", mode_table(rows, opts.style));
        if (!line.empty()) fmt::print(out, "{}\n", line);
      } else if (!several) {
        if (quiet) fmt::print(out, "{}\n", runs_summary_line(measured.front(), base, opts.style));
      } else {
        const auto line = runs_closing_line(measured, base, opts.style);
        if (!quiet || line.empty()) fmt::print(out, "{}\n", runs_table(measured, base, opts.style));
        if (!line.empty()) fmt::print(out, "{}\n", line);
      }
      break;
    case Format::json:
      put(out, comparison_json(s.name, measured, run_ptrs, contexts).dump(2) + "\n");
      break;
    case Format::jsonl: {
      auto doc = comparison_json(s.name, measured, {}, {});
      doc.erase("runs"); // each run's summary line came before
      write_json_line(out, doc);
      break;
    }
    case Format::csv:
      if (!live) put(out, modes_csv(measured, base));
      break;
    case Format::markdown: {
      const auto line = live ? [&] {
        std::vector<Comparison> rows;
        for (const auto& r : runs)
          rows.push_back(Comparison{&r, model_of(r.mode).elapsed});
        return closing_line(rows, Style{});
      }()
                             : runs_closing_line(measured, base, Style{});
      put(out, fmt::format("### {} --mode={}\n\n", s.name,
                           several ? "all" : to_string(opts.modes.front())));
      put(out, modes_markdown(measured, base));
      if (!line.empty()) put(out, "\n" + line + "\n");
      break;
    }
    }
  }

  // The trace is written whatever happened: an interrupted run is worth seeing too.
  if (opts.trace && !traced.empty()) {
    std::string why;
    if (!opts.trace->commit(trace_json(traced).dump() + "\n", why)) {
      std::fflush(out);
      fmt::print(err, "asyncdemo: {}\n", why);
      if (outcome == SessionOutcome::ok) outcome = SessionOutcome::failed;
    }
  }
  return outcome;
}

} // namespace asyncdemo
