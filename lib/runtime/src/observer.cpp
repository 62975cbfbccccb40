// What the loop reports to its observer: the words of a task's outcome.
#include "asyncdemo/observer.hpp"

namespace asyncdemo {

const char* to_string(TaskOutcome o) noexcept {
  switch (o) {
  case TaskOutcome::pending:
    return "pending";
  case TaskOutcome::done:
    return "done";
  case TaskOutcome::cancelled:
    return "cancelled";
  case TaskOutcome::failed:
    return "failed";
  }
  return "?";
}

} // namespace asyncdemo
