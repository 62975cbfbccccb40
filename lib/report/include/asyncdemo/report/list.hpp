#pragma once
// `asyncdemo list`: each scenario's name, seed, modes and summary. As text
// for people, fitted to a width (the terminal's, 80 in a pipe); as JSON
// (schema 1, "type": "list": docs/json.md) or CSV for scripts.
#include "asyncdemo/teach/scenario.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace asyncdemo {

// A table whose cells wrap within their columns, and what its words mean.
std::string scenario_list(const std::vector<const Scenario*>& scenarios, std::size_t width);

// name, origin, modes (space-separated), default_mode, random, file, summary
std::string scenario_list_csv(const std::vector<const Scenario*>& scenarios);

std::string scenario_list_json(const std::vector<const Scenario*>& scenarios);

// "all five" when a scenario supports asyncio's five modes, else their names.
std::string modes_in_short(const Scenario& s);

// What the "from" column means, under the list.
inline constexpr const char* origin_note =
    "from: the tutorial a scenario retells (asyncdemo began from five, numbered 0 to 4) and its "
    "section, or beyond the tutorials: written for asyncdemo";

} // namespace asyncdemo
