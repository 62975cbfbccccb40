// The free functions scenario code calls to print, and the warning of an
// awaitable that was never awaited.
#include "asyncdemo/print.hpp"

#include "asyncdemo/detail/task_base.hpp"
#include "asyncdemo/loop.hpp"
#include "asyncdemo/sleep.hpp"

#include <cstdio>
#include <string>

namespace asyncdemo {

void print_line(std::string text) {
  print_line_ahead(Duration{}, std::move(text));
}

void print_line_ahead(Duration ahead, std::string text) {
  Loop* loop = Loop::current();
  if (!loop) { // outside a loop it is just print()
    std::fputs(text.c_str(), stdout);
    std::fputc('\n', stdout);
    return;
  }
  if (auto* o = loop->observer())
    o->printed(loop->now() + ahead, detail::LoopInternals(*loop).current_task_id(), text);
  loop->throw_if_stopped();
}

void warn_never_awaited(const char* name) noexcept {
  try {
    auto text = std::string("RuntimeWarning: coroutine '") + name + "' was never awaited";
    if (Loop* loop = Loop::current()) {
      // Shown once, as CPython shows a warning raised again at the same place.
      if (!detail::LoopInternals(*loop).first_warning(text)) return;
      if (auto* o = loop->observer())
        o->warned(loop->now(), detail::LoopInternals(*loop).current_task_id(), text);
    } else {
      std::fputs((text + "\n").c_str(), stderr);
    }
  } catch (...) { // called from a destructor: a warning must never end the run
  }
}

} // namespace asyncdemo
