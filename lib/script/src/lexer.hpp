#pragma once
// The expressions' tokens (private to the language): numbers, strings,
// names and operators, each with its offset for messages.
#include "asyncdemo/script/expr.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace asyncdemo {

struct Token {
  enum class Kind { end, number, string, name, op } kind = Kind::end;
  std::string text;
  Object value; // number and string
  int offset = 0;
};

// Every token of `text`, ending with an `end` token; nothing, with `error`
// set, when a character is not Python's.
std::optional<std::vector<Token>> tokenize(std::string_view text, ExprError& error);

} // namespace asyncdemo
