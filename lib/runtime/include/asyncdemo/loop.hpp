#pragma once
// Loop: the event loop, asyncio's BaseEventLoop in C++. Each iteration runs
// exactly the callbacks that were ready when it began, after moving due
// sleepers into the ready queue, as asyncio's _run_once does; that is what
// makes the printed order match CPython's. Waiting happens on a Boost.Asio
// io_context (one steady_timer for the whole sleep queue, plus a descriptor
// that an interrupt makes readable) on the real clock, or by jumping time
// forward on the virtual clock.
#include "asyncdemo/coro.hpp"
#include "asyncdemo/detail/handle.hpp"
#include "asyncdemo/detail/timer.hpp"
#include "asyncdemo/duration.hpp"
#include "asyncdemo/observer.hpp"
#include "asyncdemo/ref.hpp"
#include "asyncdemo/sleep_queue.hpp"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace asyncdemo {

namespace detail {
class LoopInternals;
class TaskBase;
class FutureBase;
class ThreadJob;
class Workers;
} // namespace detail

enum class ClockKind : std::uint8_t { real, virtual_time };

// Where a request to interrupt the loop comes from (a signal handler, say).
// The loop reads `requested` often (a relaxed load per iteration, and
// during blocking work); on the real clock it also waits on `wake_fd`,
// which the requester makes readable, so that a long sleep ends at once.
// It sets `noticed` once it has acted on the request.
struct InterruptSource {
  const std::atomic<int>* requested = nullptr; // non-zero: interrupt
  std::atomic<int>* noticed = nullptr;
  int wake_fd = -1;
};

struct LoopConfig {
  ClockKind clock = ClockKind::virtual_time;
  double speed = 1.0;        // real clock: scenario seconds per wall second
  bool sleep_blocks = false; // sync mode: every sleep holds the loop instead
  InterruptSource interrupts{};
  LoopObserver* observer = nullptr; // told what happens; none costs nothing
  // The default executor's size (to_thread's workers): 0 is CPython's
  // default, min(32, os.cpu_count() + 4) of this machine. A call made while
  // every worker is busy waits for the first to be free, on both clocks.
  std::size_t workers = 0;
};

class Loop {
public:
  explicit Loop(LoopConfig config = {});
  ~Loop();
  Loop(const Loop&) = delete;
  Loop& operator=(const Loop&) = delete;

  // asyncio.run(main): runs main as a task until it is done, then cancels
  // the tasks still pending and runs them until they finish cancelling.
  // Returns main's result or rethrows its exception. Defined in task.hpp.
  template <class T> Value<T> run(Coro<T> main, std::string name = "main");

  // Scenario time since the loop was made: exact on the virtual clock, measured
  // (and multiplied by the speed) on the real one.
  Duration now() const noexcept;
  // Wall time since the loop was made (equals now() on the virtual clock).
  Duration wall_elapsed() const noexcept;
  const LoopConfig& config() const noexcept { return config_; }
  LoopObserver* observer() const noexcept { return config_.observer; }
  // Keeps `owner` until the loop is gone, after its last task: what an
  // interpreter's tasks need when they outlive the coroutine that made them
  // (asyncio.run's end cancels them once main has returned).
  void keep_until_closed(std::shared_ptr<void> owner) { kept_.push_back(std::move(owner)); }

  // What an interrupt (Ctrl-C) does: cancel the main task; the rest are
  // cancelled at exit, as asyncio.run does.
  void interrupt();
  bool interrupted() const noexcept { return interrupted_; }
  // Ends the run at once, before the next callback: run() throws `why`,
  // without asyncio.run's clean-up (what the run keeps is past a limit;
  // a clean-up could go on for ever). Safe to call from inside a callback;
  // a task that runs on without giving the loop a turn (sync mode, where
  // every sleep blocks) is stopped at its next print or blocking call,
  // which throw `why` (throw_if_stopped).
  void stop_with(std::exception_ptr why) noexcept {
    if (!stopped_with_) stopped_with_ = std::move(why);
  }
  void throw_if_stopped() const {
    if (stopped_with_) std::rethrow_exception(stopped_with_);
  }
  // Looks at the interrupt source and interrupts if asked to. Work that
  // holds the loop (blocking, joining threads) calls it now and then.
  bool poll_interrupt() {
    if (!interrupted_ && config_.interrupts.requested &&
        config_.interrupts.requested->load(std::memory_order_relaxed) != 0)
      interrupt();
    return interrupted_;
  }

