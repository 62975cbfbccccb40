#pragma once
// asyncio's _release_waiter and _cancel_and_wait: the bits of machinery
// wait_for, wait and asyncio.timeout share. A waiter is a Future<> that
// some done callback, or a timer, sets; the awaiting task wakes a turn
// later, as in CPython.
#include "asyncdemo/coro.hpp"
#include "asyncdemo/detail/future_base.hpp"
#include "asyncdemo/future.hpp"
#include "asyncdemo/ref.hpp"

namespace asyncdemo::detail {

using Waiter = FutureState<void>;

// The context of a release callback: a reference to the waiter.
inline void* hold(Waiter* w) {
  w->add_ref();
  return w;
}
inline void let_go(void* w) {
  static_cast<Waiter*>(w)->release();
}

// _release_waiter(waiter): sets it, unless it is done already.
inline void release(void* w) {
  auto* waiter = static_cast<Waiter*>(w);
  if (!waiter->done()) waiter->set_value();
}
// The same, as a future's done callback.
inline void release_on_done(FutureBase&, void* w) {
  release(w);
}

// _cancel_and_wait(fut): cancels it and waits until it is done (through a
// waiter of its own, so that this wait can itself be cancelled).
inline Coro<> cancel_and_wait(Ref<FutureBase> fut, const char* what) {
  Future<> waiter;
  const auto id = fut->add_removable_callback(&release_on_done, hold(waiter.state()), &let_go);
  std::exception_ptr error;
  try {
    fut->cancel();
    co_await waiter.waiting_as(what);
  } catch (...) {
    error = std::current_exception();
  }
  fut->remove_done_callback(id); // finally
  if (error) std::rethrow_exception(error);
}

} // namespace asyncdemo::detail
