#pragma once
// --help for people, fitted to the terminal (80 columns in a pipe): what the
// command is, its options with their kinds and defaults, the words a
// newcomer meets, examples and the exit statuses.
#include "command_doc.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace asyncdemo::cli {

// asyncdemo SCENARIO --help, asyncdemo run FILE --help, list --help.
std::string help_text(const CommandDoc& doc, std::size_t width);

// asyncdemo --help: the commands, the scenarios, asyncdemo's own options.
std::string top_help(const CommandDoc& top, const std::vector<const Scenario*>& scenarios,
                     std::size_t width);

// asyncdemo alone: the usage and the scenarios, short.
std::string short_usage(const std::vector<const Scenario*>& scenarios, std::size_t width);

} // namespace asyncdemo::cli