  // The loop running on this thread, if any (asyncio.get_running_loop).
  static Loop* current() noexcept;
  // The tasks not yet done: len(asyncio.all_tasks()).
  std::size_t pending_tasks() const noexcept { return pending_count_; }
  // Whether something waits in the ready queue for the next iteration.
  bool has_ready() const noexcept { return !ready_.empty(); }
  // The default executor's size, once a to_thread call has made it; 0
  // while none has.
  std::size_t executor_workers() const noexcept;

private:
  // ---- the runtime's own (tasks, sleeps, futures): detail::LoopInternals ----
  friend class detail::LoopInternals;
  // Whether the observer wants each iteration's queues (a view of the loop).
  bool wants_iterations() const noexcept { return wants_iterations_; }
  detail::TaskBase* current_task() const noexcept { return current_task_; }
  // The observer's number of the running task (no_task if none is followed).
  TaskId current_task_id() const noexcept;

  void call_soon(const detail::Handle& h);
  // Queues a sleep of `task` until `deadline`.
  void call_at(Duration deadline, detail::TaskBase& task);
  // Takes `task`'s stale entries at `deadline` out of the sleep queue.
  void forget_sleeps(Duration deadline, detail::TaskBase& task);
  // Blocking work: holds the loop for d (time.sleep inside a coroutine).
  void block(Duration d);
  // loop.call_at(when, fn, ctx): fn(ctx) runs at `when` unless the timer
  // is cancelled first; `drop` (if any) releases ctx once it ran or was
  // cancelled. `what` names the timer for a view of the loop.
  Ref<detail::TimerHandle> call_at(Duration when, detail::TimerHandle::Fn fn, void* ctx,
                                   detail::TimerHandle::Drop drop, const char* what);
  // loop.call_soon(fn, ctx): at the end of the ready queue.
  Ref<detail::TimerHandle> call_soon(detail::TimerHandle::Fn fn, void* ctx,
                                     detail::TimerHandle::Drop drop, const char* what);
  // run_in_executor: `job` runs on a worker thread. On the real clock the
  // loop goes on meanwhile and `done` is queued (as call_soon_threadsafe
  // queues it) once the job has finished; on the virtual clock the job is
  // run to its end at once and `done` is set for now plus the time its
  // blocking calls took (the loop is not held: others run in between).
  // `done` is fn(ctx), as a timer (drop releases ctx).
  // `awaited` is the future the caller awaits: once it is cancelled, a job
  // still waiting for a worker is dropped, as ThreadPoolExecutor drops a
  // cancelled work item (a job already running runs to its end).
  void run_in_thread(std::shared_ptr<detail::ThreadJob> job, detail::TimerHandle::Fn fn, void* ctx,
                     detail::TimerHandle::Drop drop, const detail::FutureBase& awaited);
  // A task failed: if nothing ever retrieves its exception, the end of the
  // run says so ("Task exception was never retrieved").
  void note_failed(detail::TaskBase& task);
  // A new task's number for the observer, or no_task when it is not followed.
  TaskId number_task(bool named) noexcept {
    if (!config_.observer || (!named && !follow_unnamed_)) return no_task;
    return next_task_id_++;
  }
  void adopt(detail::TaskBase& task);  // a new task: pending, step scheduled
  void retire(detail::TaskBase& task); // a task is done
  void set_current_task(detail::TaskBase* t) noexcept { current_task_ = t; }
  // Whether a warning is new to this loop. CPython's warnings filter shows
  // a warning once per place in the program; here, once per text.
  bool first_warning(const std::string& text) {
    for (const auto& w : warned_)
      if (w == text) return false;
    warned_.push_back(text);
    return true;
  }

  class View;
  void run_main(detail::TaskBase& main);
  void run_until_complete(detail::FutureBase& fut);
  void run_once();
  void cancel_all_tasks();
  void wait_until(Duration deadline); // real clock: sleep until a sleeper is due
  // Scenario time to wall time at this loop's speed.
  std::chrono::nanoseconds to_wall(Duration d) const noexcept;
  // The pending tasks, oldest first, held while the caller walks them.
  std::vector<Ref<detail::TaskBase>> pending_snapshot() const;
  void drop_stale_sleepers();
  void take_thread_results(); // real clock: jobs the workers finished
  // Jobs waiting for a worker start on the workers free by `until`
  // (virtual clock) or free now (real clock), in the order they came.
  void start_thread_jobs(Duration until);
  void finish_thread_jobs(); // asyncio.run's shutdown_default_executor
  void report_unretrieved();

