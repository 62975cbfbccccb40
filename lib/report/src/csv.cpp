// --format=csv: the table of tasks of each run (one header, the mode
// first), or with --runs the table of modes.
#include "asyncdemo/report/tables.hpp"

#include "outputs.hpp"
#include "task_columns.hpp"

#include <fmt/format.h>

namespace asyncdemo {

std::string csv_field(std::string_view text) {
  if (text.find_first_of(",\"\n") == std::string_view::npos) return std::string(text);
  std::string out = "\"";
  for (char c : text)
    out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

namespace {

std::string csv_time(Duration d) {
  return d.count() < 0 ? std::string() : fmt::format("{:.6f}", to_seconds(d));
}

// The table of tasks of every run, or the table of modes (`modes`).
class CsvReporter final : public Reporter {
public:
  CsvReporter(std::FILE* out, bool modes) : out_(out), modes_(modes) {}
  void session_begins(const SessionView&) override {
    if (!modes_) put(out_, tasks_csv_header());
  }
  void run_ended(const RunResult& r, int) override {
    if (r.ok() && !modes_) put(out_, tasks_csv_rows(r));
  }
  void compared(const ComparisonResult& cmp) override {
    if (modes_) put(out_, modes_csv(cmp.modes, cmp.base));
  }

private:
  std::FILE* out_;
  bool modes_;
};

} // namespace

std::string tasks_csv_header() {
  return "mode,task,start,finish,duration,finish_order,state,result\n";
}

std::string tasks_csv_rows(const RunResult& run) {
  std::string out;
  for (const auto& t : run.recorder.tasks())
    out += fmt::format("{},{},{},{},{},{},{},{}\n", to_string(run.mode), csv_field(t.name),
                       csv_time(t.started), csv_time(t.finished), csv_time(columns::duration_of(t)),
                       columns::order_of(t), to_string(t.outcome), csv_field(t.result));
  return out;
}

std::string modes_csv(const std::vector<ModeRuns>& modes, std::optional<Stats> base) {
  std::string out = "mode,runs,mean,stddev,min,max,model,speedup\n";
  for (const auto& m : modes) {
    const auto s = m.stats();
    out += fmt::format("{},{},{:.6f},{:.6f},{:.6f},{:.6f},{:.6f},{}\n", to_string(m.mode), s.n,
                       s.mean, s.stddev, s.min, s.max, to_seconds(m.model),
                       base ? fmt::format("{:.4f}", speedup(*base, s).value) : std::string());
  }
  return out;
}

std::unique_ptr<Reporter> make_csv_reporter(const RunPlan& plan, std::FILE* out, std::string&) {
  return std::make_unique<CsvReporter>(out, !plan.live());
}

std::unique_ptr<Reporter> make_comparison_csv_reporter(const RunPlan& plan, std::FILE* out,
                                                       std::string&) {
  return std::make_unique<CsvReporter>(out, plan.comparison());
}

} // namespace asyncdemo
