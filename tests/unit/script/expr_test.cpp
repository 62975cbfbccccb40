// The scenario files' expressions: Python's values, arithmetic, printing and
// random numbers, as CPython 3.11 gives them (each expected text was printed
// by python3), and their Python source for the twin.
#include "asyncdemo/script/expr.hpp"
#include "asyncdemo/script/random.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace asyncdemo;

namespace {

// Evaluates text with `x` = 2/3 and `n` = 42 as globals, seeded random.
std::string py(const std::string& text, Random* rng = nullptr) {
  ExprError error;
  auto e = parse_expr(text, error);
  REQUIRE_MESSAGE(e, error.message);
  const Resolver find = [](const std::string& name) -> std::optional<NameRef> {
    if (name == "x") return NameRef{NameRef::Scope::global, 0};
    if (name == "n") return NameRef{NameRef::Scope::global, 1};
    return std::nullopt;
  };
  int slots = 0;
  const auto new_slot = [&](const std::string&) { return NameRef{NameRef::Scope::local, slots++}; };
  REQUIRE(resolve(*e, find, new_slot, error));
  std::vector<Object> globals{Object(2.0 / 3.0), Object(42)};
  std::vector<Object> locals(8);
  EvalEnv env;
  env.globals = &globals;
  env.locals = locals.data();
  env.n_locals = locals.size();
  env.rng = rng;
  return eval(*e, env).repr();
}

std::string fstring(const std::string& text) {
  ExprError error;
  auto f = parse_fstring(text, error);
  REQUIRE_MESSAGE(f, error.message);
  const Resolver find = [](const std::string& name) -> std::optional<NameRef> {
    if (name == "x") return NameRef{NameRef::Scope::global, 0};
    if (name == "n") return NameRef{NameRef::Scope::global, 1};
    return std::nullopt;
  };
  const auto no_slot = [](const std::string&) { return NameRef{}; };
  for (auto& p : f->pieces)
    if (p.expr) REQUIRE(resolve(*p.expr, find, no_slot, error));
  std::vector<Object> globals{Object(2.0 / 3.0), Object(42)};
  std::vector<Object> locals;
  EvalEnv env;
  env.globals = &globals;
  env.locals = locals.data();
  env.n_locals = locals.size();
  return eval(*f, env);
}

std::string error_of(const std::string& text) {
  try {
    py(text);
  } catch (const ScriptError& e) {
    return e.what();
  }
  return "(no error)";
}

} // namespace

TEST_CASE("floats print as Python's repr prints them") {
  CHECK(py_float_repr(0.1) == "0.1");
  CHECK(py_float_repr(1.0) == "1.0");
  CHECK(py_float_repr(1e16) == "1e+16");
  CHECK(py_float_repr(1e15) == "1000000000000000.0");
  CHECK(py_float_repr(1e-05) == "1e-05");
  CHECK(py_float_repr(0.0001) == "0.0001");
  CHECK(py_float_repr(123456789.0) == "123456789.0");
  CHECK(py_float_repr(-0.0) == "-0.0");
  CHECK(py_float_repr(1.0 / 3) == "0.3333333333333333");
  CHECK(py_float_repr(2.5e-310) == "2.5e-310");
  CHECK(py_float_repr(1e22) == "1e+22");
  CHECK(py_float_repr(12345678901234567.0) == "1.2345678901234568e+16");
}

TEST_CASE("arithmetic follows Python: true division, floor division, modulo") {
  CHECK(py("7 / 2") == "3.5");
  CHECK(py("-7 // 2") == "-4");
  CHECK(py("-7 % 3") == "2");
  CHECK(py("7 % -3") == "-2");
  CHECK(py("2 ** 10") == "1024");
  CHECK(py("2 ** -1") == "0.5");
  CHECK(py("0.1 + 0.2") == "0.30000000000000004");
  CHECK(py("-7.5 // 2") == "-4.0");
  CHECK(py("7.5 % -2") == "-0.5");
  CHECK(py("'ab' * 3") == "'ababab'");
  CHECK(py("[1] + [2.0]") == "[1, 2.0]");
  CHECK(py("1 if n > 40 else 2") == "1");
  CHECK(py("n == 42.0 and not x > 1") == "True");
  CHECK(py("0 or 'default'") == "'default'");
  CHECK(py("[i * i for i in range(4)]") == "[0, 1, 4, 9]");
  CHECK(py("'ABC'[1]") == "'B'");
  CHECK(py("[1, 2, 3][-1]") == "3");
}

