#pragma once
// Semaphore and BoundedSemaphore: asyncio's. A counter of free places:
// acquire() takes one or waits in line; release() gives one back and wakes
// the first waiter still waiting (taking the place for it, as CPython
// 3.11.7 does). BoundedSemaphore refuses to be released above its start.
// `async with sem:` is with(sem, body()) (with.hpp).
#include "asyncdemo/coro.hpp"
#include "asyncdemo/detail/waiters.hpp"
#include "asyncdemo/errors.hpp"

#include <algorithm>

namespace asyncdemo {

class Semaphore {
public:
  explicit Semaphore(int value = 1, const char* what = "Semaphore") : value_(value), what_(what) {
    if (value < 0) throw ValueError("Semaphore initial value must be >= 0");
  }
  Semaphore(const Semaphore&) = delete;
  Semaphore& operator=(const Semaphore&) = delete;
  virtual ~Semaphore() = default;

  // Whether acquire() would have to wait.
  bool locked() const noexcept {
    return value_ == 0 || std::any_of(waiters_.begin(), waiters_.end(),
                                      [](const Future<>& w) { return !w.cancelled(); });
  }
  int value() const noexcept { return value_; }

  Coro<bool> acquire() {
    if (!locked()) {
      --value_;
      detail::tell_held(true, [&] { return state(); });
      co_return true;
    }
    Future<> fut;
    waiters_.push_back(fut);
    std::exception_ptr error;
    try {
      const auto as = detail::waiting_on(what_, state());
      co_await fut.waiting_as(what_, &as);
    } catch (...) {
      error = std::current_exception();
    }
    detail::remove_waiter(waiters_, fut);
    if (error) {
      // Woken (given a place) and cancelled before it ran: the place
      // goes back, to the next in line.
      if (is_cancelled_error(error) && !fut.cancelled()) {
        ++value_;
        wake_up_next();
      }
      std::rethrow_exception(error);
    }
    detail::tell_held(true, [&] { return state(); });
    if (value_ > 0) wake_up_next();
    co_return true;
  }

  virtual void release() {
    ++value_;
    detail::tell_held(false, [&] { return state(); });
    wake_up_next();
  }

  std::size_t waiters() const noexcept { return waiters_.size(); }

private:
  PrimitiveState state() const noexcept {
    return PrimitiveState{this, value_, -1, 0, waiters_.size()};
  }
  void wake_up_next() {
    for (auto& fut : waiters_)
      if (!fut.done()) {
        --value_;
        fut.set_result();
        return;
      }
  }

  detail::Waiters waiters_;
  int value_;
  const char* what_;
};

class BoundedSemaphore final : public Semaphore {
public:
  explicit BoundedSemaphore(int value = 1) : Semaphore(value, "BoundedSemaphore"), bound_(value) {}
  void release() override {
    if (value() >= bound_) throw ValueError("BoundedSemaphore released too many times");
    Semaphore::release();
  }

private:
  int bound_;
};

} // namespace asyncdemo
