#pragma once
// The argument grammar: every argument of a command line is checked against
// what its command takes before CLI11 sees it, so that CLI11 never guesses.
// An option that needs a value takes the next argument only when that is
// not an option (--trace -q is refused), an empty value (--trace=) stays a
// value, switches take no value (--timeline=yes is refused; a scenario's
// switch takes --name=true or --name=false), and no command takes
// arguments (not even after "--").
#include "asyncdemo/teach/scenario.hpp"

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace CLI {
class App;
class ParseError;
} // namespace CLI

namespace asyncdemo::cli {

// What one command line may hold: asyncdemo's own options (before any
// scenario), list's, or a scenario's, as they were given to CLI11.
struct Grammar {
  std::string command; // "" (asyncdemo itself), "list", a scenario's name, "run FILE"
  const Scenario* scenario = nullptr;                     // when the command is one
  std::map<std::string, std::string, std::less<>> values; // name -> its value in --help: MODE, FILE
  std::vector<std::string> switches;                      // long names
  std::string shorts;                                     // the one-letter switches

  // The grammar of a command as CLI11 defines it.
  static Grammar of(const CLI::App& app, std::string command, const Scenario* s);

  // "see 'asyncdemo breakfast --help'"
  std::string hint() const;
  // The refusal of an unknown option, with the nearest known one.
  std::string unknown(std::string_view option, std::string_view name) const;
};

// The arguments (after the program's name) CLI11 is to see, in the order
// CLI11 takes them (last first), or the one line that refuses them.
std::variant<std::vector<std::string>, std::string> normalise(const std::vector<std::string>& args,
                                                              const Grammar& g);

// CLI11's messages, said the way the rest of ours are.
std::string reword(const CLI::ParseError& e);

} // namespace asyncdemo::cli
