#pragma once
// sleep, block and now: the seeds' asyncio.sleep, time.sleep and time().
#include "asyncdemo/detail/task_base.hpp"
#include "asyncdemo/duration.hpp"
#include "asyncdemo/loop.hpp"

#include <algorithm>
#include <chrono>
#include <coroutine>

namespace asyncdemo {

// Scenario time on the running loop (0 when the loop was made).
inline Duration now() {
  return running_loop().now();
}

struct SleepAwaiter {
  Duration delay; // the deadline itself when `until`
  detail::TaskBase* task = nullptr;
  bool until = false;

  bool await_ready() const {
    Loop& loop = running_loop();
    if (!loop.config().sleep_blocks) return false;
    // sync mode: the plain-function version blocks
    loop.block(until ? std::max(delay - loop.now(), Duration::zero()) : delay);
    return true;
  }
  void await_suspend(std::coroutine_handle<> h) {
    task = &detail::running_task();
    if (until)
      task->wait_timer(h, delay);
    else if (delay <= Duration::zero())
      task->wait_yield(h); // asyncio.sleep(0): give the others one turn
    else
      task->wait_timer(h, task->loop().now() + delay);
  }
  void await_resume() const {
    if (task) task->resume_point();
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
[[nodiscard]] inline SleepAwaiter sleep_until(Duration deadline) {
  return SleepAwaiter{deadline, nullptr, true};
}

// time.sleep(delay) inside a coroutine: holds the whole loop (DESIGN rule 5).
template <class Rep, class Period> void block(std::chrono::duration<Rep, Period> delay) {
  running_loop().block(std::chrono::round<Duration>(delay));
}
inline void block(double secs) {
  running_loop().block(seconds(secs));
}

} // namespace asyncdemo
