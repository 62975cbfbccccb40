#pragma once
// The recorder: the observer that keeps what happened, when, in which task.
// The reports (live lines, summaries, tables, charts, traces) read from it.
// Asked to (keep_snapshots), it also keeps the loop's queues at every
// iteration, for the views that replay the loop (--step, --html).
//
// It is the one place every text of a run passes (what the program prints,
// its tasks' names, their results and exceptions, a scenario file's
// words): it keeps each as it is shown, with every control and invisible
// character escaped as Python's repr escapes it (ESC as \x1b, a bidi
// override as \u202e, invalid UTF-8 as \xNN), so that no output for people
// can put them on a terminal raw. The exact text, where it differs, is kept
// beside it for the formats that carry it (json, jsonl, --trace):
// exact_text, exact_name, exact_result.
//
// What one run keeps is bounded: past max_events_kept events (or snapshots)
// or max_printed_bytes_kept bytes printed, it keeps nothing more and stops
// the run (set_on_full: the runner stops the loop) with a RecordingLimit.
#include "asyncdemo/duration.hpp"
#include "asyncdemo/observer.hpp"
#include "asyncdemo/run/snapshot.hpp"
#include "asyncdemo/teach/source.hpp"

#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace asyncdemo {

// What one run may keep: its events (every print, and each task's steps),
// and the bytes its prints hold. A program that prints without end stops
// there, with one line, instead of taking the machine's memory.
inline constexpr std::size_t max_events_kept = 500'000;
inline constexpr std::size_t max_printed_bytes_kept = std::size_t{16} << 20; // 16 MiB

// A run stopped because it reached what one run may keep.
class RecordingLimit : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

enum class EventKind : std::uint8_t {
  task_created,
  task_started,
  task_suspended, // text says on what: "sleep until 6.000 s", "await eggs", "yield"
  task_resumed,
  task_done,
  task_cancelled,
  task_failed,
  print,
  block_begin, // the task holds the loop (time.sleep inside a coroutine)
  block_end,
  interrupted,
  warning, // text: what Python would warn about ("coroutine 'sleep' was never awaited")
};

const char* to_string(EventKind k) noexcept;

// One thing that happened in a run: when, in which task, what.
struct RecordedEvent {
  Duration time{};
  TaskId task = no_task;
  EventKind kind{};
  std::string text; // as shown (Recorder::exact_text: as it was)
};

// A followed task, from its creation to its end.
struct TaskRecord {
  TaskId id = 0;
  std::string name; // as shown (Recorder::exact_name: as it was)
  Duration created{};
  Duration started{-1};
  Duration finished{-1};
  TaskOutcome outcome = TaskOutcome::pending;
  std::string result; // the value, or the exception's message, as shown (exact_result)
  int finish_order = 0;
};

// Task.cancel(), asked of `target` by `by` (no_task: the loop's own code),
// before the event at index `at` (the events recorded by then).
struct CancelRequest {
  std::size_t at = 0;
  TaskId target = no_task;
  TaskId by = no_task;
};

// What a suspension reads as in an event's text.
std::string describe(const Suspension& s);

class Recorder final : public LoopObserver, public SourceTrace {
public:
  // Called for every event as it happens (the live output).
  using Sink = std::function<void(const RecordedEvent&, const Recorder&)>;

  // follow_unnamed = false: only named tasks (main, the scenario's own) are
  // recorded, for swarms of a million unnamed ones; prints always are.
  Recorder() = default;
  explicit Recorder(bool follow_unnamed) : follow_unnamed_(follow_unnamed) {}

  void set_sink(Sink sink) { sink_ = std::move(sink); }
  // Told once, when the run reaches what it may keep: the runner stops the
  // loop with it.
  void set_on_full(std::function<void(std::exception_ptr)> on_full) {
    on_full_ = std::move(on_full);
  }
  // Whether the run reached what it may keep (and so stopped).
  bool full() const noexcept { return full_; }
  // Before the loop is made (it asks once): keep a Snapshot of every
  // iteration, and every suspension in full. Off, nothing is kept and the
  // loop builds no list.
  void keep_snapshots(bool on = true) { keep_snapshots_ = on; }
  // After the run: an iteration that an exception cut short ends here.
  void run_over(Duration at);

