#pragma once
// Timeout: asyncio.timeout (Python 3.11). At the deadline it cancels the
// task it was entered in; leaving it, a CancelledError that it caused (and
// no one else asked for: Task.uncancel) becomes TimeoutError.
//
//   async with asyncio.timeout(2):          co_await timeout(2s, body());
//       await body()
//
// timeout(delay, body()) runs the body inline, in this task, as `async
// with` does; Timeout itself is the context manager, for code that needs
// expired() or reschedule().
#include "asyncdemo/coro.hpp"
#include "asyncdemo/detail/task_base.hpp"
#include "asyncdemo/errors.hpp"
#include "asyncdemo/loop.hpp"

#include <exception>
#include <optional>
#include <type_traits>

namespace asyncdemo {

class Timeout {
public:
  // `when`: on the loop's clock (loop.time()); none: never.
  explicit Timeout(std::optional<Duration> when) : when_(when) {}
  Timeout(const Timeout&) = delete; // its timer points to it
  Timeout& operator=(const Timeout&) = delete;
  ~Timeout() {
    if (handler_) handler_->cancel();
  }

  std::optional<Duration> when() const noexcept { return when_; }
  bool expired() const noexcept { return state_ == State::expiring || state_ == State::expired; }

  // __aenter__: in the running task.
  void enter() {
    state_ = State::entered;
    task_ = Ref<detail::TaskBase>(
        Loop::current() ? detail::LoopInternals(*Loop::current()).current_task() : nullptr);
    if (!task_) throw RuntimeError("Timeout should be used inside a task");
    reschedule(when_);
  }

  void reschedule(std::optional<Duration> when) {
    if (state_ != State::entered)
      throw RuntimeError(std::string("Cannot change state of ") + state_name() + " Timeout");
    when_ = when;
    if (handler_) handler_->cancel();
    handler_ = {};
    if (!when) return;
    auto& loop = running_loop();
    detail::LoopInternals inner(loop);
    handler_ = *when <= loop.now() ? inner.call_soon(&on_timeout, this, nullptr, "timeout")
                                   : inner.call_at(*when, &on_timeout, this, nullptr, "timeout");
  }

  // __aexit__ with the exception the body raised (or none). Throws
  // TimeoutError in place of a CancelledError of its own making; the
  // caller raises the body's exception otherwise.
  void exit(const std::exception_ptr& error) {
    if (handler_) handler_->cancel();
    handler_ = {};
    if (state_ == State::expiring) {
      state_ = State::expired;
      if (task_->uncancel() == 0 && is_cancelled_error(error)) throw TimeoutError();
    } else if (state_ == State::entered) {
      state_ = State::exited;
    }
  }

private:
  enum class State { created, entered, expiring, expired, exited };
  const char* state_name() const noexcept {
    switch (state_) {
    case State::created:
      return "created";
    case State::entered:
      return "active";
    case State::expiring:
      return "expiring";
    case State::expired:
      return "expired";
    case State::exited:
      return "finished";
    }
    return "?";
  }
  static void on_timeout(void* self) {
    auto& t = *static_cast<Timeout*>(self);
    t.task_->cancel();
    t.state_ = State::expiring;
    t.handler_ = {};
  }

  State state_ = State::created;
  std::optional<Duration> when_;
  Ref<detail::TimerHandle> handler_;
  Ref<detail::TaskBase> task_;
};

// async with asyncio.timeout_at(when): return await body
template <class T> Coro<T> timeout_at(std::optional<Duration> when, Coro<T> body) {
  Timeout cm(when);
  cm.enter();
  std::exception_ptr error;
  std::optional<Value<T>> value;
  try {
    value.emplace(co_await std::move(body));
  } catch (...) {
    error = std::current_exception();
  }
  cm.exit(error);
  if (error) std::rethrow_exception(error);
  if constexpr (!std::is_void_v<T>) co_return std::move(*value);
}

// async with asyncio.timeout(delay): return await body
template <class T> Coro<T> timeout(std::optional<Duration> delay, Coro<T> body) {
  std::optional<Duration> when;
  if (delay) when = running_loop().now() + *delay;
  return timeout_at(when, std::move(body));
}

} // namespace asyncdemo
