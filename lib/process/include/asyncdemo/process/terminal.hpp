#pragma once
// The width to draw in: COLUMNS, else the terminal's, else 80.
#include <cstddef>
#include <cstdio>
#include <optional>

namespace asyncdemo {

inline constexpr std::size_t default_width = 80;

std::size_t terminal_width(std::FILE* out);

// The width when it is known: COLUMNS, else the terminal's; nothing for a
// file or a pipe without COLUMNS (whose lines are then left whole, for
// scripts).
std::optional<std::size_t> known_width(std::FILE* out);

} // namespace asyncdemo