  struct Io; // the Boost.Asio side, kept out of this header; real clock only
  std::vector<std::shared_ptr<void>> kept_; // first: destroyed after everything else
  LoopConfig config_;
  std::unique_ptr<Io> io_;
  std::deque<detail::Handle> ready_;
  SleepQueue<detail::TaskBase> sleepers_;
  detail::TaskBase* pending_head_ = nullptr; // tasks not done, oldest first
  detail::TaskBase* pending_tail_ = nullptr;
  std::size_t pending_count_ = 0;
  detail::TaskBase* current_task_ = nullptr;
  // Thread jobs in flight, with what the loop runs when each is done.
  struct ThreadJobs;
  std::unique_ptr<ThreadJobs> threads_;
  std::vector<Ref<detail::TaskBase>> failed_; // tasks that failed, to check at the end
  Duration virtual_now_{};
  std::int64_t wall_start_ns_ = 0;
  std::uint64_t iterations_ = 0;
  TaskId next_task_id_ = 0;
  const detail::TaskBase* main_ = nullptr; // compared, never followed
  std::vector<std::string> warned_;        // first_warning's: a handful at most
  std::exception_ptr stopped_with_;        // stop_with's
  bool follow_unnamed_ = true;
  bool wants_iterations_ = false;
  // loop.stop()'s moment: run once this iteration's ready callbacks are done.
  std::vector<std::function<void()>> at_iteration_end_;
  bool stopping_ = false;
  bool running_ = false;
  bool interrupted_ = false;
};

namespace detail {

// The loop's side that only the runtime's own machinery calls (tasks,
// futures, timers, the awaiters, worker threads), kept out of Loop's public
// surface: `detail::LoopInternals(loop).call_soon(h)`. Each call forwards
// inline: nothing is added on the hot paths.
class LoopInternals {
public:
  explicit LoopInternals(Loop& loop) noexcept : loop_(loop) {}

  bool wants_iterations() const noexcept { return loop_.wants_iterations(); }
  TaskBase* current_task() const noexcept { return loop_.current_task(); }
  void set_current_task(TaskBase* t) noexcept { loop_.set_current_task(t); }
  TaskId current_task_id() const noexcept { return loop_.current_task_id(); }
  void call_soon(const Handle& h) { loop_.call_soon(h); }
  void call_at(Duration deadline, TaskBase& task) { loop_.call_at(deadline, task); }
  void forget_sleeps(Duration deadline, TaskBase& task) { loop_.forget_sleeps(deadline, task); }
  void block(Duration d) { loop_.block(d); }
  Ref<TimerHandle> call_at(Duration when, TimerHandle::Fn fn, void* ctx, TimerHandle::Drop drop,
                           const char* what) {
    return loop_.call_at(when, fn, ctx, drop, what);
  }
  Ref<TimerHandle> call_soon(TimerHandle::Fn fn, void* ctx, TimerHandle::Drop drop,
                             const char* what) {
    return loop_.call_soon(fn, ctx, drop, what);
  }
  void run_in_thread(std::shared_ptr<ThreadJob> job, TimerHandle::Fn fn, void* ctx,
                     TimerHandle::Drop drop, const FutureBase& awaited) {
    loop_.run_in_thread(std::move(job), fn, ctx, drop, awaited);
  }
  void note_failed(TaskBase& task) { loop_.note_failed(task); }
  TaskId number_task(bool named) noexcept { return loop_.number_task(named); }
  void adopt(TaskBase& task) { loop_.adopt(task); }
  void retire(TaskBase& task) { loop_.retire(task); }
  bool first_warning(const std::string& text) { return loop_.first_warning(text); }
  void at_iteration_end(std::function<void()> fn) {
    loop_.at_iteration_end_.push_back(std::move(fn));
  }

private:
  Loop& loop_;
};

// Read on every await and wake-up: inline, with no TLS wrapper call.
extern constinit thread_local Loop* t_running_loop;
[[noreturn]] void throw_no_running_loop();
} // namespace detail

inline Loop* Loop::current() noexcept {
  return detail::t_running_loop;
}

// The running loop; a logic_error outside of one.
inline Loop& running_loop() {
  if (!detail::t_running_loop) detail::throw_no_running_loop();
  return *detail::t_running_loop;
}

} // namespace asyncdemo
