#pragma once
// TimerHandle: asyncio's TimerHandle, a callback the loop runs at a deadline
// (loop.call_at) or at its next turn (loop.call_soon), unless it is
// cancelled first. wait_for, wait, asyncio.timeout and to_thread set them;
// a task's own sleep does not need one (the task itself sits in the sleep
// queue). Timers share the sleep queue with the sleeping tasks, so that
// equal deadlines fire in the order they were set, whichever kind they are.
#include "asyncdemo/detail/pool.hpp"
#include "asyncdemo/duration.hpp"
#include "asyncdemo/observer.hpp"

#include <cstdint>

namespace asyncdemo::detail {

class TimerHandle : public Pooled {
public:
  using Fn = void (*)(void* ctx);
  using Drop = void (*)(void* ctx);

  // `what` says what the timer is for ("wait_for", "timeout"), for a view
  // of the loop; `owner` is the task that set it.
  TimerHandle(Fn fn, void* ctx, Drop drop, const char* what, TaskId owner) noexcept
      : fn_(fn), ctx_(ctx), drop_(drop), what_(what), owner_(owner) {}
  TimerHandle(const TimerHandle&) = delete;
  TimerHandle& operator=(const TimerHandle&) = delete;
  ~TimerHandle() { let_go(); }

  // TimerHandle.cancel(): the callback will not run (its context goes now).
  void cancel() noexcept {
    cancelled_ = true;
    let_go();
  }
  bool cancelled() const noexcept { return cancelled_; }
  // The loop runs it when it is due (a cancelled one does nothing).
  void run() {
    if (cancelled_) return;
    cancelled_ = true; // it runs once
    struct Guard {
      TimerHandle* self;
      ~Guard() { self->let_go(); }
    } guard{this};
    fn_(ctx_);
  }
  const char* what() const noexcept { return what_; }
  TaskId owner() const noexcept { return owner_; }
  Duration when{};

  void add_ref() noexcept { ++refs_; }
  void release() noexcept {
    if (--refs_ == 0) delete this;
  }

private:
  void let_go() noexcept {
    if (drop_) {
      auto d = drop_;
      drop_ = nullptr;
      d(ctx_);
    }
  }
  Fn fn_;
  void* ctx_;
  Drop drop_;
  const char* what_;
  TaskId owner_;
  std::uint32_t refs_ = 0;
  bool cancelled_ = false;
};

} // namespace asyncdemo::detail
