#pragma once
// sleep, block and now: the seeds' asyncio.sleep, time.sleep and time().
#include "asyncdemo/detail/task_base.hpp"
#include "asyncdemo/detail/thread_job.hpp"
#include "asyncdemo/duration.hpp"
#include "asyncdemo/loop.hpp"

#include <algorithm>
#include <chrono>
#include <coroutine>
#include <utility>

namespace asyncdemo {

// Scenario time on the running loop (0 when the loop was made).
inline Duration now() {
  return running_loop().now();
}

// Says that an awaitable was dropped without ever being awaited, as CPython
// does ("RuntimeWarning: coroutine 'sleep' was never awaited"): recorded as
// a warning event of the running task, or written to stderr outside a loop.
void warn_never_awaited(const char* name) noexcept;

class [[nodiscard]] SleepAwaiter {
public:
  explicit SleepAwaiter(Duration d) noexcept : delay(d) {}
  // A move hands on the duty to be awaited, so only the last one can warn.
  SleepAwaiter(SleepAwaiter&& o) noexcept
      : delay(o.delay), awaited_(std::exchange(o.awaited_, true)) {}
  SleepAwaiter& operator=(SleepAwaiter&&) = delete;
  // `asyncio.sleep(d)` without await: nothing waits, and the learner is told.
  ~SleepAwaiter() {
    if (!awaited_) warn_never_awaited("sleep");
  }

  bool await_ready() {
    awaited_ = true;
    Loop& loop = running_loop();
    if (!loop.config().sleep_blocks) return false;
    detail::LoopInternals(loop).block(delay); // sync mode: the plain-function version blocks
    return true;
  }
  void await_suspend(std::coroutine_handle<> h) {
    task = &detail::running_task();
    if (delay <= Duration::zero())
      task->wait_yield(h); // asyncio.sleep(0): give the others one turn
    else
      task->wait_timer(h, task->loop().now() + delay);
  }
  void await_resume() const {
    if (task) task->resume_point();
  }

  Duration delay;

private:
  detail::TaskBase* task = nullptr;
  bool awaited_ = false;
};

// Sleeps until a deadline (scenario time). Only the deadline: a swarm holds
// a million of these in coroutine frames, and 8 bytes less per frame is a
// smaller pool size class (104 -> 96 B).
struct SleepUntilAwaiter {
  Duration deadline;

  bool await_ready() const {
    Loop& loop = running_loop();
    if (!loop.config().sleep_blocks) return false;
    detail::LoopInternals(loop).block(std::max(deadline - loop.now(), Duration::zero()));
    return true;
  }
  void await_suspend(std::coroutine_handle<> h) { detail::running_task().wait_timer(h, deadline); }
  // Resumed by the task that suspended (unless the sleep blocked instead).
  void await_resume() const {
    if (!running_loop().config().sleep_blocks) detail::running_task().resume_point();
  }
};

// asyncio.sleep(delay) in one word, for a frame that keeps one awaiter and
// awaits it again and again (an interpreter's loop sets `delay` each time):
// delay <= 0 yields one turn (as asyncio.sleep(0)), else the task sleeps
// that long; in sync mode the sleep blocks instead. Unlike sleep()'s
// awaiter (three words), it says nothing if it is never awaited.
struct SleepForAwaiter {
  Duration delay;

  bool await_ready() const {
    Loop& loop = running_loop();
    if (!loop.config().sleep_blocks) return false;
    detail::LoopInternals(loop).block(delay);
    return true;
  }
  void await_suspend(std::coroutine_handle<> h) const {
    auto& task = detail::running_task();
    if (delay <= Duration::zero())
      task.wait_yield(h);
    else
      task.wait_timer(h, task.loop().now() + delay);
  }
  // Resumed by the task that suspended (unless the sleep blocked instead).
  void await_resume() const {
    if (!running_loop().config().sleep_blocks) detail::running_task().resume_point();
  }
};

// asyncio.sleep(delay): this task waits, the others run.
template <class Rep, class Period>
[[nodiscard]] SleepAwaiter sleep(std::chrono::duration<Rep, Period> delay) {
  return SleepAwaiter{std::chrono::round<Duration>(delay)};
}
[[nodiscard]] inline SleepAwaiter sleep(double secs) {
  return SleepAwaiter{seconds(secs)};
}

// asyncio.sleep(deadline - loop.time()), without the clock read in between:
// the task wakes no earlier than `deadline` (scenario time).
[[nodiscard]] inline SleepUntilAwaiter sleep_until(Duration deadline) {
  return SleepUntilAwaiter{deadline};
}

// time.sleep(delay) inside a coroutine: holds the whole loop (docs/design.md, rule 5).
// Inside to_thread's work it holds only its worker thread.
inline void block(Duration delay) {
  if (auto* job = detail::current_thread_job())
    job->block(delay);
  else
    detail::LoopInternals(running_loop()).block(delay);
}
template <class Rep, class Period> void block(std::chrono::duration<Rep, Period> delay) {
  block(std::chrono::round<Duration>(delay));
}
inline void block(double secs) {
  block(seconds(secs));
}

} // namespace asyncdemo
