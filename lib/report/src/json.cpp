// --format=json: one document after the session: the run, or the
// comparison of modes; a run that fails or is interrupted still gets one.
#include "asyncdemo/report/json.hpp"

#include "json_doc.hpp"
#include "outputs.hpp"

namespace asyncdemo {

namespace {

class JsonReporter final : public Reporter {
public:
  explicit JsonReporter(std::FILE* out) : out_(out) {}
  void session_begins(const SessionView& v) override { view_ = &v; }
  void run_ended(const RunResult& r, int) override {
    // A script still gets a document saying what happened; a good run is
    // printed alone only when nothing compares it.
    if (!r.ok() || (view_->plan.live() && !view_->plan.comparison()))
      write(json_doc::run_text(r, context(*view_, r), 2));
  }
  void compared(const ComparisonResult& cmp) override {
    write(json_doc::comparison_text(view_->scenario.name, cmp, 2));
  }

private:
  void write(const std::string& document) {
    std::fwrite(document.data(), 1, document.size(), out_);
    std::fputc('\n', out_);
  }
  std::FILE* out_;
  const SessionView* view_ = nullptr;
};

} // namespace

std::string run_document(const RunResult& run, const RunContext& ctx) {
  return json_doc::run_text(run, ctx, 2);
}

std::string comparison_document(const std::string& scenario, const ComparisonResult& cmp) {
  return json_doc::comparison_text(scenario, cmp, 2);
}

std::string event_line(const RecordedEvent& e, const Recorder& rec, Mode mode) {
  auto line = json_doc::header("event");
  line["mode"] = std::string(to_string(mode));
  line.update(json_doc::event(e, rec));
  return json_doc::dumped(line);
}

std::string summary_line_json(const RunResult& run, const RunContext& ctx) {
  return json_doc::dumped(json_doc::run(run, ctx));
}

std::string comparison_line_json(const std::string& scenario, const ComparisonResult& cmp) {
  return json_doc::dumped(json_doc::comparison(scenario, cmp));
}

std::unique_ptr<Reporter> make_json_reporter(const RunPlan&, std::FILE* out, std::string&) {
  return std::make_unique<JsonReporter>(out);
}

} // namespace asyncdemo
