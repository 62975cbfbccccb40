// --trace=FILE: the Chrome trace-event document, and the reporter that
// writes it at the end of the session.
#include "asyncdemo/report/trace.hpp"

#include "asyncdemo/report/output_file.hpp"
#include "asyncdemo/report/spans.hpp"

#include "json_doc.hpp"
#include "outputs.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <utility>

namespace asyncdemo {

namespace {

using json = nlohmann::ordered_json;

double micros(Duration d) {
  return static_cast<double>(d.count()) / 1e3;
}

// Task ids start at 0; a track id of 0 is the process's own in some viewers.
int track_of(int task) {
  return task + 1;
}

// Every event of the trace, in order, handed to push.
template <class Push> void write_events(const std::vector<TracedRun>& runs, const Push& push) {
  int pid = 0;
  for (const auto& tr : runs) {
    ++pid;
    const auto& rec = tr.run->recorder;
    push(json{{"ph", "M"},
              {"pid", pid},
              {"tid", 0},
              {"name", "process_name"},
              {"args", {{"name", tr.title}}}});
    push(json{{"ph", "M"},
              {"pid", pid},
              {"tid", 0},
              {"name", "process_sort_index"},
              {"args", {{"sort_index", pid}}}});
    for (const auto& t : rec.tasks()) {
      push(json{{"ph", "M"},
                {"pid", pid},
                {"tid", track_of(t.id)},
                {"name", "thread_name"},
                {"args", {{"name", rec.exact_name(t)}}}});
      push(json{{"ph", "M"},
                {"pid", pid},
                {"tid", track_of(t.id)},
                {"name", "thread_sort_index"},
                {"args", {{"sort_index", t.id}}}});
    }
    const auto spans = task_spans(rec, tr.run->elapsed);
    for (std::size_t id = 0; id < spans.size(); ++id)
      for (const auto& s : spans[id]) {
        json e{{"ph", "X"},
               {"pid", pid},
               {"tid", track_of(static_cast<int>(id))},
               {"name", s.what.empty() ? std::string(to_string(s.kind))
                                       : fmt::format("{}: {}", to_string(s.kind), s.what)},
               {"cat", to_string(s.kind)},
               {"ts", micros(s.begin)},
               {"dur", micros(s.end - s.begin)}};
        push(e);
      }
    for (const auto& e : rec.events()) {
      const bool ends = e.kind == EventKind::task_done || e.kind == EventKind::task_cancelled ||
                        e.kind == EventKind::task_failed;
      if (e.kind != EventKind::print && !ends && e.task >= 0) continue;
      // Prints, ends of tasks, and loop-wide events (an interrupt) are instants.
      const auto text = rec.exact_text(e);
      json i{{"ph", "i"},
             {"pid", pid},
             {"tid", e.task >= 0 ? track_of(e.task) : 0},
             {"name", e.kind == EventKind::print ? std::string(text) : to_string(e.kind)},
             {"cat", to_string(e.kind)},
             {"ts", micros(e.time)},
             {"s", e.task >= 0 ? "t" : "p"}};
      if (!text.empty()) i["args"] = json{{"text", text}};
      push(i);
    }
  }
}

} // namespace

std::string trace_json(const std::vector<TracedRun>& runs) {
  // Written event by event into the text, never held whole as values (a
  // value costs a kilobyte an event: json_doc::Spliced).
  json_doc::Spliced spliced;
  const auto events = spliced.later([&runs](int, const json_doc::Spliced::Item& item) {
    const auto push_back = [&item](const json& e) { item(json_doc::dumped(e)); };
    write_events(runs, push_back);
  });
  return spliced.text(json{{"displayTimeUnit", "ms"}, {"traceEvents", events}}, -1);
}

namespace {

// Each mode's first run, as it ended, then the file at the end.
class TraceReporter final : public Reporter {
public:
  explicit TraceReporter(OutputFile file) : file_(std::move(file)) {}
  void session_begins(const SessionView& v) override { view_ = &v; }
  void run_ended(const RunResult& r, int index) override {
    if (index == 0) traced_.push_back(TracedRun{run_title(*view_, r.mode), &r});
  }
  // Written whatever happened: an interrupted run is worth seeing too.
  bool finish(SessionOutcome, std::string& error) override {
    if (traced_.empty()) return true;
    return file_.write(trace_json(traced_) + "\n", error);
  }

private:
  OutputFile file_;
  const SessionView* view_ = nullptr;
  std::vector<TracedRun> traced_;
};

} // namespace

std::unique_ptr<Reporter> make_trace_reporter(const RunPlan& plan, std::FILE*, std::string& error) {
  auto file = OutputFile::prepare("--trace", *plan.trace, error);
  if (!file) return nullptr;
  return std::make_unique<TraceReporter>(std::move(*file));
}

} // namespace asyncdemo
