// --format=lines: the program's printed text and nothing else, one line
// each, as it happens: what the --python program prints under CPython,
// and so what --expect=FILE compares with (a file made by this output is
// an --expect file as it stands).
#include "outputs.hpp"

#include <cstdio>

namespace asyncdemo {

namespace {

class LinesReporter final : public Reporter {
public:
  explicit LinesReporter(std::FILE* out) : out_(out) {}
  bool live_events() const override { return true; }
  void event(const RecordedEvent& e, const Recorder&) override {
    if (e.kind != EventKind::print) return;
    put(out_, e.text + "\n");
    std::fflush(out_); // a reader sees each line as the program prints it
  }

private:
  std::FILE* out_;
};

} // namespace

std::unique_ptr<Reporter> make_lines_reporter(const RunPlan&, std::FILE* out, std::string&) {
  return std::make_unique<LinesReporter>(out);
}

} // namespace asyncdemo
