// --format=jsonl: one JSON object per event, written and flushed as it
// happens; after each run its summary line; after a comparison, the
// comparison (without the runs, whose lines came before).
#include "asyncdemo/report/json.hpp"

#include "json_doc.hpp"
#include "outputs.hpp"

#include <cstdio>

namespace asyncdemo {

namespace {

class JsonlReporter final : public Reporter {
public:
  explicit JsonlReporter(std::FILE* out) : out_(out) {}
  void session_begins(const SessionView& v) override { view_ = &v; }
  void run_begins(Mode m, int) override { mode_ = m; }
  bool live_events() const override { return true; }
  void event(const RecordedEvent& e, const Recorder& rec) override {
    const auto line = event_line(e, rec, mode_) + "\n";
    std::fwrite(line.data(), 1, line.size(), out_);
    std::fflush(out_); // a reader (jq) sees each line as it happens
  }
  void run_ended(const RunResult& r, int) override {
    json_doc::write_line(out_, json_doc::run(r, context(*view_, r)));
  }
  void compared(const ComparisonResult& cmp) override {
    json_doc::write_line(out_, json_doc::comparison(view_->scenario.name, cmp));
  }

private:
  std::FILE* out_;
  const SessionView* view_ = nullptr;
  Mode mode_{};
};

} // namespace

std::unique_ptr<Reporter> make_jsonl_reporter(const RunPlan&, std::FILE* out, std::string&) {
  return std::make_unique<JsonlReporter>(out);
}

} // namespace asyncdemo
