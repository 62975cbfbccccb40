// --format=text: each printed line as it happens, then the summary line; or,
// with --mode=all, each mode under its heading and then the table of modes
// and the closing line; with --runs, hyperfine's blocks and table.
#include "asyncdemo/report/live.hpp"
#include "asyncdemo/report/runs.hpp"
#include "asyncdemo/report/summary.hpp"
#include "asyncdemo/text/wrap.hpp"

#include "outputs.hpp"

#include <fmt/format.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace asyncdemo {

namespace {

// A line of fields joined by " · ", fitted to the plan's width (whole when
// the width is not known: a pipe, for scripts).
std::string fitted_fields(const std::string& line, const Style& style) {
  if (style.fit == 0) return line;
  std::vector<std::string> fields;
  for (std::size_t from = 0;;) {
    const auto at = line.find(" · ", from);
    fields.push_back(line.substr(from, at == std::string::npos ? at : at - from));
    if (at == std::string::npos) break;
    from = at + std::string_view(" · ").size();
  }
  return join_fitted(fields, " · ", style.fit);
}

class TextReporter final : public Reporter {
public:
  TextReporter(const RunPlan& plan, std::FILE* out)
      : plan_(plan), out_(out), quiet_(plan.verbosity == Verbosity::quiet) {}

  void session_begins(const SessionView& v) override {
    view_ = &v;
    // The task column fits every line of every mode's model, from the first line on.
    std::size_t name_width = 4;
    for (auto m : plan_.modes) {
      const auto& model = v.models.at(m);
      name_width = std::max(name_width, LivePrinter::name_width_for(
                                            model.recorder, plan_.verbosity == Verbosity::verbose));
      if (model.failure) break; // the session stops at it: no later mode is shown
    }
    // --step shows the lines in its frames instead.
    if (plan_.live() && !quiet_ && !plan_.step)
      printer_.emplace(out_, plan_.style, v.longest, name_width,
                       plan_.verbosity == Verbosity::verbose, stderr);
  }
  void run_begins(Mode m, int) override {
    if (plan_.several() && printer_) fmt::print(out_, "{}\n", mode_header(m, plan_.style));
    std::fflush(out_);
  }
  bool live_events() const override { return printer_.has_value(); }
  void event(const RecordedEvent& e, const Recorder& rec) override { (*printer_)(e, rec); }

  void run_ended(const RunResult& r, int) override {
    if (r.interrupted) {
      fmt::print(out_, "\n{}\n", interrupted_line(r, plan_.style));
      return;
    }
    if (r.failure || !plan_.live()) return;
    const auto& s = view_->scenario;
    if (s.narration && !quiet_) {
      const auto text = s.narration(Context{r.mode, plan_.params, plan_.seed});
      if (!text.empty()) fmt::print(out_, "\n{}\n", narration_block(text, plan_.style));
    }
    if (!plan_.several())
      fmt::print(out_, "{}{}\n", quiet_ ? "" : "\n",
                 summary_line(r, view_->model(r.mode), view_->sync_model, plan_.style));
    else if (!quiet_)
      fmt::print(out_, "\n");
    // What a scenario measured about itself (swarm's memory), after its
    // summary; a line of fields ("wall 0.3 s · peak memory 8 MiB") breaks
    // between them, as the summary does, to fit the width.
    if (!quiet_ && !r.figures.lines().empty()) {
      for (const auto& line : r.figures.lines())
        fmt::print(out_, "{}\n", fitted_fields(line, plan_.style));
      if (plan_.several()) fmt::print(out_, "\n");
    }
  }

  void mode_measured(const ModeRuns& m, const std::optional<Stats>& base) override {
    if (!plan_.live() && !quiet_) fmt::print(out_, "{}\n", runs_block(m, base, plan_.style));
  }

  void compared(const ComparisonResult& cmp) override {
    if (plan_.live()) {
      const auto rows = beside_models(*view_, cmp);
      const auto line = closing_line(rows, view_->sync_model, plan_.style);
      if (!quiet_ || line.empty())
        fmt::print(out_, "{}{}\n\n", mode_table(rows, view_->sync_model, plan_.style),
                   mode_table_legend(plan_.style));
      if (!line.empty()) fmt::print(out_, "{}\n", line);
    } else if (!plan_.several()) {
      if (quiet_)
        fmt::print(out_, "{}\n", runs_summary_line(cmp.modes.front(), cmp.base, plan_.style));
    } else {
      const auto line = runs_closing_line(cmp.modes, cmp.base, plan_.style);
      if (!quiet_ || line.empty())
        fmt::print(out_, "{}\n", runs_table(cmp.modes, cmp.base, plan_.style));
      if (!line.empty()) fmt::print(out_, "{}\n", line);
    }
    // What to_thread ran on, once: every run had the same executor (sync,
    // which calls the work in place, uses none).
    const RunResult* executor = nullptr;
    for (const auto* r : cmp.runs)
      if (!executor_note(*r).empty() && (!executor || r->executor_used)) executor = r;
    if (executor) fmt::print(out_, "{}\n", executor_note(*executor));
    // A mode --mode=all left out is said, even with -q.
    for (const auto& skip : cmp.skipped) {
      const auto note = fmt::format("{} skipped: {}", to_string(skip.mode), skip.why);
      fmt::print(out_, "{}\n",
                 plan_.style.fit ? wrap_indented(note, plan_.style.fit, "", "  ") : note);
    }
  }

private:
  const RunPlan& plan_;
  std::FILE* out_;
  bool quiet_;
  const SessionView* view_ = nullptr;
  std::optional<LivePrinter> printer_;
};

} // namespace

std::unique_ptr<Reporter> make_text_reporter(const RunPlan& plan, std::FILE* out, std::string&) {
  return std::make_unique<TextReporter>(plan, out);
}

} // namespace asyncdemo
