#pragma once
// Expressions of the scenario files: a small subset of Python, read by both
// interpreters. The run evaluates them (expr.cpp); the Python twin writes
// them back as Python (to_python), so that both compute the same values.
//
//   literals    5  0.25  'text'  "text"  True  False  None  [1, 2]
//   names       parameters, variables, index, item, result, results
//   operators   + - * / // % **  == != < <= > >=  and or not  x if c else y
//   calls       str int float len round abs min max sum range now()
//               random.random() random.randint(a, b) random.uniform(a, b)
//               random.choice(xs)
//   others      xs[i]   [e for n in xs]
//
// Text with placeholders is an f-string: "{name} waits {delay:.1f} s".
#include "asyncdemo/script/object.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace asyncdemo {

class Random;

// Where a name lives once resolved: a parameter (the run's globals) or a
// slot of the body it is used in (a job's, a coroutine's, main's locals).
struct NameRef {
  enum class Scope : std::uint8_t { global, local };
  Scope scope = Scope::local;
  int slot = -1;
};

struct FString;

struct Expr {
  enum class Kind : std::uint8_t {
    literal,
    name,
    unary,         // op: "-", "+", "not"
    binary,        // op: "+", "-", "*", "/", "//", "%", "**"
    compare,       // op: "==", "!=", "<", "<=", ">", ">="
    logic,         // op: "and", "or"
    cond,          // args: then, condition, else
    call,          // name: the function; args
    index,         // args: the list, the index
    list,          // args: the items
    comprehension, // args: the item, the iterable (and a condition); name: the variable
    // What the Python writer's trees hold besides (ast.hpp); not evaluated.
    attribute, // args: the object; name: the attribute
    keyword,   // a call's argument name=value: name; args: the value
    starred,   // a call's argument *value: args
    await_,    // args: what is awaited
    tuple,     // args: the items
    fstring,   // fstring: the text with its placeholders
  };
  // A call's function, found once when parsed (a swarm calls a million times).
  enum class Fn : std::uint8_t {
    none,
    str,
    bool_,
    int_,
    float_,
    len,
    abs,
    round,
    min,
    max,
    sum,
    range,
    now,
    random,
    randint,
    uniform,
    choice
  };
  Kind kind = Kind::literal;
  Fn fn = Fn::none;
  Object literal;
  std::string name; // a name, a function, a comprehension's variable
  std::string op;
  NameRef ref; // name and comprehension: where the variable lives
  std::vector<std::unique_ptr<Expr>> args;
  std::unique_ptr<Expr> callee;     // a call of an expression (asyncio.sleep), not a builtin
  std::unique_ptr<FString> fstring; // Kind::fstring
  int offset = 0;                   // in the source text, for messages
};
using ExprPtr = std::unique_ptr<Expr>;

// A syntax or name error, at an offset into the text.
struct ExprError {
  std::string message;
  int offset = 0;
};

// Nesting deeper than this is refused (no input may exhaust the stack).
inline constexpr int max_expr_depth = 32;
// A tree at most this deep, chains of one operator included (1+1+...+1 is as
// deep as it has terms): every pass over it recurses that deep, no deeper.
inline constexpr int max_expr_height = 100;

// Parses a whole expression; nothing, with `error` set, if it is not one.
ExprPtr parse_expr(std::string_view text, ExprError& error);

// Text with {placeholders}: literal pieces and expressions with a format
// spec and conversion ("{delay:.1f}", "{name!r}"); "{{" and "}}" are braces.
struct FString {
  struct Piece {
    std::string text; // a literal piece (when expr is null)
    ExprPtr expr;
    std::string spec;    // after ':'
    char conversion = 0; // 'r', 's' or 0
    int offset = 0;      // of the expression in the text
  };
  std::vector<Piece> pieces;
};
std::optional<FString> parse_fstring(std::string_view text, ExprError& error);

// Resolves every name of an expression: the resolver returns where the name
// lives, or nothing (then `error` names it). The comprehension variables get
// slots from `new_slot`.
using Resolver = std::function<std::optional<NameRef>(const std::string& name)>;
bool resolve(Expr& e, const Resolver& resolver,
             const std::function<NameRef(const std::string&)>& new_slot, ExprError& error);

// What evaluation reads: globals, the body's slots, the random numbers and
// the time (Python's now()).
struct EvalEnv {
  const std::vector<Object>* globals = nullptr;
  Object* locals = nullptr; // the body's slots (no copy: evaluation is on a hot path)
  std::size_t n_locals = 0;
  Random* rng = nullptr;
  double (*now)(const void* context) = nullptr;
  const void* now_context = nullptr; // what now is called with
};

// A Python error raised while evaluating ("ZeroDivisionError: division by
// zero"); the task that evaluates fails with it, as it would in Python.
class ScriptError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

Object eval(const Expr& e, EvalEnv& env);
std::string eval(const FString& f, EvalEnv& env);

// The expression as Python source, and the f-string as a Python literal
// (f"..."), for the Python twin.
std::string to_python(const Expr& e);
// In parentheses unless it binds at least as tightly as `min_precedence`
// (Python's levels: 1 conditional ... 7 multiplication ... 11 an atom).
std::string to_python(const Expr& e, int min_precedence);
std::string to_python(const FString& f);

} // namespace asyncdemo
