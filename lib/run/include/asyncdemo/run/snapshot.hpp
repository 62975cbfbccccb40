#pragma once
// Snapshots of the loop: what a view of it (--step, --html) replays. The
// Recorder keeps one per iteration when asked (Recorder::keep_snapshots):
// the queue the iteration ran, where each item's events start, and the
// queues it left behind. Nothing is kept, or built, otherwise.
#include "asyncdemo/duration.hpp"
#include "asyncdemo/observer.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace asyncdemo {

// One iteration of the loop (asyncio's _run_once).
struct Snapshot {
  std::uint64_t iteration = 0; // the loop's own count, from 1
  Duration began{};            // once the clock has moved to the first deadline, if it had to
  Duration ended{};            // later than began only if something blocked the loop
  // The queue it ran, in order (due sleepers included), and for each item
  // the index of its first event in the recorder's events.
  std::vector<ReadyItem> ran;
  std::vector<std::size_t> item_events;
  // The events recorded during it, [first_event, end_event): from the end of
  // the iteration before, so that every event belongs to one iteration.
  std::size_t first_event = 0;
  std::size_t end_event = 0;
  // What it left: the queue the next iteration starts from (before due
  // sleepers join it) and the sleeping tasks, earliest deadline first: the
  // first `sleepers_kept` of them (the events tell how many there are).
  std::vector<ReadyItem> ready;
  std::vector<SleeperItem> sleepers;
  // The program's lines that ran during it, each once, in the order first
  // run (an interpreted program's: SourceTrace).
  std::vector<int> lines;

  // Enough to read; ten thousand sleepers at every iteration would cost a
  // run of ten thousand tasks gigabytes.
  static constexpr std::size_t sleepers_kept = 24;
};

// A suspension in full, for a view that explains it (an event keeps only its
// words): kept with the snapshots, one per task_suspended event.
struct WaitRecord {
  std::size_t event = 0; // the task_suspended event's index
  Suspension::Kind kind = Suspension::Kind::future;
  Duration deadline{};
  TaskId task = no_task;
  // A primitive's state then (Recorder::primitive_wait): 1 + its index, 0
  // if none was told (in what was padding: a wait costs no more for it).
  std::uint32_t primitive = 0;
  std::vector<TaskId> tasks; // gather's children, a TaskGroup's tasks
  std::string_view name;     // a primitive's: "Lock", "Queue.get" (a string literal)
};

// A primitive's state when a task waited on it, and the tasks that held it
// then (a Lock's owner, a Semaphore's places), in the order they took it.
struct PrimitiveWait {
  PrimitiveState state{};
  std::vector<TaskId> holders;
};

// A task took (or gave back) a Lock or a place of a Semaphore: kept with the
// snapshots, for a wake-up that says what is left ("0 free").
struct HoldRecord {
  std::size_t event = 0; // the events recorded before it
  TaskId task = no_task;
  bool taken = false;
  PrimitiveState state{}; // after it
};

} // namespace asyncdemo
