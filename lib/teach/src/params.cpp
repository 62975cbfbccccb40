#include "asyncdemo/teach/params.hpp"

#include "asyncdemo/text/suggest.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

namespace asyncdemo {

Param variant_param(std::vector<std::string> names, std::string help) {
  std::string default_value = names.front();
  auto choices = names;
  return Param{
      .name = "variant",
      .help = std::move(help),
      .default_value = std::move(default_value),
      .check = [names = std::move(names)](std::string_view value) -> std::string {
        if (std::find(names.begin(), names.end(), value) != names.end()) return {};
        const auto near = closest(value, names);
        return fmt::format("{} is not a variant{}; use one of {}", quote(value),
                           near ? fmt::format(" (did you mean '{}'?)", *near) : std::string(),
                           fmt::join(names, ", "));
      },
      .kind = "NAME",
      .choices = std::move(choices),
  };
}

std::optional<std::vector<std::string>> list_items(std::string_view text, const ListOf& list,
                                                   std::string& why) {
  if (text.empty()) {
    why = fmt::format("no {} given; give {}, e.g. {}", list.items, list.what, list.example);
    return std::nullopt;
  }
  auto items = split_list(text);
  if (items.size() > max_list_items) {
    why = fmt::format("{} {} are too many; give 1 to {}, e.g. {}", items.size(), list.items,
                      max_list_items, list.example);
    return std::nullopt;
  }
  if (std::any_of(items.begin(), items.end(), [](const auto& i) { return i.empty(); })) {
    why = fmt::format("{} has an empty {}; give {}, e.g. {}", quote(text), list.item, list.what,
                      list.example);
    return std::nullopt;
  }
  return items;
}

} // namespace asyncdemo
