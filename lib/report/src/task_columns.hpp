#pragma once
// The columns of a task's row that the CSV and Markdown tables share.
#include "asyncdemo/run/recorder.hpp"

#include <string>

namespace asyncdemo::columns {

// The task's time on the loop: from its first step to its end (-1: none).
inline Duration duration_of(const TaskRecord& t) {
  if (t.started.count() < 0 || t.finished.count() < 0) return Duration{-1};
  return t.finished - t.started;
}

// "" for a task not finished.
inline std::string order_of(const TaskRecord& t) {
  return t.finish_order == 0 ? std::string() : std::to_string(t.finish_order);
}

} // namespace asyncdemo::columns
