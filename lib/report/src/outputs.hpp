#pragma once
// The reporters' factories, one per output (each in its own file), and what
// they share. The table that chooses among them is reporters.cpp.
#include "asyncdemo/report/output_file.hpp"
#include "asyncdemo/report/summary.hpp"
#include "asyncdemo/run/reporter.hpp"

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

namespace asyncdemo {

// Each makes its reporter for the plan, writing to `out`; or returns null
// with `error` set (one line) when it cannot (an unwritable --trace).
using MakeReporter = std::unique_ptr<Reporter> (*)(const RunPlan&, std::FILE* out,
                                                   std::string& error);

// --runs's progress bar on stderr (progress.cpp).
std::unique_ptr<Reporter> make_progress_reporter(const RunPlan&, std::FILE*, std::string&);
std::unique_ptr<Reporter> make_text_reporter(const RunPlan&, std::FILE*, std::string&);
std::unique_ptr<Reporter> make_json_reporter(const RunPlan&, std::FILE*, std::string&);
std::unique_ptr<Reporter> make_jsonl_reporter(const RunPlan&, std::FILE*, std::string&);
std::unique_ptr<Reporter> make_csv_reporter(const RunPlan&, std::FILE*, std::string&);
std::unique_ptr<Reporter> make_markdown_reporter(const RunPlan&, std::FILE*, std::string&);
std::unique_ptr<Reporter> make_lines_reporter(const RunPlan&, std::FILE*, std::string&);
std::unique_ptr<Reporter> make_timeline_reporter(const RunPlan&, std::FILE*, std::string&);
std::unique_ptr<Reporter> make_trace_reporter(const RunPlan&, std::FILE*, std::string&);
std::unique_ptr<Reporter> make_step_reporter(const RunPlan&, std::FILE*, std::string&);
std::unique_ptr<Reporter> make_html_reporter(const RunPlan&, std::FILE*, std::string&);
std::unique_ptr<Reporter> make_svg_reporter(const RunPlan&, std::FILE*, std::string&);
// CSV as --export-csv writes it: the table of modes for a comparison (even
// --mode=all, whose --format=csv is every mode's tasks), else the tasks.
std::unique_ptr<Reporter> make_comparison_csv_reporter(const RunPlan&, std::FILE*, std::string&);
// The assertions (--expect, --min-speedup): what they find false is their
// unmet(), and the session's exit status 3.
std::unique_ptr<Reporter> make_expect_reporter(const RunPlan&, std::FILE*, std::string&);
std::unique_ptr<Reporter> make_min_speedup_reporter(const RunPlan&, std::FILE*, std::string&);
// The exports (export.cpp): a format's reporter, into a file at the end.
std::unique_ptr<Reporter> make_json_export(const RunPlan&, std::FILE*, std::string&);
std::unique_ptr<Reporter> make_markdown_export(const RunPlan&, std::FILE*, std::string&);
std::unique_ptr<Reporter> make_csv_export(const RunPlan&, std::FILE*, std::string&);

// A run's model and sync equivalent, as the reports compare it.
inline RunContext context(const SessionView& v, const RunResult& r) {
  return RunContext{v.scenario.name, v.model(r.mode), v.sync_model};
}

// "breakfast --mode=gather": a run's title in tables and traces.
std::string run_title(const SessionView& v, Mode m);

// The runs of a live comparison beside their models (--mode=all).
std::vector<Comparison> beside_models(const SessionView& v, const ComparisonResult& cmp);

// Writes all of text to out.
void put(std::FILE* out, const std::string& text);

// A file drawn from each mode's first run at the end of the session (--html,
// --svg): whole or not at all, and written whatever happened, as the trace
// is (an interrupted run is worth seeing too; a run stopped before it made a
// task has nothing to draw).
class FirstRunsFile : public Reporter {
public:
  FirstRunsFile(const RunPlan& plan, OutputFile file) : plan_(plan), file_(std::move(file)) {}
  void session_begins(const SessionView& v) override { view_ = &v; }
  void run_ended(const RunResult& r, int index) override {
    if (index == 0 && !r.recorder.tasks().empty()) runs_.push_back(&r);
  }
  bool finish(SessionOutcome, std::string& error) override {
    return runs_.empty() || file_.write(render(), error);
  }

protected:
  // The file's content, from runs_ (never empty).
  virtual std::string render() const = 0;
  // --title, else the scenario's name and summary ("breakfast: coffee (1 s
  // prep + 5 s wait) and eggs ...").
  std::string heading() const;
  // "breakfast · 5 modes", "breakfast · gather".
  std::string what_ran() const;
  // "virtual clock", "real clock".
  std::string clock_words() const;

  const RunPlan& plan_;
  const SessionView* view_ = nullptr;
  std::vector<const RunResult*> runs_;

private:
  OutputFile file_;
};

} // namespace asyncdemo
