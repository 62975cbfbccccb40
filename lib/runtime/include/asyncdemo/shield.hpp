#pragma once
// shield: asyncio.shield. Awaiting shield(task) is awaiting the task,
// except that cancelling the awaiter does not cancel the task: the awaiter
// sees CancelledError, the task goes on. (If the task itself is cancelled,
// so is the shield.)
#include "asyncdemo/future.hpp"
#include "asyncdemo/task.hpp"

namespace asyncdemo {

namespace detail {

// The two callbacks' shared state: the inner task, the outer future, and
// the inner callback's id (to take it back).
template <class T> struct Shield {
  Ref<TaskState<T>> inner;
  Ref<FutureState<T>> outer;
  std::uint64_t inner_cb = 0;
  std::uint32_t refs = 0;
  void add_ref() noexcept { ++refs; }
  void release() noexcept {
    if (--refs == 0) delete this;
  }
  static void drop(void* s) { static_cast<Shield*>(s)->release(); }

  static void inner_done(FutureBase&, void* self) {
    auto& s = *static_cast<Shield*>(self);
    if (s.outer->cancelled()) {
      if (!s.inner->cancelled()) s.inner->mark_retrieved();
      return;
    }
    if (s.inner->cancelled()) {
      s.outer->cancel();
    } else if (auto e = s.inner->exception()) {
      s.outer->set_exception(e);
    } else {
      s.outer->set_value(s.inner->value());
    }
  }
  static void outer_done(FutureBase&, void* self) {
    auto& s = *static_cast<Shield*>(self);
    if (!s.inner->done()) s.inner->remove_done_callback(s.inner_cb);
  }
};

} // namespace detail

template <class T> Future<T> shield(Task<T> inner) {
  Future<T> outer;
  auto* in = inner.state();
  if (in->done()) { // CPython hands back the task itself: its outcome, now
    if (in->cancelled())
      outer.cancel();
    else if (auto e = in->exception())
      outer.set_exception(e);
    else
      outer.state()->set_value(in->value());
    return outer;
  }
  auto* s = new detail::Shield<T>{Ref<detail::TaskState<T>>(in),
                                  Ref<detail::FutureState<T>>(outer.state())};
  s->add_ref();
  s->inner_cb =
      in->add_removable_callback(&detail::Shield<T>::inner_done, s, &detail::Shield<T>::drop);
  s->add_ref();
  outer.state()->add_done_callback(&detail::Shield<T>::outer_done, s, &detail::Shield<T>::drop);
  return outer;
}

template <class T> Future<T> shield(Coro<T> coro) {
  return shield(create_task(std::move(coro)));
}

} // namespace asyncdemo
