// The free functions scenario code calls to print, and the warning of an
// awaitable that was never awaited.
#include "asyncdemo/detail/task_base.hpp"
#include "asyncdemo/loop.hpp"
#include "asyncdemo/print.hpp"
#include "asyncdemo/sleep.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <string>

namespace asyncdemo {

void print_line(std::string text) {
  Loop* loop = Loop::current();
  if (!loop) { // outside a loop it is just print()
    std::fputs(text.c_str(), stdout);
    std::fputc('\n', stdout);
    return;
  }
  auto* task = loop->current_task();
  loop->recorder().record(loop->now(), task ? task->id() : no_task, EventKind::print,
                          std::move(text));
}

void warn_never_awaited(const char* name) noexcept {
  try {
    auto text = fmt::format("RuntimeWarning: coroutine '{}' was never awaited", name);
    if (Loop* loop = Loop::current()) {
      auto* task = loop->current_task();
      loop->recorder().record(loop->now(), task ? task->id() : no_task, EventKind::warning,
                              std::move(text));
    } else {
      std::fputs((text + "\n").c_str(), stderr);
    }
  } catch (...) { // called from a destructor: a warning must never end the run
  }
}

} // namespace asyncdemo
