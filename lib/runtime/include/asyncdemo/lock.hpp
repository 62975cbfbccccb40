#pragma once
// Lock: asyncio.Lock. acquire() takes it, or waits in line; release() lets
// the first waiter that is still waiting have it next (it takes it when it
// runs: a task that arrives meanwhile can take it first, as in CPython).
// `async with lock:` is with(lock, body()) (with.hpp).
#include "asyncdemo/coro.hpp"
#include "asyncdemo/detail/waiters.hpp"
#include "asyncdemo/errors.hpp"

#include <algorithm>

namespace asyncdemo {

class Lock {
public:
  Lock() = default;
  Lock(const Lock&) = delete;
  Lock& operator=(const Lock&) = delete;

  bool locked() const noexcept { return locked_; }

  Coro<bool> acquire() {
    if (!locked_ && std::all_of(waiters_.begin(), waiters_.end(),
                                [](const Future<>& w) { return w.cancelled(); })) {
      locked_ = true;
      detail::tell_held(true, [&] { return state(); });
      co_return true;
    }
    Future<> fut;
    waiters_.push_back(fut);
    std::exception_ptr error;
    try {
      const auto as = detail::waiting_on("Lock", state());
      co_await fut.waiting_as("Lock", &as);
    } catch (...) {
      error = std::current_exception();
    }
    detail::remove_waiter(waiters_, fut);
    if (error) {
      // Cancelled while woken: the lock would go to nobody; the next one.
      if (is_cancelled_error(error) && !locked_) wake_up_first();
      std::rethrow_exception(error);
    }
    locked_ = true;
    detail::tell_held(true, [&] { return state(); });
    co_return true;
  }

  void release() {
    if (!locked_) throw RuntimeError("Lock is not acquired.");
    locked_ = false;
    detail::tell_held(false, [&] { return state(); });
    wake_up_first();
  }

  std::size_t waiters() const noexcept { return waiters_.size(); }

private:
  PrimitiveState state() const noexcept {
    return PrimitiveState{this, locked_ ? 0 : 1, -1, 0, waiters_.size()};
  }
  void wake_up_first() {
    if (waiters_.empty()) return;
    auto& fut = waiters_.front();
    if (!fut.done()) fut.set_result();
  }

  detail::Waiters waiters_;
  bool locked_ = false;
};

} // namespace asyncdemo
