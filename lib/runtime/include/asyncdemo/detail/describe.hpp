#pragma once
// A task's result as Python prints it (str(result)), for the observer:
// None for no value, True/False, numbers in their shortest exact form, text
// as it is, a value with a str() member as that says. Other types describe
// as "" (the reports then show nothing).
#include <charconv>
#include <concepts>
#include <string>
#include <string_view>
#include <type_traits>

namespace asyncdemo::detail {

template <class T> std::string describe_value(const T& v) {
  if constexpr (std::is_same_v<T, bool>) {
    return v ? "True" : "False";
  } else if constexpr (std::is_integral_v<T>) {
    return std::to_string(v);
  } else if constexpr (std::is_floating_point_v<T>) {
    char buf[32];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    return ec == std::errc() ? std::string(buf, end) : std::string();
  } else if constexpr (std::is_convertible_v<const T&, std::string_view>) {
    return std::string(std::string_view(v));
  } else if constexpr (requires {
                         { v.str() } -> std::convertible_to<std::string>;
                       }) {
    return v.str(); // a value that prints itself, as Python's str() would
  } else {
    return {};
  }
}

} // namespace asyncdemo::detail
