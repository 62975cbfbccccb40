// --format=markdown: each run's table of tasks under its title, and the
// summary line; with --mode=all or --runs, the table of modes and the
// closing line.
#include "asyncdemo/report/runs.hpp"
#include "asyncdemo/report/summary.hpp"
#include "asyncdemo/report/tables.hpp"

#include "outputs.hpp"
#include "task_columns.hpp"

#include <fmt/format.h>

namespace asyncdemo {

namespace {

// A Markdown cell: a pipe would end the cell, a newline the row.
std::string md_cell(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '|')
      out += "\\|";
    else if (c == '\n')
      out += ' ';
    else
      out += c;
  }
  return out;
}

std::string md_time(Duration d) {
  return d.count() < 0 ? std::string("-") : format_seconds(d);
}

std::string result_of(const TaskRecord& t) {
  if (t.outcome == TaskOutcome::done) return t.result;
  return fmt::format("{} ({})", to_string(t.outcome), t.result);
}

class MarkdownReporter final : public Reporter {
public:
  MarkdownReporter(const RunPlan& plan, std::FILE* out) : plan_(plan), out_(out) {}
  void session_begins(const SessionView& v) override { view_ = &v; }
  void run_ended(const RunResult& r, int) override {
    if (!r.ok() || !plan_.live()) return;
    put(out_, tasks_markdown(r, run_title(*view_, r.mode)) + "\n");
    if (const auto& s = view_->scenario; s.narration) // for people: a quote
      if (const auto text = s.narration(Context{r.mode, plan_.params, plan_.seed}); !text.empty())
        put(out_, "> " + md_cell(text) + "\n\n");
    if (!plan_.several())
      put(out_, summary_line(r, view_->model(r.mode), view_->sync_model, Style{}) + "\n");
  }
  void compared(const ComparisonResult& cmp) override {
    const auto line = plan_.live()
                          ? closing_line(beside_models(*view_, cmp), view_->sync_model, Style{})
                          : runs_closing_line(cmp.modes, cmp.base, Style{});
    put(out_, fmt::format("### {} --mode={}\n\n", view_->scenario.name,
                          plan_.several() ? "all" : to_string(plan_.modes.front())));
    put(out_, modes_markdown(cmp.modes, cmp.base));
    if (!line.empty()) put(out_, "\n" + line + "\n");
    for (const auto& skip : cmp.skipped)
      put(out_, fmt::format("\n{} skipped: {}\n", to_string(skip.mode), md_cell(skip.why)));
  }

private:
  const RunPlan& plan_;
  std::FILE* out_;
  const SessionView* view_ = nullptr;
};

} // namespace

std::string tasks_markdown(const RunResult& run, const std::string& title) {
  std::string out = fmt::format("### {}\n\n", title);
  out += "| task | start | finish | duration | finish order | result |\n"
         "|---|--:|--:|--:|--:|---|\n";
  for (const auto& t : run.recorder.tasks())
    out += fmt::format("| {} | {} | {} | {} | {} | {} |\n", md_cell(t.name), md_time(t.started),
                       md_time(t.finished), md_time(columns::duration_of(t)),
                       t.finish_order == 0 ? std::string("-") : columns::order_of(t),
                       md_cell(result_of(t)));
  return out;
}

std::string modes_markdown(const std::vector<ModeRuns>& modes, std::optional<Stats> base) {
  bool repeated = false;
  for (const auto& m : modes)
    repeated = repeated || m.times.size() > 1;
  std::string out = repeated ? "| mode | runs | mean ± σ | min | max | model | vs sync |\n"
                               "|---|--:|--:|--:|--:|--:|--:|\n"
                             : "| mode | elapsed | model | overhead | vs sync |\n"
                               "|---|--:|--:|--:|--:|\n";
  for (const auto& m : modes) {
    const auto s = m.stats();
    std::string vs = "-";
    if (base) {
      const auto r = speedup(*base, s);
      vs = repeated ? fmt::format("{:.2f} ± {:.2f} ×", r.value, r.stddev) : format_ratio(r.value);
    }
    if (repeated)
      out += fmt::format("| {} | {} | {} ± {:.3f} ms | {} | {} | {} | {} |\n", to_string(m.mode),
                         s.n, format_seconds(seconds(s.mean)), s.stddev * 1e3,
                         format_seconds(seconds(s.min)), format_seconds(seconds(s.max)),
                         format_seconds(m.model), vs);
    else
      out += fmt::format("| {} | {} | {} | {} | {} |\n", to_string(m.mode),
                         format_seconds(seconds(s.mean)), format_seconds(m.model),
                         format_overhead(seconds(s.mean), m.model), vs);
  }
  return out;
}

std::unique_ptr<Reporter> make_markdown_reporter(const RunPlan& plan, std::FILE* out,
                                                 std::string&) {
  return std::make_unique<MarkdownReporter>(plan, out);
}

} // namespace asyncdemo
