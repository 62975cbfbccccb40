#pragma once
// LoopObserver: what the loop tells whoever watches it. In the spirit of
// Asio's handler tracking, it is opt-in and costs nothing when off: with no
// observer the loop gives tasks no number, formats nothing and allocates
// nothing on their behalf, and each would-be report is one untaken branch.
//
// The layers above watch through it: their recorder (asyncdemo/run/recorder.hpp)
// keeps every event for the reports and, when a view asks, a snapshot of
// the loop's queues (the ready queue, the sleepers) at every iteration,
// through iteration_began, item_began and iteration_ended.
#include "asyncdemo/duration.hpp"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace asyncdemo {

// A task the observer follows, numbered from 0 in the order they were made.
using TaskId = int;
inline constexpr TaskId no_task = -1;

enum class TaskOutcome : std::uint8_t { pending, done, cancelled, failed };
const char* to_string(TaskOutcome o) noexcept;

// A primitive's state when a task waits on it, or takes or gives back a
// place of it: what a view says of the wait ("task1 holds the Lock; 2
// waiting"). Told only to an observer that wants iterations.
struct PrimitiveState {
  const void* which = nullptr; // the primitive (its address); nullptr: not told
  int free = -1;               // Lock: 1 free, 0 held; Semaphore: its free places
  int items = -1;              // Queue: the items in it
  int maxsize = 0;             // Queue: its maxsize (0: no limit)
  std::size_t waiting = 0;     // the tasks in its line (one that suspends included)
};

// What a task suspends on.
struct Suspension {
  enum class Kind : std::uint8_t {
    sleep,  // asyncio.sleep: until `deadline`
    task,   // awaits another task: `task` and its `name`
    future, // awaits a plain future (loop.create_future())
    yield,  // asyncio.sleep(0): back in the ready queue at once
    // The futures the runtime makes, said apart for a view of the loop
    // (-v still says "await" for them): gather(...), whose children are
    // `tasks`; and as_completed's next task.
    gather,
    as_completed,
    // waits on a primitive: `name` says which and how ("Lock",
    // "Queue.get", "Event", "TaskGroup", "wait_for", "to_thread")
    primitive,
  };
  Kind kind = Kind::future;
  Duration deadline{};
  TaskId task = no_task;
  std::string_view name;
  // gather's children that the observer follows, in argument order (a
  // TaskGroup's: its tasks not done yet); listed only for an observer that
  // wants iterations (a swarm gathers a million).
  std::span<const TaskId> tasks{};
  // A Lock's, a Semaphore's or a Queue's, for an observer that wants
  // iterations.
  PrimitiveState state{};
};

// One entry of the ready queue, as the loop will run it.
struct ReadyItem {
  enum class Kind : std::uint8_t {
    step,           // a task's next step (Task.__step)
    timer,          // a task's sleep is due: it becomes ready next
    wakeup,         // a done callback that wakes the task awaiting `of`
    gather,         // gather's bookkeeping for its child `of`
    as_completed,   // as_completed's bookkeeping for `of`
    callback,       // a done callback of `of` added by the program
    stop,           // the loop's own: main is done, stop
    timer_callback, // a timer's callback (`what`: wait_for, timeout, to_thread) set by `task`
  };
  Kind kind = Kind::step;
  TaskId task = no_task; // step, timer, wakeup: the task it runs or wakes
  TaskId of = no_task;   // callbacks: the task whose end it reports
  std::string_view what; // timer_callback: what the timer is for
};

// A sleeping task and when it wakes; or a timer (`what` says what for:
// wait_for, timeout, to_thread) and the task that set it.
struct SleeperItem {
  TaskId task = no_task;
  Duration deadline{};
  std::string_view what; // empty: the task's own sleep
};

// What an observer may ask of the loop at the start of an iteration. The
// lists are built on request (only a view that wants them pays).
class LoopView {
public:
  virtual Duration now() const noexcept = 0;
  virtual std::uint64_t iteration() const noexcept = 0;
  // The queue this iteration runs, in order; tasks the observer does not
  // follow show as no_task.
  virtual std::vector<ReadyItem> ready() const = 0;
  // The sleeping tasks, earliest deadline first (ties in the order set).
  virtual std::vector<SleeperItem> sleepers() const = 0;
  // The first `limit` of them: what a view keeps at every iteration, at a
  // cost that does not grow with ten thousand sleepers.
  virtual std::vector<SleeperItem> earliest_sleepers(std::size_t limit) const {
    auto all = sleepers();
    if (all.size() > limit) all.resize(limit);
    return all;
  }

protected:
  ~LoopView() = default;
};

class LoopObserver {
public:
  virtual ~LoopObserver() = default;

  // Asked once, when the loop is made. A swarm's million unnamed tasks
  // cost nothing when the observer follows named tasks only.
  virtual bool follows_unnamed_tasks() const { return true; }
  // Whether iteration_began, item_began and iteration_ended are wanted
  // (they build the queue lists).
  virtual bool wants_iterations() const { return false; }

  // `name` is the task's name: given, or asyncio's "Task-N".
  virtual void task_created(Duration, TaskId, std::string_view /*name*/) {}
  virtual void task_started(Duration, TaskId) {}
  virtual void task_suspended(Duration, TaskId, const Suspension&) {}
  virtual void task_resumed(Duration, TaskId) {}
  // `result`: the value as Python prints it, or the exception's message.
  virtual void task_finished(Duration, TaskId, TaskOutcome, std::string_view /*result*/) {}
  // Blocking work (time.sleep inside a coroutine) holds the loop.
  virtual void block_began(Duration, TaskId, Duration /*length*/) {}
  virtual void block_ended(Duration, TaskId) {}
  virtual void printed(Duration, TaskId, std::string_view /*text*/) {}
  // What Python would warn about ("coroutine 'sleep' was never awaited").
  virtual void warned(Duration, TaskId, std::string_view /*text*/) {}
  virtual void interrupted(Duration) {}
  // Task.cancel() on a task not done yet, called by the running task `by`
  // (no_task: the loop's own code, asyncio.run's clean-up).
  virtual void cancel_requested(Duration, TaskId /*target*/, TaskId /*by*/) {}
  // With iterations wanted: the running task (no_task: none followed) took
  // (`taken`) or gave back a Lock or a place of a Semaphore; `state` is the
  // primitive's after it.
  virtual void primitive_held(Duration, TaskId, bool /*taken*/, const PrimitiveState&) {}
  // After due sleepers have moved to the ready queue, before it runs.
  virtual void iteration_began(const LoopView&) {}
  // With iterations wanted: item `index` (from 0) of the queue that
  // iteration_began showed is about to run.
  virtual void item_began(std::size_t /*index*/) {}
  // With iterations wanted: the iteration has run its items. The view shows
  // what the next one starts from (before due sleepers join the queue).
  virtual void iteration_ended(const LoopView&) {}
};

} // namespace asyncdemo
