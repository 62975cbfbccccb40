// The free function scenario code calls to print.
#include "asyncdemo/detail/task_base.hpp"
#include "asyncdemo/loop.hpp"
#include "asyncdemo/print.hpp"
#include "asyncdemo/sleep.hpp"

#include <cstdio>

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

} // namespace asyncdemo
