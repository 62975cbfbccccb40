#pragma once
// What the catalogue's scenarios share for their list parameters
// (--texts First,Second, --delays 1.5,0.5,1, --numbers 5,7,3,6): writing
// values back as Python literals for --python.
#include "asyncdemo/parse.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace asyncdemo::scenarios {

// Splitting and strict number parsing live in asyncdemo/parse.hpp.
using asyncdemo::parse_number;
using asyncdemo::parse_whole;
using asyncdemo::split_list;

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
