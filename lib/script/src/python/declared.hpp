#pragma once
// What a Python program says about itself for asyncdemo
// (docs/python-programs.md, "Catalogue entries and parameters"): the fields
// of its docstring (summary:, origin:, narration:) and its parameters,
// module-level constants whose line ends in a comment naming an option:
//
//   CANCEL = False  # --cancel: Cancel the task while the worker sleeps
//   INTERVAL = 0.3  # --interval SECONDS (0, 10]: Seconds between the numbers
//   VARIANT = "await"  # --variant no-await|await|sleep|cancel: What main does
//   MODE = "create_task"  # --mode create_task|gather: The composition main uses
//   SEED = 2024  # --seed: What random.seed is given
//
// The program stays the Python it is (CPython runs it with the defaults);
// a run with --cancel runs it with `CANCEL = True` written in that place.
#include "asyncdemo/script/ast.hpp"
#include "asyncdemo/script/program.hpp"
#include "asyncdemo/teach/scenario.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace asyncdemo::script::declared {

// A constant the command line sets.
struct Constant {
  enum class Type : std::uint8_t { flag, text, integer, number, integers, numbers };
  std::string name; // CANCEL
  Type type = Type::flag;
  std::size_t begin = 0, end = 0; // its value's bytes in the text
  Param param;
  bool seconds = false; // SECONDS: its messages say seconds
  bool mode = false;    // MODE: set from --mode, not a parameter of its own
  bool seed = false;    // SEED: set from --seed (asyncdemo's own), for random.seed(SEED)
  std::vector<Mode> modes;
  // "for --variant=no-await": the option it is for, and its values (none:
  // a switch that must be on).
  std::string for_option;
  std::vector<std::string> for_values;
};

// A narration, shown when each of its conditions holds.
struct Narration {
  std::vector<std::pair<std::string, std::vector<std::string>>> when; // option, values
  std::string text;
};

struct Declared {
  std::string summary;
  std::string origin;
  // "mode: create_task": the program's own mode, as its author names it (it
  // runs only as written); none: as main's composition reads.
  std::optional<Mode> mode;
  std::vector<Constant> constants;
  std::vector<Narration> narrations;

  const Constant* mode_constant() const;
  // The program's text with the constants set from `ctx` (its mode, its
  // parameters).
  std::string text_for(const std::string& text, const Context& ctx) const;
  // The narration of a run, or "".
  std::string narration(const Context& ctx) const;
  // What the options given together cannot do ("" when fine): a parameter
  // given for another's value that is not chosen.
  std::string check(Mode mode, const Params& params) const;
};

// Reads what `program` (the tree of `text`) declares; a malformed
// declaration is refused, FILE:LINE:COLUMN.
std::variant<Declared, LoadError> read(const std::string& text, const Block& program,
                                       const std::string& file);

} // namespace asyncdemo::script::declared
