#pragma once
// TaskBase: asyncio.Task without its value type. It drives a coroutine
// chain: step() resumes the innermost suspended frame (the leaf), and the
// awaiters of sleep, tasks and futures tell it what it now waits on.
#include "asyncdemo/detail/future_base.hpp"
#include "asyncdemo/observer.hpp"
#include "asyncdemo/ref.hpp"

#include <coroutine>
#include <memory>
#include <string>

namespace asyncdemo::detail {

class TaskBase : public FutureBase {
public:
  TaskBase(Loop& loop, std::coroutine_handle<> root, std::string&& name);
  ~TaskBase() override;

  // Task.cancel(): cancels what the task awaits, or has the next step
  // throw CancelledError into it. False if the task is already done.
  // Each call counts as a cancellation request (Python 3.11).
  bool cancel(const std::string* message = nullptr) override;
  // Task.cancelling() and Task.uncancel(): the requests not yet taken back
  // (asyncio.timeout and TaskGroup take back their own). Counted up to
  // 255: one byte, in the padding a swarm's million tasks already have.
  int cancelling() const noexcept { return cancels_; }
  int uncancel() noexcept {
    if (cancels_ > 0) --cancels_;
    return cancels_;
  }

  // The observer's number for this task (no_task: not followed).
  TaskId id() const noexcept { return task_id(); }
  const std::string& name() const noexcept;
  const std::string* task_name() const noexcept override { return &name(); }
  // Whether the loop's observer follows this task. Without an observer
  // none is, and a task reports, formats and allocates nothing per event.
  bool tracked() const noexcept { return id() != no_task; }
  // The done callback by which an awaited future wakes its task (a view of
  // the ready queue recognises it).
  static CallbackFn wakeup_callback() noexcept { return &wakeup; }

  // Called from await_suspend, on the running task.
  void wait_timer(std::coroutine_handle<> leaf, Duration deadline);
  // `what` (if any) names the primitive the future stands for ("Lock",
  // "Queue.get"): what the observer is told the task waits on; `as`, if
  // given, says it with the primitive's state.
  void wait_future(std::coroutine_handle<> leaf, FutureBase& fut, const char* what = nullptr,
                   const Suspension* as = nullptr);
  void wait_yield(std::coroutine_handle<> leaf); // asyncio.sleep(0)
  // Called from await_resume: throws CancelledError if the wake-up was a
  // cancellation (Task.__step(exc)).
  void resume_point();

  // Task.__step: resume the coroutine until it awaits something or ends.
  void step();
  // The coroutine `h` says it catches nothing (catches_nothing()): if it is
  // this task's root, a cancellation that finds it suspended destroys its
  // frame instead of throwing CancelledError through it.
  void root_catches_nothing(std::coroutine_handle<> h) noexcept {
    if (h == root_) quiet_root_ = true;
  }
  // call_soon(self.__step)
  void schedule_step();
  // The loop is going away with this task pending: let go of its frame,
  // callbacks and awaited future, which may hold each other in a cycle.
  void abandon() noexcept;
  // The sleep queue found the sleep this task waits on due, and queued this.
  void timer_fired();
  // Whether the task still sleeps until `deadline`.
  bool sleeping_on(Duration deadline) const noexcept {
    return wait_ == Wait::timer && static_cast<std::uintptr_t>(deadline.count()) == waiting_on_;
  }

protected:
  std::coroutine_handle<> root() const noexcept { return root_; }
  virtual std::exception_ptr root_exception() const noexcept = 0;
  virtual void take_root_result() = 0; // moves the value out of the frame
  virtual std::string describe_result() const { return {}; }

private:
  enum class Wait : std::uint8_t { none, timer, future, yield };
  void finish();
  // The future the task waits on, if it waits on one.
  FutureBase* awaited() const noexcept {
    return wait_ == Wait::future ? reinterpret_cast<FutureBase*>(waiting_on_) : nullptr;
  }
  void stop_waiting() noexcept;
  // Task._cancel_message, and the message of the CancelledError the next
  // step throws in (Rare's cancel_message and throw_message).
  void set_message(std::optional<std::string> Rare::*which, const std::string* message);
  const std::string* message(std::optional<std::string> Rare::*which) const noexcept {
    const auto* r = rare_if_any();
    return r && r->*which ? &*(r->*which) : nullptr;
  }
  const std::string* cancel_message() const noexcept { return message(&Rare::cancel_message); }
  void destroy_frame() noexcept;
  static void wakeup(FutureBase& fut, void* self); // Task.__wakeup

  // The small fields first: they fit in FutureBase's tail padding (a swarm
  // holds a million tasks: every 8 bytes is 8 MB). The number and name of a
  // tracked task are in FutureBase's Rare.
  Wait wait_ = Wait::none;
  bool started_ : 1 = false;
  bool must_cancel_ : 1 = false;  // cancel() found nothing to cancel: throw at next step
  bool throw_cancel_ : 1 = false; // this wake-up brings a CancelledError
  bool left_sleeps_ : 1 = false;  // cancelled out of a sleep: may have stale queue entries
  bool quiet_root_ : 1 = false;   // the root coroutine catches nothing (root_catches_nothing)
  std::uint8_t cancels_ = 0;      // cancellation requests (Task.cancelling())
  // The awaited future (referenced), or the deadline of the sleep, in ns.
  std::uintptr_t waiting_on_ = 0;
  std::coroutine_handle<> root_;
  std::coroutine_handle<> leaf_;

public:
  // The loop's list of pending tasks, in creation order.
  TaskBase* prev_pending = nullptr;
  TaskBase* next_pending = nullptr;
};

// The task whose step is running now (there is one whenever an await runs).
TaskBase& running_task();

} // namespace asyncdemo::detail