  const std::vector<RecordedEvent>& events() const noexcept { return events_; }
  const std::vector<TaskRecord>& tasks() const noexcept { return tasks_; }
  const TaskRecord* task(TaskId id) const noexcept;
  std::string_view task_name(TaskId id) const noexcept; // as shown
  // The texts as the program gave them, for the formats that carry them
  // exactly (json, jsonl, --trace); `e` and `t` are the recorder's own.
  std::string_view exact_text(const RecordedEvent& e) const noexcept;
  std::string_view exact_name(const TaskRecord& t) const noexcept;
  std::string_view exact_result(const TaskRecord& t) const noexcept;
  // The printed lines, in order, without time or task: what Python prints
  // (exactly).
  std::vector<std::string> printed_lines() const;
  const std::vector<Snapshot>& snapshots() const noexcept { return snapshots_; }
  // The suspension a task_suspended event recorded, kept with the snapshots.
  const WaitRecord* wait_at(std::size_t event) const noexcept;
  // The primitive's state a wait recorded, if the runtime told it.
  const PrimitiveWait* primitive_wait(const WaitRecord& w) const noexcept {
    return w.primitive ? &primitive_waits_[w.primitive - 1] : nullptr;
  }
  // The first Lock or Semaphore place `task` took while events [from, to]
  // were recorded (kept with the snapshots); nullptr if none.
  const HoldRecord* taken_by(TaskId task, std::size_t from, std::size_t to) const noexcept;
  // How long a block_begin event's work was to hold the loop (what
  // time.sleep was given), kept with the snapshots; zero if not kept.
  Duration block_length_at(std::size_t event) const noexcept;
  // Where the program's code was when an event happened (SourceTrace): its
  // frames, outermost first, innermost last; empty when no code of the
  // program ran (a task not started yet, a compiled scenario). Its line is
  // the innermost frame's.
  const std::vector<SourceFrame>& chain_at(std::size_t event) const noexcept;
  int line_at(std::size_t event) const noexcept;
  // Every Task.cancel() on a task not yet done, in order (not an event:
  // the outputs that list events are as they were; the views say who
  // cancelled whom).
  const std::vector<CancelRequest>& cancel_requests() const noexcept { return cancels_; }
  // Whether the program told where its code was (an interpreted one does).
  bool has_source() const noexcept { return chains_.size() > 1; }
  // Whether the run's program is one that tells (a .py program or a
  // scenario file, not compiled C++): set before the run, so that every
  // event of it, even the first, says so (the JSON events' "line").
  void set_source_followed(bool on) noexcept { source_followed_ = on; }
  bool source_followed() const noexcept { return source_followed_; }
  // The index of one of events() (for a sink, which is handed the event).
  std::size_t index_of(const RecordedEvent& e) const noexcept {
    return static_cast<std::size_t>(&e - events_.data());
  }

  // ---- SourceTrace ----
  void set_probe(Probe probe) override { probe_ = std::move(probe); }
  void line_ran(int line) override;

  // ---- LoopObserver ----
  bool follows_unnamed_tasks() const override { return follow_unnamed_; }
  bool wants_iterations() const override { return keep_snapshots_; }
  void task_created(Duration at, TaskId task, std::string_view name) override;
  void task_started(Duration at, TaskId task) override;
  void task_suspended(Duration at, TaskId task, const Suspension& on) override;
  void task_resumed(Duration at, TaskId task) override;
  void task_finished(Duration at, TaskId task, TaskOutcome outcome,
                     std::string_view result) override;
  void block_began(Duration at, TaskId task, Duration length) override;
  void block_ended(Duration at, TaskId task) override;
  void printed(Duration at, TaskId task, std::string_view text) override;
  void warned(Duration at, TaskId task, std::string_view text) override;
  void interrupted(Duration at) override;
  void cancel_requested(Duration at, TaskId target, TaskId by) override;
  void primitive_held(Duration at, TaskId task, bool taken, const PrimitiveState& state) override;
  void iteration_began(const LoopView& view) override;
  void item_began(std::size_t index) override;
  void iteration_ended(const LoopView& view) override;

private:
  // A text kept as it is shown, and as it was where that differs.
  struct Exact {
    std::size_t index; // of the event or the task
    std::string text;
  };
  void record(Duration time, TaskId task, EventKind kind, std::string_view text = {});
  // Whether there is room for one more event (printing `bytes`); if not,
  // the run is over: said once, through on_full_.
  bool room(Duration at, std::size_t bytes);
  // `shown`: `text` itself when it prints as it reads, else escaped as
  // repr escapes it, and `text` kept in `exact` at `index` (in order).
  static void keep(std::string_view text, std::string& shown, std::vector<Exact>& exact,
                   std::size_t index);
  static std::string_view exact_of(const std::vector<Exact>& exact, std::size_t index,
                                   std::string_view shown) noexcept;

  std::vector<RecordedEvent> events_;
  std::vector<Exact> exact_texts_, exact_names_, exact_results_; // by index, ascending
  std::size_t printed_bytes_ = 0;
  std::function<void(std::exception_ptr)> on_full_;
  bool full_ = false;
  std::vector<TaskRecord> tasks_;
  Sink sink_;
  std::vector<Snapshot> snapshots_;
  std::vector<WaitRecord> waits_;              // by event index
  std::vector<HoldRecord> holds_;              // likewise
  std::vector<PrimitiveWait> primitive_waits_; // WaitRecord::primitive
  // Who holds each Lock and Semaphore now, in the order they took it.
  std::vector<std::pair<const void*, std::vector<TaskId>>> holders_;
  std::vector<std::pair<std::size_t, Duration>> block_lengths_; // likewise
  int finished_count_ = 0;
  bool follow_unnamed_ = true;
  bool keep_snapshots_ = false;
  bool iteration_open_ = false; // begun, not yet ended
  std::vector<CancelRequest> cancels_;
  Probe probe_;
  bool source_followed_ = false;
  // Each event's chain, as an index into chains_ (0: none); a chain is kept
  // once for the events in a row that share it.
  std::vector<std::vector<SourceFrame>> chains_{1};
  std::vector<std::uint32_t> event_chains_;
};

} // namespace asyncdemo