TEST_CASE("str and repr print as Python prints them") {
  CHECK(py("str(['a', 1, 2.0, None, True])") == "\"['a', 1, 2.0, None, True]\"");
  CHECK(py("\"it's\"") == "\"it's\"");
  CHECK(py("'say \"hi\"'") == "'say \"hi\"'");
  CHECK(py("str(1e16)") == "'1e+16'");
  CHECK(py("int(-3.7)") == "-3");
  CHECK(py("len('h\xc3\xa9llo')") == "5");
  CHECK(py("min([3, 1, 2])") == "1");
  CHECK(py("max(1, 5, 2)") == "5");
  CHECK(py("sum([1, 2.5])") == "3.5");
  CHECK(py("round(2.5)") == "2");
  CHECK(py("round(3.5)") == "4");
  CHECK(py("round(0.125, 2)") == "0.12");
  CHECK(py("round(2.675, 2)") == "2.67");
}

TEST_CASE("f-strings format as Python's format() does") {
  CHECK(fstring("{x:.3f}|{n:>4}|{x:%}|{n:d}|{x:.2}|{'ab':>5}|{x!r}") ==
        "0.667|  42|66.666667%|42|0.67|   ab|0.6666666666666666");
  CHECK(fstring("{0.5:.0f}|{1.5:.0f}|{2.5:.0f}") == "0|2|2");
  CHECK(fstring("braces: {{ and }}") == "braces: { and }");
  CHECK(fstring("{n} and {x}") == "42 and 0.6666666666666666");
}

TEST_CASE("random numbers are the ones Python draws after random.seed") {
  Random rng(7); // python3: random.seed(7); randint(1, 10), uniform(0.5, 2), choice(...), random()
  CHECK(py("random.randint(1, 10)", &rng) == "6");
  CHECK(py("random.uniform(0.5, 2)", &rng) == "1.9217980409135949");
  CHECK(py("random.choice(['a', 'b', 'c'])", &rng) == "'b'");
  CHECK(py("random.random()", &rng) == "0.6509344730398537");
}

TEST_CASE("errors are Python's") {
  CHECK(error_of("1 / 0") == "ZeroDivisionError: division by zero");
  CHECK(error_of("1.0 / 0") == "ZeroDivisionError: float division by zero");
  CHECK(error_of("1 // 0") == "ZeroDivisionError: integer division or modulo by zero");
  CHECK(error_of("[1][5]") == "IndexError: list index out of range");
  CHECK(error_of("'a' + 1") == "TypeError: unsupported operand type(s) for +: 'str' and 'int'");
  CHECK(error_of("'a' < 1") == "TypeError: '<' not supported between instances of 'str' and 'int'");
  CHECK(error_of("int('x')") == "ValueError: invalid literal for int() with base 10: 'x'");
  CHECK(error_of("2 ** 70").find("OverflowError") == 0);
}

TEST_CASE("syntax errors say where, and nesting is bounded") {
  ExprError error;
  CHECK_FALSE(parse_expr("1 +", error));
  CHECK(error.message == "the expression ends too soon");
  CHECK(error.offset == 3);
  CHECK_FALSE(parse_expr("import", error));
  CHECK(error.message.find("Python keyword") != std::string::npos);
  CHECK_FALSE(parse_expr(std::string(100, '(') + "1" + std::string(100, ')'), error));
  CHECK(error.message.find("deeper than") != std::string::npos);
  CHECK_FALSE(parse_fstring("{", error).has_value());
  CHECK_FALSE(parse_fstring("}", error).has_value());
  CHECK_FALSE(parse_expr("1 < 2 < 3", error)); // chained: not this language's
}

TEST_CASE("expressions are written back as Python, with the parentheses they need") {
  const auto python = [](const std::string& text) {
    ExprError error;
    auto e = parse_expr(text, error);
    REQUIRE(e);
    return to_python(*e);
  };
  CHECK(python("(a + b) * c") == "(a + b) * c");
  CHECK(python("a + (b * c)") == "a + b * c");
  CHECK(python("a - (b - c)") == "a - (b - c)");
  CHECK(python("2 ** -x") == "2 ** -x");
  CHECK(python("(2 ** 3) ** 2") == "(2 ** 3) ** 2");
  CHECK(python("x if y else z") == "x if y else z");
  CHECK(python("[i for i in range(3)]") == "[i for i in range(3)]");
  CHECK(python("\"text\"") == "'text'");
  CHECK(python("(a + b) * 2") == "(a + b) * 2");
  ExprError error;
  auto f = parse_fstring("{x:.1f} s and {'q'}", error);
  REQUIRE(f);
  CHECK(to_python(*f) == "f\"{x:.1f} s and {'q'}\"");
  auto g = parse_fstring("{\"it's\"}", error);
  REQUIRE(g);
  // Both quotes in the field: the triple quotes hold it (Python 3.11 reads it).
  CHECK(to_python(*g) == "f\"\"\"{\"it's\"}\"\"\"");
  auto plain = parse_fstring("no {{placeholders}}", error);
  REQUIRE(plain);
  CHECK(to_python(*plain) == "\"no {placeholders}\"");
}
