#pragma once
// The Python front end's parser (private): tokens (python_lexer.hpp) to the
// program tree, by recursive descent over Python 3.11's grammar for the
// subset. parse_python (asyncdemo/script/python.hpp) is its public face.
#include "python_lexer.hpp"

#include "asyncdemo/script/ast.hpp"

#include <string_view>

namespace asyncdemo::python {

// Recursion past this many levels of nesting (brackets, unary operators,
// lambdas, conditionals, f-strings) is refused before the stack grows further.
inline constexpr int max_nesting = 250;

// The program in `source` (valid UTF-8, no NUL byte: parse_python checks);
// throws SyntaxFailure.
script::Block parse_program(std::string_view source);

} // namespace asyncdemo::python
