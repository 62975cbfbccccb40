#pragma once
// Small text helpers shared by the renderers: ANSI paint, terminal columns
// of UTF-8 text, padding.
#include "asyncdemo/observer.hpp"
#include "asyncdemo/run/plan.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace asyncdemo::report_detail {

inline constexpr const char* reset = "\x1b[0m";
inline constexpr const char* dim = "\x1b[2m";
inline constexpr const char* bold = "\x1b[1m";
inline constexpr const char* green = "\x1b[32m";

// Task colours, in order of task id; main keeps the terminal's own colour.
inline constexpr std::array<const char*, 6> task_palette{"\x1b[36m", "\x1b[33m", "\x1b[35m",
                                                         "\x1b[32m", "\x1b[34m", "\x1b[31m"};

inline const char* task_colour(TaskId id) {
  if (id <= 0) return nullptr;
  return task_palette[static_cast<std::size_t>(id - 1) % task_palette.size()];
}

inline std::string paint(const Style& s, const char* code, std::string_view text) {
  if (!s.color || !code) return std::string(text);
  return fmt::format("{}{}{}", code, text, reset);
}

// Terminal columns of UTF-8 text ("×" and "§" are two bytes, one column).
inline std::size_t columns(std::string_view text) {
  return text.size() - static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
           return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
         }));
}

// Left-aligns text in w columns.
inline std::string pad(std::string_view text, std::size_t w) {
  const auto cols = columns(text);
  return std::string(text) + std::string(w > cols ? w - cols : 0, ' ');
}

// A table for people: the first row is the heading (bold), the first column
// is aligned left and the others right, three spaces apart.
template <std::size_t N>
std::string aligned_table(const std::vector<std::array<std::string, N>>& rows, const Style& style) {
  std::array<std::size_t, N> w{};
  for (const auto& row : rows)
    for (std::size_t i = 0; i < N; ++i)
      w[i] = std::max(w[i], columns(row[i]));
  std::string out;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    std::string line = pad(rows[r][0], w[0]);
    for (std::size_t i = 1; i < N; ++i)
      line += std::string(3 + w[i] - columns(rows[r][i]), ' ') + rows[r][i];
    out += (r == 0 ? paint(style, bold, line) : line) + "\n";
  }
  return out;
}

} // namespace asyncdemo::report_detail
