#pragma once
// Strict parsing of option values: the whole text must be the number, in
// plain decimal (no spaces, no hex, no '+'), so that "--speed=0x10" or
// "--tasks=5k" is refused rather than half read. Range checks, and the
// message saying what would be right, stay with each option.
#include <charconv>
#include <cmath>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace asyncdemo {

// Every list parameter (--delays, --numbers, --texts) takes at most this
// many items: enough for any demo, and a bound on what a run builds.
inline constexpr std::size_t max_list_items = 100;

// A finite decimal number: "5", "0.25", "-1".
inline std::optional<double> parse_number(std::string_view text) {
  double v = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, v);
  if (text.empty() || ec != std::errc() || ptr != end || !std::isfinite(v)) return std::nullopt;
  return v;
}

// A whole number that fits Int ("-3" only for a signed Int).
template <class Int = long long> std::optional<Int> parse_whole(std::string_view text) {
  Int v = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, v);
  if (text.empty() || ec != std::errc() || ptr != end) return std::nullopt;
  return v;
}

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

} // namespace asyncdemo
