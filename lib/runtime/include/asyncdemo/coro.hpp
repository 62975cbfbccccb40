#pragma once
// Coro<T>: the C++ spelling of a Python coroutine object. It is lazy: calling
// a coroutine function runs nothing. `co_await coro` runs it inline, with no
// trip through the event loop (docs/design.md, rule 2: why `await a(); await b()` is
// sequential). To run it concurrently, hand it to create_task or gather.
#include "asyncdemo/detail/pool.hpp"

#include <cassert>
#include <coroutine>
#include <exception>
#include <optional>
#include <type_traits>
#include <utility>
#include <variant>

namespace asyncdemo {

// The value a coroutine of T produces; void becomes an empty value so that
// results can be stored in tuples and vectors alike.
template <class T> using Value = std::conditional_t<std::is_void_v<T>, std::monostate, T>;

template <class T> class Coro;

namespace detail {

class CoroPromiseBase {
public:
  // Frames come from the recycling pool: a swarm makes a million of them.
  static void* operator new(std::size_t size) { return pool_allocate(size); }
  static void operator delete(void* p, std::size_t size) noexcept { pool_free(p, size); }

  std::suspend_always initial_suspend() const noexcept { return {}; }

  struct FinalAwaiter {
    bool await_ready() const noexcept { return false; }
    template <class P> std::coroutine_handle<> await_suspend(std::coroutine_handle<P> h) noexcept {
      // Return to whoever awaited us, if we suspended on the way (else the
      // awaiter is still in its await_suspend, and carries on from there);
      // a task's root has no one, and control goes back to the loop's step.
      if (auto c = h.promise().continuation_) return c;
      return std::noop_coroutine();
    }
    void await_resume() const noexcept {}
  };
  FinalAwaiter final_suspend() const noexcept { return {}; }

  void unhandled_exception() noexcept { exception_ = std::current_exception(); }
  void set_continuation(std::coroutine_handle<> c) noexcept { continuation_ = c; }
  const std::exception_ptr& exception() const noexcept { return exception_; }

protected:
  std::coroutine_handle<> continuation_;
  std::exception_ptr exception_;
};

template <class T> class CoroPromise : public CoroPromiseBase {
public:
  Coro<T> get_return_object() noexcept;
  template <class U> void return_value(U&& v) {
    if constexpr (in_place)
      value_ = std::forward<U>(v);
    else
      value_.emplace(std::forward<U>(v));
  }
  Value<T> take() {
    if (exception_) std::rethrow_exception(exception_);
    if constexpr (in_place)
      return std::move(value_);
    else
      return std::move(*value_);
  }

private:
  // A value with a cheap empty state is held as it is, without optional's
  // flag (a frame returns a value or throws: take() never finds it unset):
  // a swarm's million frames are 8 bytes smaller.
  static constexpr bool in_place =
      std::is_nothrow_default_constructible_v<T> && std::is_nothrow_move_assignable_v<T>;
  std::conditional_t<in_place, T, std::optional<T>> value_;
};

template <> class CoroPromise<void> : public CoroPromiseBase {
public:
  Coro<void> get_return_object() noexcept;
  void return_void() noexcept {}
  Value<void> take() {
    if (exception_) std::rethrow_exception(exception_);
    return {};
  }
};

} // namespace detail

template <class T = void> class [[nodiscard]] Coro {
public:
  using promise_type = detail::CoroPromise<T>;
  using handle_type = std::coroutine_handle<promise_type>;
  using value_type = T;

  Coro() = default;
  explicit Coro(handle_type h) noexcept : h_(h) {}
  Coro(Coro&& o) noexcept : h_(std::exchange(o.h_, {})) {}
  Coro& operator=(Coro o) noexcept {
    std::swap(h_, o.h_);
    return *this;
  }
  ~Coro() {
    if (h_) h_.destroy();
  }

  bool valid() const noexcept { return static_cast<bool>(h_); }
  // Gives up ownership of the frame (to a task, which then drives it).
  handle_type release() noexcept { return std::exchange(h_, {}); }

  struct Awaiter {
    handle_type h;
    bool await_ready() const noexcept { return false; }
    // The callee starts now, on this task. If it ends without suspending
    // (as_completed's next result when one is already there), the caller
    // goes on at once: a loop of such awaits stays at one stack frame. A
    // symmetric transfer would too, but only where the compiler makes it a
    // tail call, which GCC does not under AddressSanitizer or at -O0: 200,000
    // results taken one after another overflowed the stack there.
    bool await_suspend(std::coroutine_handle<> caller) noexcept {
      h.resume();
      if (h.done()) return false;
      h.promise().set_continuation(caller); // it suspended: it resumes us when it ends
      return true;
    }
    Value<T> await_resume() { return h.promise().take(); }
  };

  // A coroutine object can be awaited once, as in Python.
  Awaiter operator co_await() & noexcept {
    assert(h_ && !h_.done() && "a coroutine can be awaited only once");
    return Awaiter{h_};
  }
  Awaiter operator co_await() && noexcept { return static_cast<Coro&>(*this).operator co_await(); }

private:
  handle_type h_;
};

namespace detail {
template <class T> Coro<T> CoroPromise<T>::get_return_object() noexcept {
  return Coro<T>{std::coroutine_handle<CoroPromise<T>>::from_promise(*this)};
}
inline Coro<void> CoroPromise<void>::get_return_object() noexcept {
  return Coro<void>{std::coroutine_handle<CoroPromise<void>>::from_promise(*this)};
}
} // namespace detail

} // namespace asyncdemo
