#pragma once
// loop.call_soon and loop.call_later: a function the loop runs, at the end
// of the ready queue or once a delay has passed, as CPython's loop runs a
// Handle or a TimerHandle (equal deadlines in the order they were set,
// beside the sleeping tasks). An exception it raises is reported, as
// CPython's default exception handler does, and the loop goes on.
#include "asyncdemo/duration.hpp"
#include "asyncdemo/observer.hpp"
#include "asyncdemo/ref.hpp"

#include <functional>

namespace asyncdemo {

namespace detail {
class TimerHandle;
}

class CallbackHandle {
public:
  CallbackHandle() = default;
  explicit CallbackHandle(Ref<detail::TimerHandle> h) noexcept;
  ~CallbackHandle();
  CallbackHandle(const CallbackHandle&) noexcept;
  CallbackHandle& operator=(const CallbackHandle&) noexcept;
  // Handle.cancel(): it will not run.
  void cancel() noexcept;
  bool cancelled() const noexcept;

private:
  Ref<detail::TimerHandle> h_;
};

// The running task's id (asyncio.current_task()'s), or 0 outside a task.
TaskId running_task_id() noexcept;

CallbackHandle call_soon(std::function<void()> fn, const char* what = "callback");
CallbackHandle call_later(Duration delay, std::function<void()> fn, const char* what = "callback");

} // namespace asyncdemo
