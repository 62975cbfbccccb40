#pragma once
// Spans: what each task was doing over time, derived (read-only) from a
// Recorder's events. The timeline and the trace both draw these.
//
//   created ─ ready ─ started ─ running ─ suspended ─ awaiting ─ resumed ─ …
//                               running ─ block_begin ─ blocking ─ block_end ─ running
//                               running ─ suspended (waits on Lock) ─ waiting ─ resumed
#include "asyncdemo/run/recorder.hpp"

#include <string>
#include <vector>

namespace asyncdemo {

enum class SpanKind : std::uint8_t {
  ready,    // created or rescheduled, waiting for its turn on the loop
  running,  // the loop runs it
  blocking, // it holds the whole loop (time.sleep inside a coroutine)
  awaiting, // suspended on a timer or on another task: others may run
  waiting,  // suspended on a primitive (a Lock, a Queue, an Event, ...): others may run
};

const char* to_string(SpanKind k) noexcept;

struct Span {
  SpanKind kind{};
  Duration begin{};
  Duration end{};
  std::string what;      // for awaiting and waiting: on what ("await eggs", "waits on Lock")
  std::size_t event = 0; // the recorder's event that began it (wait_words reads a suspension's)
};

// One list per task, indexed by task id, each in time order. A span still
// open at the last event (an interrupted run) ends at `end`.
std::vector<std::vector<Span>> task_spans(const Recorder& rec, Duration end);

} // namespace asyncdemo
