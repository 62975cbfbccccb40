#pragma once
// What the command line takes, read from the same CLI11 definitions that
// parse it, so that --help, the man page and the completions cannot drift
// from it: each command (asyncdemo itself, list, show, run, each scenario)
// and each of its options, with its kind, default, help and choices.
#include "asyncdemo/teach/scenario.hpp"

#include <CLI/CLI.hpp>

#include <map>
#include <string>
#include <vector>

namespace asyncdemo::cli {

struct OptionDoc {
  std::string name;     // long, without dashes: "mode"
  char short_name{};    // 'q' for -q, or 0
  std::string kind;     // what its value is: MODE, FILE, N; empty for a switch
  std::string fallback; // its default as --help shows it; empty for none
  std::string help;
  std::vector<std::string> choices; // the values it takes, when they are a few names
  bool own = false;                 // a scenario's own parameter
  bool file() const { return kind == "FILE"; }
};

struct CommandDoc {
  std::string name;    // "" (asyncdemo itself), "list", "run", "show", a scenario's name
  std::string usage;   // "asyncdemo breakfast [OPTIONS]"
  std::string summary; // one line
  const Scenario* scenario = nullptr;
  std::vector<OptionDoc> options;
  std::vector<std::string> examples; // command lines, without "$ "
};

// Choices an option was declared with, by the option.
using Choices = std::map<const CLI::Option*, std::vector<std::string>>;

// A command's description from its CLI11 definition.
CommandDoc describe(const CLI::App& app, std::string name, std::string usage,
                    const Scenario* scenario, const Choices& choices);

// Examples that show a scenario off: its modes compared, its Python twin.
std::vector<std::string> examples_for(const Scenario& s, bool file);

// The exit statuses, as (status, meaning): one list for --help and the man page.
const std::vector<std::pair<std::string, std::string>>& exit_statuses();

// Words a newcomer meets in the output, as (word, meaning).
const std::vector<std::pair<std::string, std::string>>& words();

} // namespace asyncdemo::cli
