// The free functions scenario code calls: print, seconds.
#include "asyncdemo/detail/task_base.hpp"
#include "asyncdemo/loop.hpp"
#include "asyncdemo/print.hpp"
#include "asyncdemo/sleep.hpp"

#include <cmath>
#include <cstdio>

namespace asyncdemo {

Duration seconds(double s) {
  return Duration(static_cast<std::int64_t>(std::llround(s * 1e9)));
}

double to_seconds(Duration d) noexcept {
  return std::chrono::duration<double>(d).count();
}

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
