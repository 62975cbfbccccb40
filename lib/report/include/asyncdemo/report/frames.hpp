#pragma once
// Frames: a run, told iteration by iteration for a learner. Each frame is
// one iteration of the loop (asyncio's _run_once) from the recorder's
// snapshots: what it ran and what each item did, one sentence that says
// why (the caption), and what it left: the ready queue, the timers, the
// output so far. --step shows them in the terminal, --html in a browser.
#include "asyncdemo/loop.hpp"
#include "asyncdemo/run/recorder.hpp"
#include "asyncdemo/teach/mode.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace asyncdemo {

// One item of an iteration's queue, as it ran.
struct FrameItem {
  ReadyItem item;
  std::string label;            // "coffee", "timer: eggs", "gather: eggs is done"
  std::vector<std::string> did; // "started", "printed 'x'", "awaits asyncio.sleep(5)"
  std::size_t first_event = 0;  // its events, [first_event, end_event)
  std::size_t end_event = 0;
};

// A sleeping task and when it wakes.
struct FrameTimer {
  TaskId task = no_task;
  std::string name;
  Duration deadline{};
};

struct Frame {
  std::size_t number = 0; // from 1 within the run (the loop's own count)
  Duration began{};       // once the clock moved to the first deadline, if it had to
  Duration ended{};
  bool waited = false; // nothing was ready before it: the loop waited (or jumped) to `began`
  std::string caption; // one sentence: what the loop did, and why
  std::vector<FrameItem> ran;
  std::vector<std::string> ready;     // what the next iteration will run, in order
  std::vector<ReadyItem> ready_items; // the same, as the loop holds it
  std::vector<FrameTimer> timers;     // earliest first (the first few: Snapshot::sleepers_kept)
  std::size_t sleeping = 0;           // how many tasks sleep, in all
  std::size_t first_event = 0;        // the events of this iteration, [first_event, end_event)
  std::size_t end_event = 0;
  std::size_t printed = 0; // lines printed by its end: the output so far
  std::vector<int> lines;  // the program's lines that ran in it (an interpreted program's)
};

// Every frame of a run in `mode` whose recorder kept snapshots
// (Recorder::keep_snapshots).
// `program`: the program --python prints for the mode, line by line (line
// n is program[n - 1]), when the view shows it: a caption may then name
// what the program has not reached yet ("eggs() has not been called yet").
std::vector<Frame> frames_of(const Recorder& rec, ClockKind clock, Mode mode,
                             const std::vector<std::string>* program = nullptr);

// What a task is doing once a frame has run, in the captions' words:
// "ready", "awaits gather(coffee, eggs)", "done: None". Tasks not yet made
// are left out.
struct TaskState {
  TaskId id = no_task;
  std::string name;
  std::string state;
  bool over = false;              // done, cancelled or failed
  bool ran = false;               // it ran in this frame
  std::vector<SourceFrame> chain; // where its code is: its await chain (an interpreted program's)
  std::vector<TaskId> children;   // what it awaits: gather's children, or the task it awaits
};
std::vector<TaskState> task_states(const Recorder& rec, const Frame& frame,
                                   ClockKind clock = ClockKind::virtual_time);

// What a task_suspended event waits on, in the captions' words: "awaits
// asyncio.sleep(5)", "awaits eggs", "awaits gather(coffee, eggs)"; a kind
// without words of its own says what the recorder says. On the real clock a
// sleep's length is measured: it is said to the millisecond.
std::string wait_words(const Recorder& rec, std::size_t event,
                       ClockKind clock = ClockKind::virtual_time);

// "1", "0.5": seconds as a Python call takes them (time.sleep(1)), to
// `decimals` places at most.
std::string py_seconds(Duration d, int decimals = 6);

} // namespace asyncdemo
