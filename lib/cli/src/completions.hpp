#pragma once
// Completion scripts for bash, zsh and fish, made from the command
// descriptions that make --help (command_doc.hpp): the commands and
// scenario names, each scenario's options (its own parameters included),
// the values of options that take a few names (--mode, --clock, --format,
// --variant, ...), file names for run and every FILE option (--trace,
// --export-json, --expect, ...). A scenario file's own parameters are known
// only once it is read: bash and fish ask `asyncdemo run FILE --help`.
#include "command_doc.hpp"

#include <string>
#include <vector>

namespace asyncdemo::cli {

// `docs`: asyncdemo itself, list, run (any file), then each scenario.
std::string bash_completion(const std::vector<CommandDoc>& docs);
std::string zsh_completion(const std::vector<CommandDoc>& docs);
std::string fish_completion(const std::vector<CommandDoc>& docs);

} // namespace asyncdemo::cli
