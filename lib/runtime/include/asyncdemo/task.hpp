#pragma once
// Task<T>: a handle to a scheduled coroutine, asyncio.Task's surface:
// done, cancelled, result, exception, cancel, add/remove_done_callback,
// and co_await. create_task schedules a coroutine; it starts only when its
// creator suspends (docs/design.md, rule 1).
#include "asyncdemo/coro.hpp"
#include "asyncdemo/detail/describe.hpp"
#include "asyncdemo/detail/task_base.hpp"
#include "asyncdemo/future.hpp"
#include "asyncdemo/loop.hpp"

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace asyncdemo {

namespace detail {

template <class T> class TaskState final : public TaskBase {
public:
  using handle_type = typename Coro<T>::handle_type;
  TaskState(Loop& loop, Coro<T> coro, std::string&& name)
      : TaskBase(loop, coro.release(), std::move(name)) {}

  const Value<T>& value() const {
    check_result();
    return *value_;
  }

private:
  handle_type typed_root() const noexcept { return handle_type::from_address(root().address()); }
  std::exception_ptr root_exception() const noexcept override {
    return typed_root().promise().exception();
  }
  void take_root_result() override { value_.emplace(typed_root().promise().take()); }
  std::string describe_result() const override {
    if constexpr (std::is_void_v<T>)
      return "None"; // what Python's task.result() gives for a coroutine that returns nothing
    else
      return describe_value(*value_);
  }

  std::optional<Value<T>> value_;
};

} // namespace detail

template <class T = void> class Task {
public:
  using value_type = T;
  using DoneCallback = std::function<void(Task&)>;

  Task() = default;
  explicit Task(detail::Ref<detail::TaskState<T>> st) noexcept : st_(std::move(st)) {}

  bool valid() const noexcept { return static_cast<bool>(st_); }
  bool done() const noexcept { return st_->done(); }
  bool cancelled() const noexcept { return st_->cancelled(); }
  // The value; rethrows the task's exception, CancelledError if cancelled,
  // InvalidStateError if not done yet.
  Value<T> result() const { return st_->value(); }
  std::exception_ptr exception() const { return st_->exception(); }
  bool cancel() { return st_->cancel(); }
  const std::string& name() const noexcept { return st_->name(); }
  int id() const noexcept { return st_->id(); }

  // Runs cb(task) through the loop once the task is done, after callbacks
  // added before it. Returns an id for remove_done_callback.
  std::uint64_t add_done_callback(DoneCallback cb) {
    return detail::add_handle_callback<Task>(st_.get(), std::move(cb));
  }
  // Returns how many callbacks were removed (0 or 1).
  std::size_t remove_done_callback(std::uint64_t id) { return st_->remove_done_callback(id); }

  struct Awaiter {
    detail::Ref<detail::TaskState<T>> st;
    detail::FutureAwaiter inner;
    bool await_ready() const noexcept { return inner.await_ready(); }
    void await_suspend(std::coroutine_handle<> h) { inner.await_suspend(h); }
    Value<T> await_resume() const {
      inner.await_resume();
      return st->value();
    }
  };
  Awaiter operator co_await() const { return Awaiter{st_, detail::FutureAwaiter{*st_}}; }

  detail::TaskState<T>* state() const noexcept { return st_.get(); }

private:
  detail::Ref<detail::TaskState<T>> st_;
};

// asyncio.create_task(coro, name=...): schedules coro on the running loop.
template <class T> Task<T> create_task(Coro<T> coro, std::string name = {}) {
  Loop* loop = Loop::current();
  if (!loop) throw std::logic_error("create_task needs a running loop");
  detail::Ref<detail::TaskState<T>> st(
      new detail::TaskState<T>(*loop, std::move(coro), std::move(name)));
  loop->adopt(*st);
  return Task<T>{std::move(st)};
}

template <class T> Value<T> Loop::run(Coro<T> main, std::string name) {
  detail::Ref<detail::TaskState<T>> st(
      new detail::TaskState<T>(*this, std::move(main), std::move(name)));
  run_main(*st);
  return st->value();
}

} // namespace asyncdemo
