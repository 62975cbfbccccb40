#include "asyncdemo/report/spans.hpp"

#include <optional>

namespace asyncdemo {

const char* to_string(SpanKind k) noexcept {
  switch (k) {
  case SpanKind::ready:
    return "ready";
  case SpanKind::running:
    return "running";
  case SpanKind::blocking:
    return "blocking";
  case SpanKind::awaiting:
    return "awaiting";
  case SpanKind::waiting:
    return "waiting";
  }
  return "?";
}

namespace {

// The span a task is in now, not yet closed.
struct Open {
  SpanKind kind;
  Duration begin;
  std::string what;
  std::size_t event;
};

} // namespace

std::vector<std::vector<Span>> task_spans(const Recorder& rec, Duration end) {
  std::vector<std::vector<Span>> out(rec.tasks().size());
  std::vector<std::optional<Open>> open(rec.tasks().size());
  auto close = [&](std::size_t t, Duration at) {
    if (open[t])
      out[t].push_back(Span{open[t]->kind, open[t]->begin, at, open[t]->what, open[t]->event});
    open[t].reset();
  };
  std::size_t index = 0; // of the event at hand
  auto enter = [&](std::size_t t, SpanKind k, Duration at, std::string what = {}) {
    close(t, at);
    open[t] = Open{k, at, std::move(what), index};
  };
  for (; index < rec.events().size(); ++index) {
    const auto& e = rec.events()[index];
    if (e.task < 0 || static_cast<std::size_t>(e.task) >= out.size()) continue;
    const auto t = static_cast<std::size_t>(e.task);
    switch (e.kind) {
    case EventKind::task_created:
      enter(t, SpanKind::ready, e.time);
      break;
    case EventKind::task_started:
    case EventKind::task_resumed:
    case EventKind::block_end:
      enter(t, SpanKind::running, e.time);
      break;
    case EventKind::block_begin:
      enter(t, SpanKind::blocking, e.time);
      break;
    case EventKind::task_suspended:
      // A yield (asyncio.sleep(0)) puts the task straight back in the queue;
      // "waits on Lock" (the recorder's words) is a primitive's waiter.
      enter(t,
            e.text == "yield"                   ? SpanKind::ready
            : e.text.rfind("waits on ", 0) == 0 ? SpanKind::waiting
                                                : SpanKind::awaiting,
            e.time, e.text);
      break;
    case EventKind::task_done:
    case EventKind::task_cancelled:
    case EventKind::task_failed:
      close(t, e.time);
      break;
    default: // prints and whatever else does not change what a task does
      break;
    }
  }
  for (std::size_t t = 0; t < open.size(); ++t)
    close(t, end);
  return out;
}

} // namespace asyncdemo
