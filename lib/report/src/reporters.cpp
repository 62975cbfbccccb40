#include "asyncdemo/report/reporters.hpp"

#include "asyncdemo/report/summary.hpp"

#include "outputs.hpp"

#include <array>

namespace asyncdemo {

namespace {

struct Output {
  bool (*wanted)(const RunPlan&);
  MakeReporter make;
};

// The files first: they only gather the runs until the session ends, so
// that they have them even if --step's q stops the rest (the exports are
// files too). Then, in the order they write: the progress bar of --runs
// (it clears its line before the others write), --step's frames (before
// the summary they lead to), the format's own output, the chart that
// follows each run's summary; last, the assertions, which write nothing but
// their verdict.
constexpr std::array<Output, 17> outputs{{
    {[](const RunPlan& p) { return p.trace.has_value(); }, make_trace_reporter},
    {[](const RunPlan& p) { return p.html.has_value(); }, make_html_reporter},
    {[](const RunPlan& p) { return p.svg.has_value(); }, make_svg_reporter},
    {[](const RunPlan& p) { return p.export_json.has_value(); }, make_json_export},
    {[](const RunPlan& p) { return p.export_markdown.has_value(); }, make_markdown_export},
    {[](const RunPlan& p) { return p.export_csv.has_value(); }, make_csv_export},
    {[](const RunPlan& p) { return p.progress; }, make_progress_reporter},
    {[](const RunPlan& p) { return p.step; }, make_step_reporter},
    {[](const RunPlan& p) { return p.format == Format::text; }, make_text_reporter},
    {[](const RunPlan& p) { return p.format == Format::json; }, make_json_reporter},
    {[](const RunPlan& p) { return p.format == Format::jsonl; }, make_jsonl_reporter},
    {[](const RunPlan& p) { return p.format == Format::csv; }, make_csv_reporter},
    {[](const RunPlan& p) { return p.format == Format::markdown; }, make_markdown_reporter},
    {[](const RunPlan& p) { return p.format == Format::lines; }, make_lines_reporter},
    {[](const RunPlan& p) { return p.timeline; }, make_timeline_reporter},
    {[](const RunPlan& p) { return p.expect.has_value(); }, make_expect_reporter},
    {[](const RunPlan& p) { return p.min_speedup.has_value(); }, make_min_speedup_reporter},
}};

} // namespace

std::vector<Reporter*> Reporters::pointers() const {
  std::vector<Reporter*> out;
  for (const auto& r : list)
    out.push_back(r.get());
  return out;
}

Reporters make_reporters(const RunPlan& plan, std::FILE* out) {
  Reporters r;
  for (const auto& o : outputs) {
    if (!o.wanted(plan)) continue;
    auto reporter = o.make(plan, out, r.error);
    if (!reporter) {
      r.list.clear();
      return r;
    }
    r.list.push_back(std::move(reporter));
  }
  return r;
}

std::string run_title(const SessionView& v, Mode m) {
  return v.scenario.name + " --mode=" + std::string(to_string(m));
}

std::vector<Comparison> beside_models(const SessionView& v, const ComparisonResult& cmp) {
  std::vector<Comparison> rows;
  for (const auto* r : cmp.runs)
    rows.push_back(Comparison{r, v.model(r->mode)});
  return rows;
}

void put(std::FILE* out, const std::string& text) {
  std::fwrite(text.data(), 1, text.size(), out);
}

std::string FirstRunsFile::heading() const {
  if (plan_.title) return *plan_.title;
  const auto& s = view_->scenario;
  return s.summary.empty() ? s.name : s.name + ": " + s.summary;
}

std::string FirstRunsFile::what_ran() const {
  return view_->scenario.name + " · " +
         (plan_.several() ? std::to_string(runs_.size()) + " modes"
                          : std::string(to_string(plan_.modes.front())));
}

std::string FirstRunsFile::clock_words() const {
  return plan_.clock == ClockKind::virtual_time ? "virtual clock" : "real clock";
}

} // namespace asyncdemo
