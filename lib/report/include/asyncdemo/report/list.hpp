#pragma once
// `asyncdemo list`: scenario, seed, modes, summary; aligned.
#include "asyncdemo/teach/scenario.hpp"

#include <string>
#include <vector>

namespace asyncdemo {

std::string scenario_list(const std::vector<const Scenario*>& scenarios);

} // namespace asyncdemo
