#pragma once
// print: the seeds' print(), recorded with the time and the task that
// printed, so renderers can show it live and tests can compare it.
#include <fmt/format.h>

#include <string>
#include <utility>

namespace asyncdemo {

void print_line(std::string text);

template <class... Args> void print(fmt::format_string<Args...> f, Args&&... args) {
  print_line(fmt::format(f, std::forward<Args>(args)...));
}

} // namespace asyncdemo
