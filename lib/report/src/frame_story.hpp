#pragma once
// What frames.cpp works out about one iteration, and captions.cpp puts in
// words: for each item of its queue, what it did; and what the loop's tasks
// were doing around it.
#include "asyncdemo/report/frames.hpp"

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace asyncdemo::report_detail {

inline constexpr std::size_t no_event = static_cast<std::size_t>(-1);

struct ItemStory {
  ReadyItem item;
  TaskId who = no_task; // the task a step or a wake-up runs
  std::size_t first_event = 0, end_event = 0;
  bool started = false, resumed = false;
  std::vector<std::size_t> prints;  // print events
  std::vector<TaskId> created;      // tasks it made
  std::vector<Duration> blocks;     // each time.sleep, as long as it held the loop
  Duration blocked_from{};          // when the first began
  std::size_t waited_on = no_event; // what `who` was suspended on when the item began
  enum class End : std::uint8_t { none, suspended, done, cancelled, failed } end = End::none;
  std::size_t end_at = no_event; // its task_suspended or finishing event
  // gather's bookkeeping for a child: the suspension on the gather it
  // reports to (no_event: asyncio.run's own, or one no task awaits), and
  // whether that gather was over before (its callback then does nothing).
  std::size_t gather = no_event;
  bool gather_was_over = false;
  bool ran_task() const noexcept {
    return who != no_task && (started || resumed || end != End::none);
  }
};

// What captions read: the iteration's items, and the run around it.
// How far a gather is: children heard of, and whether it is done (all heard
// of, or one failed or was cancelled).
struct GatherProgress {
  std::size_t heard = 0;
  bool over = false;
};

struct FrameStory {
  const Recorder& rec;
  ClockKind clock;
  bool sync; // a plain program: no loop, every sleep blocks
  const Snapshot& snap;
  bool waited = false;      // nothing was ready before it
  bool interrupted = false; // an interrupt came during it
  std::vector<ItemStory> items;
  std::vector<std::size_t> warnings; // warning events
  // After it: each task's outcome and latest suspension (by task id); for
  // each task, the suspension on the gather it is a child of; and how far
  // each gather is (by that suspension event).
  const std::vector<TaskOutcome>& outcome;
  const std::vector<std::size_t>& last_wait;
  const std::vector<std::size_t>& gather_of;
  const std::map<std::size_t, GatherProgress>& gathers;
  const std::vector<std::string>* program = nullptr; // the program shown beside, if any
};

std::string caption(const FrameStory& story);

// "coffee", "a task" for one the recorder does not follow.
std::string task_label(const Recorder& rec, TaskId id);
// "a", "a and b", "a, b and c", "a, b, c and 4 more".
std::string names(const std::vector<std::string>& items, std::size_t shown = 3);
std::string names(const Recorder& rec, const std::vector<TaskId>& tasks, std::size_t shown = 3);

} // namespace asyncdemo::report_detail
