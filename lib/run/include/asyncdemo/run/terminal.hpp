#pragma once
// The width to draw in: COLUMNS, else the terminal's, else 80.
#include <cstddef>
#include <cstdio>

namespace asyncdemo {

inline constexpr std::size_t default_width = 80;

std::size_t terminal_width(std::FILE* out);

} // namespace asyncdemo
