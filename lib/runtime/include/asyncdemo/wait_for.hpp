#pragma once
// wait_for: asyncio.wait_for (Python 3.11's). Waits for a task (a coroutine
// becomes one; or a future) at most `timeout`; at the deadline it cancels the task,
// waits until it has finished cancelling (a task in a `finally` gets to
// finish it), and raises TimeoutError. If the waiting task is cancelled,
// the inner one is cancelled too. Without a timeout it is a plain await.
#include "asyncdemo/detail/release_waiter.hpp"
#include "asyncdemo/gather.hpp"
#include "asyncdemo/task.hpp"

#include <optional>
#include <type_traits>
#include <utility>

namespace asyncdemo {

namespace detail {

// Value<T>: one body for every T (a Coro<void> cannot co_return a value).
template <class T, class Make> Coro<Value<T>> wait_for_task(Make make, Duration timeout) {
  Loop& loop = running_loop();
  if (timeout <= Duration::zero()) {
    auto fut = make(); // a Task<T>, or a Future<T>
    if (fut.done()) co_return fut.result();
    co_await cancel_and_wait(Ref<FutureBase>(fut.state()), "wait_for");
    bool cancelled = false;
    try {
      co_return fut.result();
    } catch (const CancelledError&) {
      cancelled = true;
    }
    if (cancelled) throw TimeoutError();
  }
  Future<> waiter;
  // finally: timeout_handle.cancel(), however this ends.
  struct CancelTimer {
    Ref<TimerHandle> t;
    ~CancelTimer() { t->cancel(); }
  } timer{detail::LoopInternals(loop).call_at(loop.now() + timeout, &release, hold(waiter.state()),
                                              &let_go, "wait_for")};
  auto fut = make(); // a Task<T>, or a Future<T>
  const auto cb =
      fut.state()->add_removable_callback(&release_on_done, hold(waiter.state()), &let_go);
  bool cancelled = false;
  try {
    co_await waiter.waiting_as("wait_for");
  } catch (const CancelledError&) {
    cancelled = true;
  }
  if (fut.done()) co_return fut.result();
  fut.remove_done_callback(cb);
  // The inner task must not run on once wait_for has returned.
  co_await cancel_and_wait(Ref<FutureBase>(fut.state()), "wait_for");
  if (cancelled) throw CancelledError();
  bool timed_out = false;
  try {
    co_return fut.result(); // its cancellation may have failed: its own outcome
  } catch (const CancelledError&) {
    timed_out = true;
  }
  if (timed_out) throw TimeoutError();
}

} // namespace detail

// await asyncio.wait_for(task, timeout)
template <class T> Coro<T> wait_for(Task<T> task, std::optional<Duration> timeout) {
  auto make = [task] { return task; };
  if constexpr (std::is_void_v<T>) {
    if (timeout)
      co_await detail::wait_for_task<T>(make, *timeout);
    else
      co_await task;
  } else {
    if (!timeout) co_return co_await task;
    co_return co_await detail::wait_for_task<T>(make, *timeout);
  }
}

// await asyncio.wait_for(future, timeout): at the deadline the future is
// cancelled (a shield()'s outer future: what it shields runs on).
template <class T> Coro<T> wait_for(Future<T> future, std::optional<Duration> timeout) {
  auto make = [future] { return future; };
  if constexpr (std::is_void_v<T>) {
    if (timeout)
      co_await detail::wait_for_task<T>(make, *timeout);
    else
      co_await future;
  } else {
    if (!timeout) co_return co_await future;
    co_return co_await detail::wait_for_task<T>(make, *timeout);
  }
}

// await asyncio.wait_for(coro(), timeout): the coroutine becomes a task
// (named, with named()) once the timer is set, as ensure_future does.
template <class T> Coro<T> wait_for(Named<T> coro, std::optional<Duration> timeout) {
  if constexpr (std::is_void_v<T>) {
    if (timeout)
      co_await detail::wait_for_task<T>(
          [&coro] { return create_task(std::move(coro.coro), std::move(coro.name)); }, *timeout);
    else
      co_await std::move(coro.coro);
  } else {
    if (!timeout) co_return co_await std::move(coro.coro);
    co_return co_await detail::wait_for_task<T>(
        [&coro] { return create_task(std::move(coro.coro), std::move(coro.name)); }, *timeout);
  }
}
template <class T> Coro<T> wait_for(Coro<T> coro, std::optional<Duration> timeout) {
  return wait_for(Named<T>{{}, std::move(coro)}, timeout);
}

} // namespace asyncdemo
