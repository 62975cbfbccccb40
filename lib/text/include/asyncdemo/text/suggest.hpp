#pragma once
// "Did you mean …": the closest known name to a mistyped one.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace asyncdemo {

std::size_t edit_distance(std::string_view a, std::string_view b);
// The nearest candidate, if it is near enough to be what was meant.
std::optional<std::string> closest(std::string_view typed, const std::vector<std::string>& known);

} // namespace asyncdemo
