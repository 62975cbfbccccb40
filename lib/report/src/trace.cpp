// --trace=FILE: the Chrome trace-event document, and the reporter that
// writes it at the end of the session.
#include "asyncdemo/report/trace.hpp"

#include "asyncdemo/report/frames.hpp"
#include "asyncdemo/report/output_file.hpp"
#include "asyncdemo/report/spans.hpp"
#include "asyncdemo/text/units.hpp"

#include "json_doc.hpp"
#include "outputs.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
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

// A span's name: what it is, and for a suspension what it waits on, in the
// captions' words ("awaiting gather(coffee, eggs)", "waiting on Lock").
std::string span_name(const Recorder& rec, const Span& s, ClockKind clock) {
  if (s.what.empty()) return to_string(s.kind);
  if (s.kind == SpanKind::awaiting || s.kind == SpanKind::waiting) {
    auto words = wait_words(rec, s.event, clock);
    if (words.rfind("awaits ", 0) == 0) return "awaiting " + words.substr(7);
    if (words.rfind("waits ", 0) == 0) return "waiting " + words.substr(6);
    return fmt::format("{}: {}", to_string(s.kind), words);
  }
  return fmt::format("{}: {}", to_string(s.kind), s.what);
}

// Where a flow starts or ends: a moment on a track.
struct Anchor {
  int tid = 0;
  Duration at{};
};

// The flows of a run: from what woke a task to the step that resumed it.
// A wake-up that names its task (it awaited that task) starts at that
// task's end. One that does not (a gather, as_completed, a primitive's
// future) starts where it was queued: at the end of the child that the
// gather or as_completed heard of then, else at the step of the one task
// that ran then (it released the primitive), else, when several ran, at
// that iteration on the loop's track.
struct Flow {
  Anchor from, to;
  std::string name;
};

std::vector<Flow> flows_of(const Recorder& rec, const std::vector<Frame>& frames, int loop_tid) {
  std::vector<Flow> out;
  const auto& events = rec.events();
  auto end_of = [&](TaskId t) -> std::optional<Anchor> {
    const auto* task = rec.task(t);
    if (!task || task->finished.count() < 0) return std::nullopt;
    return Anchor{track_of(t), task->finished};
  };
  for (std::size_t k = 0; k < frames.size(); ++k)
    for (const auto& it : frames[k].ran) {
      if (it.item.kind != ReadyItem::Kind::wakeup || it.item.task < 0) continue;
      const TaskId woken = it.item.task;
      // The step it ran: where the woken task resumed.
      std::optional<Anchor> to;
      for (auto i = it.first_event; i < it.end_event && !to; ++i)
        if (events[i].task == woken && events[i].kind == EventKind::task_resumed)
          to = Anchor{track_of(woken), events[i].time};
      if (!to) continue;
      std::optional<Anchor> from = it.item.of >= 0 ? end_of(it.item.of) : std::nullopt;
      if (!from && it.item.of < 0) {
        // The iteration that queued it: the latest before k that left it
        // ready (the one before k, as the loop goes).
        std::size_t q = k > 0 ? k - 1 : 0;
        for (std::size_t j = k; j-- > 0;) {
          const auto& left = frames[j].ready_items;
          if (std::any_of(left.begin(), left.end(), [&](const ReadyItem& r) {
                return r.kind == ReadyItem::Kind::wakeup && r.task == woken;
              })) {
            q = j;
            break;
          }
        }
        const auto& queued = frames[q];
        std::vector<const FrameItem*> steps;
        for (const auto& r : queued.ran) {
          const auto kind = r.item.kind;
          if ((kind == ReadyItem::Kind::gather || kind == ReadyItem::Kind::as_completed) &&
              r.item.of >= 0)
            from = end_of(r.item.of);
          if ((kind == ReadyItem::Kind::step || kind == ReadyItem::Kind::wakeup) &&
              r.item.task >= 0 && r.item.task != woken && r.end_event > r.first_event)
            steps.push_back(&r);
        }
        if (!from && steps.size() == 1)
          from =
              Anchor{track_of(steps.front()->item.task), events[steps.front()->end_event - 1].time};
        if (!from) from = Anchor{loop_tid, queued.began};
      }
      if (!from) continue;
      out.push_back(Flow{*from, *to, fmt::format("wakes {}", rec.exact_name(*rec.task(woken)))});
    }
  return out;
}

// Every event of the trace, in order, handed to push.
template <class Push> void write_events(const std::vector<TracedRun>& runs, const Push& push) {
  int pid = 0;
  int flow_id = 0; // unique in the document
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
    // The loop's own track, above the tasks': its iterations, and the
    // time it idled between them (waiting for the next timer).
    const int loop_tid = static_cast<int>(rec.tasks().size()) + 1;
    const auto frames = frames_of(rec, tr.run->clock, tr.run->mode);
    if (!frames.empty()) {
      push(json{{"ph", "M"},
                {"pid", pid},
                {"tid", loop_tid},
                {"name", "thread_name"},
                {"args", {{"name", "event loop"}}}});
      push(json{{"ph", "M"},
                {"pid", pid},
                {"tid", loop_tid},
                {"name", "thread_sort_index"},
                {"args", {{"sort_index", -1}}}});
    }
    Duration idle_from{};
    for (const auto& f : frames) {
      if (f.began > idle_from) {
        json idle{{"ph", "X"},
                  {"pid", pid},
                  {"tid", loop_tid},
                  {"name", "idle"},
                  {"cat", "idle"},
                  {"ts", micros(idle_from)},
                  {"dur", micros(f.began - idle_from)},
                  {"args", {{"until", format_seconds(f.began, 6)}}}};
        if (!f.ran.empty()) idle["args"]["then"] = f.ran.front().label;
        push(idle);
      }
      json ran = json::array();
      for (const auto& it : f.ran)
        ran.push_back(it.label);
      push(json{{"ph", "X"},
                {"pid", pid},
                {"tid", loop_tid},
                {"name", fmt::format("iteration {}", f.number)},
                {"cat", "iteration"},
                {"ts", micros(f.began)},
                {"dur", micros(std::max(f.ended, f.began) - f.began)},
                {"args", {{"caption", f.caption}, {"ran", std::move(ran)}}}});
      idle_from = std::max(f.ended, f.began);
    }
    const auto spans = task_spans(rec, tr.run->elapsed);
    for (std::size_t id = 0; id < spans.size(); ++id)
      for (const auto& s : spans[id]) {
        json e{{"ph", "X"},
               {"pid", pid},
               {"tid", track_of(static_cast<int>(id))},
               {"name", span_name(rec, s, tr.run->clock)},
               {"cat", to_string(s.kind)},
               {"ts", micros(s.begin)},
               {"dur", micros(s.end - s.begin)}};
        push(e);
      }
    // Arrows from what woke a task to its step, bound to the slices enclosing
    // both ends (bp "e").
    for (const auto& f : flows_of(rec, frames, loop_tid)) {
      ++flow_id;
      push(json{{"ph", "s"},
                {"pid", pid},
                {"tid", f.from.tid},
                {"name", f.name},
                {"cat", "wake"},
                {"id", flow_id},
                {"ts", micros(f.from.at)}});
      push(json{{"ph", "f"},
                {"pid", pid},
                {"tid", f.to.tid},
                {"name", f.name},
                {"cat", "wake"},
                {"id", flow_id},
                {"ts", micros(f.to.at)},
                {"bp", "e"}});
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
