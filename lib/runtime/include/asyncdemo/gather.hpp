#pragma once
// gather: asyncio.gather. Starts its children in argument order (as tasks)
// and gives their results in argument order (docs/design.md, rule 3). The first
// failure or cancellation of a child is raised to the awaiter; cancelling
// the gather cancels every child. With return_exceptions, every child's
// outcome comes back instead, value or exception, in argument order.
#include "asyncdemo/detail/future_base.hpp"
#include "asyncdemo/ref.hpp"
#include "asyncdemo/task.hpp"

#include <exception>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace asyncdemo {

namespace detail {

class GatherFuture final : public FutureBase {
public:
  GatherFuture(Loop& loop, std::vector<Ref<FutureBase>> children, bool return_exceptions);
  bool cancel(const std::string* message = nullptr) override;
  Suspension awaited_as(std::vector<TaskId>& tasks) const override;
  const std::vector<Ref<FutureBase>>& children() const noexcept { return children_; }
  // Its done callback on each child (a view of the ready queue recognises it).
  static CallbackFn child_done_callback() noexcept { return &child_done; }

private:
  static void child_done(FutureBase& child, void* self);
  std::vector<Ref<FutureBase>> children_;
  std::size_t finished_ = 0;
  bool return_exceptions_;
  bool cancel_requested_ = false;
};

Ref<GatherFuture> make_gather(std::vector<Ref<FutureBase>> children, bool return_exceptions);

} // namespace detail

// A coroutine with the name its task will carry (create_task's name=).
template <class T> struct Named {
  std::string name;
  Coro<T> coro;
};
template <class T> Named<T> named(std::string name, Coro<T> coro) {
  return Named<T>{std::move(name), std::move(coro)};
}

namespace detail {
template <class T> Task<T> as_task(Task<T> t) {
  return t;
}
template <class T> Task<T> as_task(Coro<T>&& c) {
  return create_task(std::move(c));
}
template <class T> Task<T> as_task(Named<T>&& n) {
  return create_task(std::move(n.coro), std::move(n.name));
}
// Schedules each coroutine as a task, in order.
template <class T> std::vector<Task<T>> start_all(std::vector<Coro<T>> coros) {
  std::vector<Task<T>> tasks;
  tasks.reserve(coros.size());
  for (auto& c : coros)
    tasks.push_back(create_task(std::move(c)));
  return tasks;
}
} // namespace detail

// The awaitable gather returns for a list of tasks: a vector of results.
// The tasks are held once, by the gather future (a swarm gathers a million).
template <class T> class GatherAll {
public:
  explicit GatherAll(std::vector<Task<T>> tasks) {
    std::vector<Ref<detail::FutureBase>> children;
    children.reserve(tasks.size());
    for (auto& t : tasks)
      children.emplace_back(t.state());
    tasks = {}; // let go of the list before the gather takes hold
    outer_ = detail::make_gather(std::move(children), false);
  }
  bool done() const noexcept { return outer_->done(); }
  bool cancel() { return outer_->cancel(); }

  struct Awaiter {
    GatherAll* self;
    detail::FutureAwaiter inner;
    bool await_ready() const noexcept { return inner.await_ready(); }
    void await_suspend(std::coroutine_handle<> h) { inner.await_suspend(h); }
    std::vector<Value<T>> await_resume() const {
      inner.await_resume();
      self->outer_->check_result();
      const auto& children = self->outer_->children();
      std::vector<Value<T>> out;
      out.reserve(children.size());
      for (auto& c : children)
        out.push_back(static_cast<const detail::TaskState<T>&>(*c).value());
      return out;
    }
  };
  Awaiter operator co_await() { return Awaiter{this, detail::FutureAwaiter{*outer_}}; }

private:
  Ref<detail::GatherFuture> outer_;
};

