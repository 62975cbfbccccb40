#pragma once
// A primitive's waiters, as CPython keeps them: a deque of futures, woken
// from the front.
#include "asyncdemo/future.hpp"

#include <algorithm>
#include <deque>

namespace asyncdemo::detail {

using Waiters = std::deque<Future<>>;

// deque.remove(fut): the first entry that is this very future.
inline bool remove_waiter(Waiters& ws, const Future<>& fut) {
  const auto at = std::find_if(ws.begin(), ws.end(),
                               [&](const Future<>& w) { return w.state() == fut.state(); });
  if (at == ws.end()) return false;
  ws.erase(at);
  return true;
}

// The loop's observer if it wants iterations (a view of the loop): only
// then does a primitive say its state. Otherwise one untaken branch.
inline LoopObserver* state_observer() noexcept {
  Loop* loop = t_running_loop;
  return loop && loop->observer() && LoopInternals(*loop).wants_iterations() ? loop->observer()
                                                                             : nullptr;
}

// Tells that observer, if any, that the running task took or gave back a
// place of a primitive; `state()` makes the primitive's state after it.
template <class State> void tell_held(bool taken, State&& state) {
  if (auto* o = state_observer())
    o->primitive_held(t_running_loop->now(), LoopInternals(*t_running_loop).current_task_id(),
                      taken, state());
}

// What a task that waits on a primitive tells the observer: the primitive
// and its state.
inline Suspension waiting_on(const char* what, const PrimitiveState& state) {
  Suspension s{Suspension::Kind::primitive, {}, no_task, what};
  s.state = state;
  return s;
}

} // namespace asyncdemo::detail
