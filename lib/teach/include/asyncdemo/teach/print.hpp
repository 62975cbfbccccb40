#pragma once
// print("{} s", x): the seeds' print() with fmt's formatting, for scenario
// code; the line goes to the loop's observer (asyncdemo/print.hpp).
#include "asyncdemo/print.hpp"

#include <fmt/format.h>

#include <utility>

namespace asyncdemo {

template <class... Args> void print(fmt::format_string<Args...> f, Args&&... args) {
  print_line(fmt::format(f, std::forward<Args>(args)...));
}

} // namespace asyncdemo
