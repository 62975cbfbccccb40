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

} // namespace asyncdemo::detail
