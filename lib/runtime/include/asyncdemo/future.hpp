#pragma once
// Future<T>: asyncio.Future, a value that is set later (loop.create_future()).
// A task awaiting it suspends until set_result, set_exception or cancel;
// its done callbacks run through the loop, in the order added. Tasks are
// futures of their coroutine's value (task.hpp); gather and as_completed
// are built on them.
#include "asyncdemo/coro.hpp"
#include "asyncdemo/detail/future_base.hpp"
#include "asyncdemo/detail/task_base.hpp"
#include "asyncdemo/loop.hpp"
#include "asyncdemo/ref.hpp"

#include <coroutine>
#include <functional>
#include <optional>
#include <utility>

namespace asyncdemo {

namespace detail {

// Waits on a future from a task: no suspension if it is already done.
// `what`, if set, names the primitive the future stands for ("Lock").
struct FutureAwaiter {
  FutureBase& fut;
  TaskBase* waiter = nullptr;
  const char* what = nullptr;
  const Suspension* as = nullptr; // the primitive's state, if it tells it
  bool await_ready() const noexcept { return fut.done(); }
  void await_suspend(std::coroutine_handle<> h) {
    waiter = &running_task();
    waiter->wait_future(h, fut, what, as);
  }
  // Future.__await__ returns fut.result(): a cancelled or failed future
  // raises here.
  void await_resume() const {
    if (waiter) waiter->resume_point();
    fut.check_result();
  }
};

template <class T> class FutureState final : public FutureBase {
public:
  explicit FutureState(Loop& loop) : FutureBase(loop) {}
  template <class... U> void set_value(U&&... v) {
    if (done()) throw InvalidStateError("invalid state: the future is already done");
    value_.emplace(std::forward<U>(v)...);
    set_result();
  }
  const Value<T>& value() const {
    check_result();
    return *value_;
  }

private:
  std::optional<Value<T>> value_;
};

// What Future<T> and Task<T> share: asyncio.Future's surface over a state
// S (FutureState<T> or TaskState<T>), for the handle type H that derives
// from it.
template <class H, class T, class S> class FutureHandle {
public:
  using value_type = T;
  using DoneCallback = std::function<void(H&)>;

  FutureHandle() = default;
  explicit FutureHandle(Ref<S> st) noexcept : st_(std::move(st)) {}

  bool valid() const noexcept { return static_cast<bool>(st_); }
  bool done() const noexcept { return st_->done(); }
  bool cancelled() const noexcept { return st_->cancelled(); }
  // The value; rethrows the stored exception, CancelledError if cancelled,
  // InvalidStateError if not done yet.
  Value<T> result() const { return st_->value(); }
  std::exception_ptr exception() const { return st_->exception(); }
  bool cancel(const std::string* message = nullptr) { return st_->cancel(message); }

  // Runs cb(handle) through the loop once it is done, after callbacks added
  // before it. Returns an id for remove_done_callback.
  std::uint64_t add_done_callback(DoneCallback cb) {
    auto* node = new DoneCallback(std::move(cb));
    return st_->add_removable_callback(
        [](FutureBase& f, void* ctx) {
          H h{Ref<S>(static_cast<S*>(&f))};
          (*static_cast<DoneCallback*>(ctx))(h);
        },
        node, [](void* ctx) { delete static_cast<DoneCallback*>(ctx); });
  }
  // Returns how many callbacks were removed (0 or 1).
  std::size_t remove_done_callback(std::uint64_t id) { return st_->remove_done_callback(id); }

  struct Awaiter {
    Ref<S> st;
    FutureAwaiter inner;
    bool await_ready() const noexcept { return inner.await_ready(); }
    void await_suspend(std::coroutine_handle<> h) { inner.await_suspend(h); }
    Value<T> await_resume() const {
      inner.await_resume();
      return st->value();
    }
  };
  Awaiter operator co_await() const { return Awaiter{st_, FutureAwaiter{*st_}}; }
  // co_await f.waiting_as("Lock"): the same await, for a future that is a
  // primitive's waiter; the observer is told the task waits on "Lock".
  // `as`, if given, is what the observer is told instead (with the
  // primitive's state): it must outlive the await's suspension.
  Awaiter waiting_as(const char* what, const Suspension* as = nullptr) const {
    return Awaiter{st_, FutureAwaiter{*st_, nullptr, what, as}};
  }

  S* state() const noexcept { return st_.get(); }

private:
  Ref<S> st_;
};

} // namespace detail

template <class T = void>
class Future : public detail::FutureHandle<Future<T>, T, detail::FutureState<T>> {
  using Base = detail::FutureHandle<Future<T>, T, detail::FutureState<T>>;

public:
  // A new pending future on the running loop (loop.create_future()).
  Future() : Base(Ref<detail::FutureState<T>>(new detail::FutureState<T>(running_loop()))) {}
  explicit Future(Ref<detail::FutureState<T>> st) noexcept : Base(std::move(st)) {}

  // Future.set_result: InvalidStateError if it is done already.
  template <class... U> void set_result(U&&... v) {
    this->state()->set_value(std::forward<U>(v)...);
  }
  void set_exception(std::exception_ptr e) { this->state()->set_exception(std::move(e)); }
};

} // namespace asyncdemo
