#pragma once
// Kinds of scenario parameter the catalogue shares: a choice of --variant,
// and lists (--delays 5,8,2, --numbers 5,7,3,6, --texts First,Second) with
// one cap on their length.
#include "asyncdemo/teach/scenario.hpp"
#include "asyncdemo/text/parse.hpp"
#include "asyncdemo/text/quote.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace asyncdemo {

// --variant: one of a few named versions of a scenario's program. The first
// name is the default; anything else is refused with the list of names (and
// the nearest one, for a typo).
Param variant_param(std::vector<std::string> names, std::string help);

// What a list parameter holds, for its messages.
struct ListOf {
  std::string_view item;    // "delay"
  std::string_view items;   // "delays"
  std::string_view what;    // "seconds separated by commas"
  std::string_view example; // "5,8,2"
};

// The items of a list parameter, or nothing with `why` set: nothing given,
// an empty item, or more than max_list_items.
std::optional<std::vector<std::string>> list_items(std::string_view text, const ListOf& list,
                                                   std::string& why);

} // namespace asyncdemo
