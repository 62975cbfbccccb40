#pragma once
// What the catalogue's scenarios share for their list parameters
// (--texts First,Second, --delays 1.5,0.5,1, --numbers 5,7,3,6): splitting,
// strict number parsing for Param::check, and writing values back as
// Python literals for --python.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <charconv>
#include <cmath>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace asyncdemo::scenarios {

// "a,b,c" → {"a", "b", "c"}; "" → {""}, so an empty list is one empty item.
inline std::vector<std::string> split_list(std::string_view text) {
  std::vector<std::string> out;
  for (;;) {
    const auto comma = text.find(',');
    out.emplace_back(text.substr(0, comma));
    if (comma == std::string_view::npos) return out;
    text.remove_prefix(comma + 1);
  }
}

// A plain decimal number, finite: no spaces, no hex, nothing after it.
inline std::optional<double> parse_number(std::string_view text) {
  double v = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, v, std::chars_format::general);
  if (text.empty() || ec != std::errc() || ptr != end || !std::isfinite(v)) return std::nullopt;
  return v;
}

// A whole number written in decimal digits (a leading '-' allowed).
inline std::optional<long long> parse_whole(std::string_view text) {
  long long v = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, v);
  if (text.empty() || ec != std::errc() || ptr != end) return std::nullopt;
  return v;
}

// A Python string literal that reads back as `text`.
inline std::string py_str(std::string_view text) {
  std::string out = "\"";
  for (const unsigned char c : text) {
    if (c == '\\' || c == '"')
      out += fmt::format("\\{}", static_cast<char>(c));
    else if (c < 0x20 || c == 0x7f)
      out += fmt::format("\\x{:02x}", c);
    else
      out += static_cast<char>(c);
  }
  return out + "\"";
}

// A number as Python's repr writes it, for the program --python prints:
// the shortest text that reads back as the same double ("1.0", "0.1").
inline std::string py_float(double v) {
  std::string s = fmt::format("{}", v);
  if (s.find_first_of(".en") == std::string::npos) s += ".0";
  return s;
}

// A list of whole numbers as Python prints it: [5, 3, 4].
template <class Range> std::string py_list(const Range& numbers) {
  return fmt::format("[{}]", fmt::join(numbers, ", "));
}

} // namespace asyncdemo::scenarios
