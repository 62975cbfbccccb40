#pragma once
// The one table of asyncdemo's options: asyncdemo's own, list's, and those
// of every scenario's command. The CLI11 definitions are made from it, and
// from them the argument grammar, --help, the man page and the
// completions; each entry says where its value goes (a field of
// RawOptions, which make_plan checks). A new option is an entry in the
// table (src/options.cpp), its field in RawOptions and its rule in
// make_plan (lib/run/src/plan.cpp). A scenario's own parameters are not
// here: they come from the Scenario.
#include "asyncdemo/run/plan.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>

namespace asyncdemo::cli {

// What asyncdemo's own options and list's ask for: answered without a run.
struct Requests {
  std::optional<std::string> generate;    // asyncdemo --generate=KIND
  std::optional<std::string> list_format; // asyncdemo list --format=FORMAT
};

// Where a given option's value goes: a value or a switch of a scenario's
// command (for the plan), or a request.
using Field = std::variant<std::optional<std::string> RawOptions::*, bool RawOptions::*,
                           std::optional<std::string> Requests::*>;

// The command an option belongs to: asyncdemo itself (before any command),
// list, or every scenario's (asyncdemo NAME, asyncdemo run FILE).
enum class Command : std::uint8_t { top, list, scenario };

// What of an option depends on the scenario.
enum class PerScenario : std::uint8_t {
  nothing,
  modes,  // --mode: its choices are the scenario's modes (named where help has {}), its
          // default the scenario's
  random, // --seed: only a scenario that draws random numbers takes it
};

struct OptionSpec {
  Command command = Command::scenario;
  std::string_view name;        // long, without dashes: "mode"
  char short_name = 0;          // 'q' for -q, or 0
  std::string_view placeholder; // its value in --help: MODE, FILE, N; empty for a switch
  std::string_view help;
  std::string_view fallback;                 // its default as --help shows it; empty for none
  std::span<const std::string_view> choices; // the few names it takes (--help, completions)
  Field field;
  PerScenario per_scenario = PerScenario::nothing;

  constexpr bool is_switch() const noexcept {
    return std::holds_alternative<bool RawOptions::*>(field);
  }
};

// Every option, in the order --help lists them.
std::span<const OptionSpec> option_table() noexcept;

// An option given on the command line, put where it goes: a switch is set,
// a value (even an empty one) kept as given.
void give(const OptionSpec& spec, const std::string& value, RawOptions& raw, Requests& requests);

} // namespace asyncdemo::cli
