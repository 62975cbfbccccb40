#pragma once
// CLI11's definitions of asyncdemo's commands, made from the option table
// (asyncdemo/cli/options.hpp) and each scenario's parameters, and what a
// parse gave each of them.
#include "asyncdemo/cli/options.hpp"

#include "command_doc.hpp"

#include <CLI/CLI.hpp>

#include <deque>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace asyncdemo::cli {

// One command's options, as CLI11 fills them.
struct Given {
  struct Entry {
    const OptionSpec* spec = nullptr;
    CLI::Option* option = nullptr;
    std::string value; // CLI11 writes here (a switch leaves it empty)
  };
  std::deque<Entry> entries;                 // a deque: CLI11 keeps each value's address
  std::map<std::string, std::string> params; // a scenario's own, by name
  std::map<std::string, CLI::Option*> param_options;

  // What was given (and only that), where it goes.
  void collect(RawOptions& raw, Requests& requests) const;
};

// A scenario's command: its name ("run" for a file), and its scenario.
using ScenarioCommand = std::pair<std::string, const Scenario*>;

// The commands: asyncdemo's own options, list's, and the scenarios'
// commands asked for. A command line that names a scenario reaches that
// one command alone; the others cost a millisecond to define.
struct Commands {
  explicit Commands(const std::vector<ScenarioCommand>& scenario_commands);
  Commands(const Commands&) = delete;
  Commands& operator=(const Commands&) = delete;

  CLI::App app;
  CLI::App* list = nullptr;
  Choices choices; // for --help and the completions (the plan checks the values)
  Given top, list_options;
  std::map<std::string, Given> scenarios; // by command: a scenario's name, or "run"
};

// The scenario `asyncdemo run --help` describes: any file, before it is read.
const Scenario& any_file();

// Every scenario's command, as the man page and the completions list them:
// run (any file), then each scenario of the catalogue.
std::vector<ScenarioCommand> every_command();

} // namespace asyncdemo::cli
