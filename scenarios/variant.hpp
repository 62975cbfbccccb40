#pragma once
// --variant: one of a few named versions of a scenario's program.
#include "asyncdemo/scenario.hpp"
#include "asyncdemo/suggest.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace asyncdemo {

// The first name is the default; anything else is refused with the list of
// names (and the nearest one, for a typo).
inline Param variant_param(std::vector<std::string> names, std::string help) {
  std::string default_value = names.front();
  return Param{
      .name = "variant",
      .help = std::move(help),
      .default_value = std::move(default_value),
      .check = [names = std::move(names)](std::string_view value) -> std::string {
        if (std::find(names.begin(), names.end(), value) != names.end()) return {};
        const auto near = closest(value, names);
        return fmt::format("'{}' is not a variant{}; use one of {}", value,
                           near ? fmt::format(" (did you mean '{}'?)", *near) : std::string(),
                           fmt::join(names, ", "));
      },
  };
}

} // namespace asyncdemo