// The awaitable gather returns for a fixed set of arguments: a tuple.
template <class... Ts> class GatherEach {
public:
  explicit GatherEach(Task<Ts>... tasks) : tasks_(std::move(tasks)...) {
    std::vector<Ref<detail::FutureBase>> children;
    std::apply([&](auto&... t) { (children.emplace_back(t.state()), ...); }, tasks_);
    outer_ = detail::make_gather(std::move(children), false);
  }
  bool cancel() { return outer_->cancel(); }

  struct Awaiter {
    GatherEach* self;
    detail::FutureAwaiter inner;
    bool await_ready() const noexcept { return inner.await_ready(); }
    void await_suspend(std::coroutine_handle<> h) { inner.await_suspend(h); }
    std::tuple<Value<Ts>...> await_resume() const {
      inner.await_resume();
      self->outer_->check_result();
      return std::apply([](auto&... t) { return std::tuple<Value<Ts>...>{t.result()...}; },
                        self->tasks_);
    }
  };
  Awaiter operator co_await() { return Awaiter{this, detail::FutureAwaiter{*outer_}}; }

private:
  std::tuple<Task<Ts>...> tasks_;
  Ref<detail::GatherFuture> outer_;
};

// One entry of gather(..., return_exceptions=True)'s list: the value the
// task returned, or the exception it raised (a CancelledError if it was
// cancelled).
template <class T> struct Outcome {
  std::optional<Value<T>> value;
  std::exception_ptr error;
  bool ok() const noexcept { return !error; }
};

struct ReturnExceptions {};
inline constexpr ReturnExceptions return_exceptions{};

// The awaitable gather returns with return_exceptions: a vector of outcomes.
template <class T> class GatherOutcomes {
public:
  explicit GatherOutcomes(std::vector<Task<T>> tasks) {
    std::vector<Ref<detail::FutureBase>> children;
    children.reserve(tasks.size());
    for (auto& t : tasks)
      children.emplace_back(t.state());
    tasks = {};
    outer_ = detail::make_gather(std::move(children), true);
  }
  bool cancel() { return outer_->cancel(); }

  struct Awaiter {
    GatherOutcomes* self;
    detail::FutureAwaiter inner;
    bool await_ready() const noexcept { return inner.await_ready(); }
    void await_suspend(std::coroutine_handle<> h) { inner.await_suspend(h); }
    std::vector<Outcome<T>> await_resume() const {
      inner.await_resume();
      self->outer_->check_result();
      std::vector<Outcome<T>> out;
      for (auto& c : self->outer_->children()) {
        const auto& child = static_cast<const detail::TaskState<T>&>(*c);
        Outcome<T> o;
        if (child.cancelled())
          o.error = std::make_exception_ptr(CancelledError{});
        else if (auto e = child.exception())
          o.error = e;
        else
          o.value.emplace(child.value());
        out.push_back(std::move(o));
      }
      return out;
    }
  };
  Awaiter operator co_await() { return Awaiter{this, detail::FutureAwaiter{*outer_}}; }

private:
  Ref<detail::GatherFuture> outer_;
};

// gather(a(), b(), ...) with coroutines, named coroutines or tasks.
template <class... As> auto gather(As&&... aws) {
  // Braces: the tasks are created left to right, as Python's gather does.
  return GatherEach<typename decltype(detail::as_task(std::forward<As>(aws)))::value_type...>{
      detail::as_task(std::forward<As>(aws))...};
}

template <class T> GatherAll<T> gather(std::vector<Task<T>> tasks) {
  return GatherAll<T>(std::move(tasks));
}

template <class T> GatherAll<T> gather(std::vector<Coro<T>> coros) {
  return GatherAll<T>(detail::start_all(std::move(coros)));
}

// gather(*tasks, return_exceptions=True)
template <class T> GatherOutcomes<T> gather(std::vector<Task<T>> tasks, ReturnExceptions) {
  return GatherOutcomes<T>(std::move(tasks));
}
template <class T> GatherOutcomes<T> gather(std::vector<Coro<T>> coros, ReturnExceptions) {
  return GatherOutcomes<T>(detail::start_all(std::move(coros)));
}

} // namespace asyncdemo
