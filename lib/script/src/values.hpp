#pragma once
// What evaluation and formatting share (private to the language): raising a
// Python error, and numbers as arithmetic sees them (a bool is an int).
#include "asyncdemo/script/expr.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace asyncdemo {

[[noreturn]] inline void raise(const std::string& message) {
  throw ScriptError(message);
}

inline bool numeric(const Object& v) {
  return v.is_number() || v.kind() == Object::Kind::boolean;
}
inline Object as_number(const Object& v) {
  if (v.kind() == Object::Kind::boolean) return Object(static_cast<std::int64_t>(v.boolean()));
  return v;
}

// The evaluator's operations (evaluator.cpp), for the Python evaluation too:
// a binary operator (+, -, ..., on numbers, strs and lists), an order
// comparison (-1, 0, 1; 2: unordered), the i-th character of a text.
Object binary_op(const std::string& op, const Object& a, const Object& b);
int compare_order(const Object& a, const Object& b, const std::string& op);
Object text_at(const std::string& text, std::int64_t i);
// A Python program's expression (python/eval.cpp).
Object eval_python(const Expr& e, EvalEnv& env);

// Python's format(value, spec) (format.cpp).
std::string format_value(const Object& v, const std::string& spec);
// What is wrong with a spec's form whatever value it formats ("Format
// specifier missing precision"), or nothing.
std::optional<std::string> spec_syntax_error(std::string_view spec);

} // namespace asyncdemo
