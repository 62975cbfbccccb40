// --export-json=FILE, --export-markdown=FILE, --export-csv=FILE: the report
// in that format, written to a file beside the output on stdout, as
// hyperfine's exports are. The format's own reporter writes into memory;
// the file is written at the end through OutputFile (checked before the
// run, whole or not at all), whatever happened, as the trace is.
#include "asyncdemo/report/output_file.hpp"

#include "outputs.hpp"

#include <cstdio>
#include <cstdlib>
#include <utility>

namespace asyncdemo {

namespace {

class ExportReporter final : public Reporter {
public:
  ExportReporter(OutputFile file) : file_(std::move(file)) {}
  ~ExportReporter() override {
    if (memory_) std::fclose(memory_);
    std::free(buffer_);
  }
  ExportReporter(const ExportReporter&) = delete;
  ExportReporter& operator=(const ExportReporter&) = delete;

  // The stream the format's reporter writes into; null when none could be made.
  std::FILE* open() {
    memory_ = open_memstream(&buffer_, &size_);
    return memory_;
  }
  void wrap(std::unique_ptr<Reporter> inner) { inner_ = std::move(inner); }

  void session_begins(const SessionView& v) override { inner_->session_begins(v); }
  void run_begins(Mode m, int index) override { inner_->run_begins(m, index); }
  bool live_events() const override { return inner_->live_events(); }
  void event(const RecordedEvent& e, const Recorder& rec) override { inner_->event(e, rec); }
  void run_ended(const RunResult& run, int index) override { inner_->run_ended(run, index); }
  void mode_measured(const ModeRuns& m, const std::optional<Stats>& base) override {
    inner_->mode_measured(m, base);
  }
  void compared(const ComparisonResult& cmp) override { inner_->compared(cmp); }
  bool finish(SessionOutcome outcome, std::string& error) override {
    if (!inner_->finish(outcome, error)) return false;
    if (std::fflush(memory_) != 0) {
      error = "cannot write " + file_.path() + ": out of memory";
      return false;
    }
    if (size_ == 0) return true; // nothing ran: nothing to export
    return file_.write(std::string(buffer_, size_), error);
  }

private:
  OutputFile file_;
  std::unique_ptr<Reporter> inner_;
  std::FILE* memory_ = nullptr;
  char* buffer_ = nullptr;
  std::size_t size_ = 0;
};

std::unique_ptr<Reporter> make_export(const RunPlan& plan, const char* option,
                                      const std::string& path, MakeReporter make,
                                      std::string& error) {
  auto file = OutputFile::prepare(option, path, error);
  if (!file) return nullptr;
  auto reporter = std::make_unique<ExportReporter>(std::move(*file));
  auto* memory = reporter->open();
  if (!memory) {
    error = std::string(option) + ": out of memory";
    return nullptr;
  }
  auto inner = make(plan, memory, error);
  if (!inner) return nullptr;
  reporter->wrap(std::move(inner));
  return reporter;
}

} // namespace

std::unique_ptr<Reporter> make_json_export(const RunPlan& plan, std::FILE*, std::string& error) {
  return make_export(plan, "--export-json", *plan.export_json, make_json_reporter, error);
}

std::unique_ptr<Reporter> make_markdown_export(const RunPlan& plan, std::FILE*,
                                               std::string& error) {
  return make_export(plan, "--export-markdown", *plan.export_markdown, make_markdown_reporter,
                     error);
}

std::unique_ptr<Reporter> make_csv_export(const RunPlan& plan, std::FILE*, std::string& error) {
  return make_export(plan, "--export-csv", *plan.export_csv, make_comparison_csv_reporter, error);
}

} // namespace asyncdemo
