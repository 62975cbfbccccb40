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

template <class T = void>
class Task : public detail::FutureHandle<Task<T>, T, detail::TaskState<T>> {
public:
  using detail::FutureHandle<Task<T>, T, detail::TaskState<T>>::FutureHandle;

  const std::string& name() const noexcept { return this->state()->name(); }
  TaskId id() const noexcept { return this->state()->id(); }
  // Task.cancelling(): the cancellation requests not yet taken back.
  int cancelling() const noexcept { return this->state()->cancelling(); }
};

// asyncio.create_task(coro, name=...): schedules coro on the running loop.
// `co_await catches_nothing();` at the top of a coroutine with no try/catch
// that a task runs: when the task is cancelled while this coroutine is the
// one suspended, its frame is destroyed (its locals' destructors run) rather
// than a CancelledError thrown through it. The outcome is the same, the cost
// is not: a million-task swarm's Ctrl-C would throw a million exceptions.
// Awaited anywhere but as a task's own coroutine, it does nothing.
struct catches_nothing {
  bool await_ready() const noexcept { return false; }
  bool await_suspend(std::coroutine_handle<> h) const noexcept {
    detail::running_task().root_catches_nothing(h);
    return false; // carry on at once: nothing is awaited
  }
  void await_resume() const noexcept {}
};

template <class T> Task<T> create_task(Coro<T> coro, std::string name = {}) {
  Loop* loop = Loop::current();
  if (!loop) throw std::logic_error("create_task needs a running loop");
  Ref<detail::TaskState<T>> st(new detail::TaskState<T>(*loop, std::move(coro), std::move(name)));
  detail::LoopInternals(*loop).adopt(*st);
  return Task<T>{std::move(st)};
}

template <class T> Value<T> Loop::run(Coro<T> main, std::string name) {
  Ref<detail::TaskState<T>> st(new detail::TaskState<T>(*this, std::move(main), std::move(name)));
  run_main(*st);
  return st->value();
}

} // namespace asyncdemo
