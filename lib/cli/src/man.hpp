#pragma once
// asyncdemo(1): the man page, in roff, made from the command descriptions
// that make --help (command_doc.hpp), so that the two cannot drift.
#include "command_doc.hpp"

#include <string>
#include <vector>

namespace asyncdemo::cli {

// `docs`: asyncdemo itself, list, run (any file), then each scenario.
std::string man_page(const std::vector<CommandDoc>& docs);

} // namespace asyncdemo::cli
