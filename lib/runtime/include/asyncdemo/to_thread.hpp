#pragma once
// to_thread: asyncio.to_thread. The function runs on a worker thread of the
// loop's default executor; the task awaits its result, and the loop runs
// the others meanwhile. Blocking calls inside it (block()) hold its worker,
// not the loop:
//
//   await asyncio.to_thread(time.sleep, 1)     co_await to_thread([] { block(1s); });
//
// The executor has LoopConfig::workers workers (CPython's default size
// unless set): a call made while all are busy waits for the first to be
// free, in the order the calls came. On the real clock the work really runs
// on the worker; on the virtual clock it runs there when its worker is
// free, its blocking calls only add up, and its result arrives when that
// much virtual time has passed since it began. In sync mode (a
// plain program) it is a plain call, blocking as it would.
#include "asyncdemo/coro.hpp"
#include "asyncdemo/detail/thread_job.hpp"
#include "asyncdemo/future.hpp"
#include "asyncdemo/loop.hpp"

#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

namespace asyncdemo {

namespace detail {

template <class R> class ThreadCall final : public ThreadJob {
public:
  template <class F> explicit ThreadCall(F&& f) : fn_(std::forward<F>(f)) {}
  std::optional<Value<R>> value;

private:
  void work() override {
    if constexpr (std::is_void_v<R>) {
      fn_();
      value.emplace();
    } else {
      value.emplace(fn_());
    }
  }
  std::function<R()> fn_;
};

// Back on the loop: the result goes to the future unless it was cancelled
// meanwhile (asyncio's _copy_future_state).
template <class R> struct Delivery {
  std::shared_ptr<ThreadCall<R>> job;
  Future<R> fut;
  static void deliver(void* self) {
    auto& d = *static_cast<Delivery*>(self);
    if (d.fut.done()) return;
    if (d.job->error)
      d.fut.set_exception(d.job->error);
    else
      d.fut.state()->set_value(std::move(*d.job->value));
  }
  static void drop(void* self) { delete static_cast<Delivery*>(self); }
};

} // namespace detail

template <class F, class R = std::invoke_result_t<F&>> Coro<R> to_thread(F fn) {
  Loop& loop = running_loop();
  if (loop.config().sleep_blocks) { // sync mode: a plain call
    if constexpr (std::is_void_v<R>) {
      fn();
      co_return;
    } else {
      co_return fn();
    }
  }
  auto job = std::make_shared<detail::ThreadCall<R>>(std::move(fn));
  Future<R> fut;
  detail::LoopInternals(loop).run_in_thread(job, &detail::Delivery<R>::deliver,
                                            new detail::Delivery<R>{job, fut},
                                            &detail::Delivery<R>::drop, *fut.state());
  if constexpr (std::is_void_v<R>)
    co_await fut.waiting_as("to_thread");
  else
    co_return co_await fut.waiting_as("to_thread");
}

} // namespace asyncdemo
