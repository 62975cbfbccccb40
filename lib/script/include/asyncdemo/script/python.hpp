#pragma once
// A Python program read into the program tree (ast.hpp, expr.hpp): the
// subset of Python 3.11 that asyncdemo runs (docs/python-programs.md).
// Whatever the source holds, the answer is the tree or one line saying what
// is wrong and where; nothing in it can exhaust the stack, the memory or the
// time (docs/python-programs.md, "Limits").
#include "asyncdemo/script/ast.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <variant>

namespace asyncdemo::script {

// A program larger than this is refused before it is read (as a scenario file).
inline constexpr std::size_t max_program_bytes = 1 << 20;
// Blocks nest at most this deep in the tree: an elif is an if inside the else
// of the if before it (indentation itself nests at most 100 deep, as CPython's).
inline constexpr int max_block_depth = 200;

// Why a program cannot be read: `message` is the whole line,
// "FILE:LINE:COLUMN: what" (the file's name escaped as a message shows it);
// `line` and `column` (1-based, in characters) are where; `what` is the
// message alone.
struct ParseError {
  std::string message;
  int line = 0;
  int column = 0;
  std::string what;
};

// `source` as a program: every statement and expression with its line and
// column. A syntax error is CPython's words where CPython has them ("invalid
// syntax", "expected ':'", "unexpected indent", "'(' was never closed", ...);
// what Python has and the subset does not is "asyncdemo runs a subset of
// Python: `class` is not in it; see docs/python-programs.md".
std::variant<Block, ParseError> parse_python(std::string_view source, const std::string& file);

} // namespace asyncdemo::script
