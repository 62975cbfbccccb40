#pragma once
// A Python program's tree made into Code (code.hpp): its names resolved
// (Python's scopes: locals, cells shared with inner functions, globals,
// builtins), what is outside the subset refused where it is written, each
// function compiled to operations.
#include "code.hpp"

#include <memory>
#include <string>
#include <variant>
#include <vector>

namespace asyncdemo::py {

struct Compiled {
  script::Block tree; // the program as parsed: the operations point into it
  std::string file, source;
  std::shared_ptr<const Code> module;
  std::vector<std::shared_ptr<const Code>> codes; // by Op::index
  std::vector<std::string> globals;               // the module's names, by slot
  std::vector<std::shared_ptr<Code>> owned;       // every code (the module's last)
};

// One line: FILE:LINE:COLUMN: what is wrong (and, for what is not in the
// subset, where it is documented).
struct CompileError {
  std::string message;
};

std::variant<std::shared_ptr<const Compiled>, CompileError>
compile(script::Block tree, std::string file, std::string source);

// The builtins by name (the compiler resolves a name to one; vm.cpp makes
// them), and the ones a program may not use.
int builtin_index(std::string_view name);
bool builtin_refused(std::string_view name);
// A module the program may import, and the names it may use of it.
bool module_allowed(std::string_view module);
bool module_attribute_allowed(std::string_view module, std::string_view name);

} // namespace asyncdemo::py
