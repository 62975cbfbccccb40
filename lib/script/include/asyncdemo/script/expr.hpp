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
#include "asyncdemo/errors.hpp"
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
// (A Python program's names may also be in a cell of the function's own,
// shared with an inner one; in a cell of an outer function's, through the
// closure; or one of the builtins.)
struct NameRef {
  enum class Scope : std::uint8_t { global, local, cell, free, builtin };
  Scope scope = Scope::local;
  int slot = -1;
};

struct FString;
struct Expr;

// One `for target in iter if cond...` of a comprehension (Python programs).
struct ForClause {
  std::unique_ptr<Expr> target;
  std::unique_ptr<Expr> iter;
  std::vector<std::unique_ptr<Expr>> ifs;
};

// A parameter of a def or a lambda (Python programs).
struct Parameter {
  enum class Kind : std::uint8_t { positional, var_positional, keyword_only, var_keyword };
  std::string name;
  Kind kind = Kind::positional;
  std::unique_ptr<Expr> default_value; // or null
  int line = 0, column = 0;
  std::unique_ptr<Expr> annotation; // def f(x: int): kept, not checked (or null)
};

// An expression. The scenario files' expressions use the first kinds
// (literal ... comprehension); a Python program's use them all.
struct Expr {
  enum class Kind : std::uint8_t {
    literal,
    name,
    unary,   // op: "-", "+", "not", "~"
    binary,  // op: "+", "-", "*", "/", "//", "%", "**", "<<", ">>", "&", "|", "^", "@"
    compare, // op (two operands) or ops (a chain, args.size() - 1 of them):
             // "==", "!=", "<", "<=", ">", ">=", "in", "not in", "is", "is not"
    logic,   // op: "and", "or"; args: two or more
    cond,    // args: then, condition, else
    call,    // a builtin by name (name, fn), or callee(args); args may hold keyword and starred
    index,   // args: the object, the index (a slice for obj[a:b])
    list,    // args: the items (starred among them)
    comprehension, // a file's: args: the item, the iterable (and a condition); name: the variable
    attribute,     // args: the object; name: the attribute
    keyword,       // a call's argument name=value: name; args: the value ("**x": name empty)
    starred,       // *value: args
    await_,        // args: what is awaited
    tuple,         // args: the items
    fstring,       // fstring: the text with its placeholders
    // Python programs only.
    set,       // args: the items
    dict,      // args: key, value, key, value, ...
    slice,     // args: lower, upper, step (each may be null)
    lambda,    // params; args: the body
    list_comp, // args: the item; clauses
    set_comp,  // args: the item; clauses
    dict_comp, // args: key, value; clauses
    generator, // args: the item; clauses
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
  std::vector<std::string> ops; // a comparison chain's operators
  NameRef ref;                  // name and comprehension: where the variable lives
  std::vector<std::unique_ptr<Expr>> args;
  std::unique_ptr<Expr> callee;     // a call of an expression (asyncio.sleep), not a builtin
  std::unique_ptr<FString> fstring; // Kind::fstring
  std::vector<ForClause> clauses;   // comprehensions and generators (Python programs)
  std::vector<Parameter> params;    // lambda
  int offset = 0;                   // in the source text (a file's expression), for messages
  int line = 0, column = 0;         // in a Python program (1-based; column in characters)

  Expr() = default;
  // Frees its subtree by a loop, not by recursion (ast.cpp): a tree as deep
  // as a refused input (1+1+...+1, a megabyte of it) is dropped without
  // exhausting the stack.
  ~Expr();
  Expr(Expr&&) noexcept = default;
  Expr& operator=(Expr&&) noexcept = default;
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
    char conversion = 0; // 'r', 's', 'a' or 0
    int offset = 0;      // of the expression in the text
    // A Python program's spec may hold fields itself (f"{x:>{width}}"): then
    // this, not `spec`, is the spec.
    std::unique_ptr<FString> spec_fields;
    // f"{x=}": the expression's text, then the value (its repr by default).
    std::string self_documenting;
    // The spaces after its '=', shown too: f"{x = }" shows "x = " (Python
    // programs).
    std::string self_documenting_tail;
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
namespace py {
class Vm;
struct Frame;
} // namespace py

struct EvalEnv {
  const std::vector<Object>* globals = nullptr;
  Object* locals = nullptr; // the body's slots (no copy: evaluation is on a hot path)
  std::size_t n_locals = 0;
  Random* rng = nullptr;
  double (*now)(const void* context) = nullptr;
  const void* now_context = nullptr; // what now is called with
  // A Python program's: its machine (calls, attributes, the builtins) and
  // the frame whose cells and closure the names read.
  py::Vm* vm = nullptr;
  py::Frame* frame = nullptr;
};

// A Python error raised while evaluating ("ZeroDivisionError: division by
// zero"); the task that evaluates fails with it, as it would in Python.
class ScriptError : public std::runtime_error, public RaisedAt {
public:
  using std::runtime_error::runtime_error;
};

Object eval(const Expr& e, EvalEnv& env);
std::string eval(const FString& f, EvalEnv& env);

// The expression as Python source, and the f-string as a Python literal
// (f"..."), for the Python twin.
std::string to_python(const Expr& e);
std::string to_python(const FString& f);
// A def's or a lambda's parameters as Python writes them: a, b=1, *args, c.
std::string parameters_python(const std::vector<Parameter>& params);

} // namespace asyncdemo
