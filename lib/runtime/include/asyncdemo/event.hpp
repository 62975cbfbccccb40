#pragma once
// Event: asyncio.Event. wait() suspends until set() is called; set() wakes
// every waiter, in the order they began to wait; once set, wait() returns
// at once, until clear().
#include "asyncdemo/coro.hpp"
#include "asyncdemo/detail/waiters.hpp"

namespace asyncdemo {

class Event {
public:
  Event() = default;
  Event(const Event&) = delete; // waiting coroutines hold on to it
  Event& operator=(const Event&) = delete;

  bool is_set() const noexcept { return value_; }
  void set() {
    if (value_) return;
    value_ = true;
    for (auto& fut : waiters_)
      if (!fut.done()) fut.set_result();
  }
  void clear() noexcept { value_ = false; }
  // `what` is what the observer is told the task waits on (Queue.join
  // waits on its own Event).
  Coro<bool> wait(const char* what = "Event") {
    if (value_) co_return true;
    Future<> fut;
    waiters_.push_back(fut);
    std::exception_ptr error;
    try {
      co_await fut.waiting_as(what);
    } catch (...) {
      error = std::current_exception();
    }
    detail::remove_waiter(waiters_, fut); // finally: self._waiters.remove(fut)
    if (error) std::rethrow_exception(error);
    co_return true;
  }
  std::size_t waiters() const noexcept { return waiters_.size(); }

private:
  detail::Waiters waiters_;
  bool value_ = false;
};

} // namespace asyncdemo
