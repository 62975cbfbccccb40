// The evaluator of the expressions: Python's semantics for the subset.
#include "asyncdemo/script/expr.hpp"

#include "asyncdemo/script/random.hpp"

#include "values.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace asyncdemo {

namespace {

// ---------------------------------------------------------------------------
// Evaluation: Python's semantics for the subset.

[[noreturn]] void type_error(std::string_view op, const Object& a, const Object& b) {
  raise(fmt::format("TypeError: unsupported operand type(s) for {}: '{}' and '{}'", op,
                    a.type_name(), b.type_name()));
}

std::int64_t checked(long double v) {
  if (v > static_cast<long double>(std::numeric_limits<std::int64_t>::max()) ||
      v < static_cast<long double>(std::numeric_limits<std::int64_t>::min()))
    raise("OverflowError: the result does not fit in 64 bits (this language's ints are 64-bit)");
  return static_cast<std::int64_t>(v);
}

Object arithmetic(const std::string& op, Object a, Object b) {
  if (op == "+" && a.kind() == Object::Kind::text && b.kind() == Object::Kind::text)
    return Object(a.text() + b.text());
  if (op == "+" && a.kind() == Object::Kind::list && b.kind() == Object::Kind::list) {
    List out = a.list();
    out.insert(out.end(), b.list().begin(), b.list().end());
    return Object(std::move(out));
  }
  if (op == "*" && (a.kind() == Object::Kind::text || a.kind() == Object::Kind::list) &&
      b.kind() == Object::Kind::integer)
    std::swap(a, b);
  if (op == "*" && a.kind() == Object::Kind::integer &&
      (b.kind() == Object::Kind::text || b.kind() == Object::Kind::list)) {
    const auto n = std::max<std::int64_t>(0, a.integer());
    if (n > 1'000'000) raise("MemoryError: the repetition is too long");
    if (b.kind() == Object::Kind::text) {
      std::string out;
      for (std::int64_t i = 0; i < n; ++i)
        out += b.text();
      return Object(std::move(out));
    }
    List out;
    for (std::int64_t i = 0; i < n; ++i)
      out.insert(out.end(), b.list().begin(), b.list().end());
    return Object(std::move(out));
  }
  if (!numeric(a) || !numeric(b)) type_error(op, a, b);
  a = as_number(a);
  b = as_number(b);
  const bool ints = a.kind() == Object::Kind::integer && b.kind() == Object::Kind::integer;
  if (ints && op != "/") {
    const auto x = a.integer(), y = b.integer();
    if (op == "+") return Object(checked(static_cast<long double>(x) + y));
    if (op == "-") return Object(checked(static_cast<long double>(x) - y));
    if (op == "*") return Object(checked(static_cast<long double>(x) * y));
    if (op == "//" || op == "%") {
      if (y == 0) raise("ZeroDivisionError: integer division or modulo by zero");
      auto q = x / y, r = x % y;
      if (r != 0 && ((r < 0) != (y < 0))) { // Python floors
        --q;
        r += y;
      }
      return Object(op == "//" ? q : r);
    }
    if (op == "**") {
      if (y < 0) return Object(std::pow(static_cast<double>(x), static_cast<double>(y)));
      long double r = 1;
      for (std::int64_t i = 0; i < y; ++i) {
        r *= x;
        checked(r);
      }
      return Object(checked(r));
    }
  }
  const double x = a.number(), y = b.number();
  if (op == "+") return Object(x + y);
  if (op == "-") return Object(x - y);
  if (op == "*") return Object(x * y);
  if (op == "/") {
    if (y == 0)
      raise(ints ? "ZeroDivisionError: division by zero"
                 : "ZeroDivisionError: float division by zero");
    return Object(x / y);
  }
  if (op == "//") {
    if (y == 0) raise("ZeroDivisionError: float floor division by zero");
    return Object(std::floor(x / y));
  }
  if (op == "%") {
    if (y == 0) raise("ZeroDivisionError: float modulo");
    double r = std::fmod(x, y);
    if (r != 0 && ((r < 0) != (y < 0))) r += y;
    return Object(r);
  }
  if (op == "**") return Object(std::pow(x, y));
  raise("SyntaxError: unknown operator " + op);
}

int compare_values(const Object& a, const Object& b, const std::string& op) {
  if (numeric(a) && numeric(b)) {
    const auto x = as_number(a), y = as_number(b);
    if (x.kind() == Object::Kind::integer && y.kind() == Object::Kind::integer)
      return x.integer() < y.integer() ? -1 : x.integer() > y.integer() ? 1 : 0;
    return x.number() < y.number() ? -1 : x.number() > y.number() ? 1 : 0;
  }
  if (a.kind() == Object::Kind::text && b.kind() == Object::Kind::text)
    return a.text() < b.text() ? -1 : a.text() > b.text() ? 1 : 0;
  raise(fmt::format("TypeError: '{}' not supported between instances of '{}' and '{}'", op,
                    a.type_name(), b.type_name()));
}

// The code points of UTF-8 text, each as a str.
List characters(const std::string& s) {
  List out;
  for (std::size_t i = 0; i < s.size();) {
    std::size_t n = 1;
    while (i + n < s.size() && (static_cast<unsigned char>(s[i + n]) & 0xC0) == 0x80)
      ++n;
    out.emplace_back(s.substr(i, n));
    i += n;
  }
  return out;
}

List iterable(const Object& v) {
  if (v.kind() == Object::Kind::list) return v.list();
  if (v.kind() == Object::Kind::text) return characters(v.text());
  raise(fmt::format("TypeError: '{}' object is not iterable", v.type_name()));
}

std::int64_t whole(const Object& v, std::string_view what) {
  if (v.kind() == Object::Kind::integer) return v.integer();
  if (v.kind() == Object::Kind::boolean) return v.boolean();
  raise(fmt::format("TypeError: {} must be an int, not '{}'", what, v.type_name()));
}

double round_half_even(double x) {
  const double r = std::round(x);
  if (std::fabs(x - std::trunc(x)) == 0.5 && std::fmod(r, 2.0) != 0)
    return r - std::copysign(1.0, x);
  return r;
}

Object call_function(const Expr& e, EvalEnv& env) {
  std::vector<Object> a;
  for (const auto& arg : e.args)
    a.push_back(eval(*arg, env));
  const auto& f = e.name;
  auto arity = [&](std::size_t lo, std::size_t hi) {
    if (a.size() < lo || a.size() > hi)
      raise(fmt::format("TypeError: {}() takes {} argument{} ({} given)", f,
                        lo == hi ? std::to_string(lo) : fmt::format("{} to {}", lo, hi),
                        hi == 1 ? "" : "s", a.size()));
  };
  auto rng = [&]() -> Random& {
    if (!env.rng) raise("RuntimeError: no random numbers here");
    return *env.rng;
  };
  if (f == "str") {
    arity(0, 1);
    return Object(a.empty() ? std::string() : a[0].str());
  }
  if (f == "bool") {
    arity(0, 1);
    return Object(!a.empty() && a[0].truthy());
  }
  if (f == "int") {
    arity(1, 1);
    if (a[0].kind() == Object::Kind::real) {
      if (!std::isfinite(a[0].real())) raise("ValueError: cannot convert float to integer");
      return Object(checked(std::trunc(a[0].real())));
    }
    if (a[0].kind() == Object::Kind::text) {
      std::int64_t i = 0;
      const auto& s = a[0].text();
      const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), i);
      if (ec != std::errc() || p != s.data() + s.size())
        raise(fmt::format("ValueError: invalid literal for int() with base 10: {}", a[0].repr()));
      return Object(i);
    }
    return Object(whole(a[0], "int() argument"));
  }
  if (f == "float") {
    arity(1, 1);
    if (numeric(a[0])) return Object(as_number(a[0]).number());
    if (a[0].kind() == Object::Kind::text) {
      double d = 0;
      const auto& s = a[0].text();
      const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
      if (ec != std::errc() || p != s.data() + s.size())
        raise(fmt::format("ValueError: could not convert string to float: {}", a[0].repr()));
      return Object(d);
    }
    raise(fmt::format("TypeError: float() argument must be a string or a number, not '{}'",
                      a[0].type_name()));
  }
  if (f == "len") {
    arity(1, 1);
    return Object(static_cast<std::int64_t>(iterable(a[0]).size()));
  }
  if (f == "abs") {
    arity(1, 1);
    const auto v = as_number(a[0]);
    if (v.kind() == Object::Kind::integer)
      return Object(checked(std::fabs((long double)v.integer())));
    if (v.kind() == Object::Kind::real) return Object(std::fabs(v.real()));
    raise(fmt::format("TypeError: bad operand type for abs(): '{}'", a[0].type_name()));
  }
  if (f == "round") {
    arity(1, 2);
    if (!numeric(a[0]))
      raise(fmt::format("TypeError: type {} doesn't define __round__ method", a[0].type_name()));
    const auto v = as_number(a[0]);
    if (a.size() == 1) {
      if (v.kind() == Object::Kind::integer) return v;
      return Object(checked(round_half_even(v.real())));
    }
    const auto n = whole(a[1], "ndigits");
    if (v.kind() == Object::Kind::integer) return v;
    // Python rounds the exact binary value, half to even: as printf does.
    const auto text = fmt::format("{:.{}f}", v.real(), std::clamp<std::int64_t>(n, 0, 300));
    return Object(std::stod(text));
  }
  if (f == "min" || f == "max" || f == "sum") {
    const List items = a.size() == 1 ? iterable(a[0]) : List(a.begin(), a.end());
    if (f == "sum") {
      Object total(static_cast<std::int64_t>(0));
      for (const auto& v : items)
        total = arithmetic("+", total, v);
      return total;
    }
    if (items.empty()) raise(fmt::format("ValueError: {}() arg is an empty sequence", f));
    Object best = items.front();
    for (const auto& v : items) {
      const int c = compare_values(v, best, f == "min" ? "<" : ">");
      if ((f == "min" && c < 0) || (f == "max" && c > 0)) best = v;
    }
    return best;
  }
  if (f == "range") {
    arity(1, 3);
    std::int64_t start = 0, stop = 0, step = 1;
    if (a.size() == 1) {
      stop = whole(a[0], "range()");
    } else {
      start = whole(a[0], "range()");
      stop = whole(a[1], "range()");
      if (a.size() == 3) step = whole(a[2], "range()");
    }
    if (step == 0) raise("ValueError: range() arg 3 must not be zero");
    List out;
    for (auto i = start; step > 0 ? i < stop : i > stop; i += step) {
      if (out.size() >= 1'000'000) raise("MemoryError: range() of more than a million");
      out.emplace_back(i);
    }
    return Object(std::move(out));
  }
  if (f == "now") {
    arity(0, 0);
    if (!env.now) raise("RuntimeError: now() outside a run");
    return Object(env.now(env.now_context));
  }
  if (f == "random.random") {
    arity(0, 0);
    return Object(rng().random());
  }
  if (f == "random.uniform") {
    arity(2, 2);
    if (!numeric(a[0]) || !numeric(a[1])) raise("TypeError: random.uniform() takes two numbers");
    return Object(rng().uniform(as_number(a[0]).number(), as_number(a[1]).number()));
  }
  if (f == "random.randint") {
    arity(2, 2);
    const auto lo = whole(a[0], "randint()"), hi = whole(a[1], "randint()");
    if (hi < lo)
      raise(fmt::format("ValueError: empty range for randrange() ({}, {}, {})", lo, hi + 1,
                        hi + 1 - lo));
    if (static_cast<std::uint64_t>(hi - lo) >= (std::uint64_t{1} << 32) - 1)
      raise("ValueError: randint draws ranges below 2**32 here");
    return Object(static_cast<std::int64_t>(rng().randint(lo, hi)));
  }
  if (f == "random.choice") {
    arity(1, 1);
    const auto items = iterable(a[0]);
    if (items.empty()) raise("IndexError: Cannot choose from an empty sequence");
    return items[rng().randbelow(items.size())];
  }
  raise("NameError: no function " + f);
}

} // namespace

namespace {

// A literal's or a name's value where it lies, or null for any other
// expression: most operands are one of these, and need no copy.
const Object* in_place(const Expr& e, const EvalEnv& env) {
  if (e.kind == Expr::Kind::literal) return &e.literal;
  if (e.kind != Expr::Kind::name) return nullptr;
  const auto slot = static_cast<std::size_t>(e.ref.slot);
  if (e.ref.scope == NameRef::Scope::global) return &env.globals->at(slot);
  if (slot >= env.n_locals) raise("NameError: name '" + e.name + "' is not defined");
  return &env.locals[slot];
}

} // namespace

Object eval(const Expr& e, EvalEnv& env) {
  switch (e.kind) {
  case Expr::Kind::literal:
    return e.literal;
  case Expr::Kind::name: {
    const auto slot = static_cast<std::size_t>(e.ref.slot);
    if (e.ref.scope == NameRef::Scope::global) return env.globals->at(slot);
    if (slot >= env.n_locals) raise("NameError: name '" + e.name + "' is not defined");
    return env.locals[slot];
  }
  case Expr::Kind::unary: {
    const auto v = eval(*e.args[0], env);
    if (e.op == "not") return Object(!v.truthy());
    if (!numeric(v))
      raise(fmt::format("TypeError: bad operand type for unary {}: '{}'", e.op, v.type_name()));
    const auto n = as_number(v);
    if (e.op == "+") return n;
    if (n.kind() == Object::Kind::integer)
      return Object(checked(-static_cast<long double>(n.integer())));
    return Object(-n.real());
  }
  case Expr::Kind::binary: {
    Object left, right;
    const Object* a = in_place(*e.args[0], env);
    if (!a) a = &(left = eval(*e.args[0], env));
    const Object* b = in_place(*e.args[1], env);
    if (!b) b = &(right = eval(*e.args[1], env));
    // Two floats (a swarm's random.random() * max_sleep, a million times).
    if (a->kind() == Object::Kind::real && b->kind() == Object::Kind::real && e.op.size() == 1) {
      if (e.op[0] == '*') return Object(a->real() * b->real());
      if (e.op[0] == '+') return Object(a->real() + b->real());
      if (e.op[0] == '-') return Object(a->real() - b->real());
    }
    return arithmetic(e.op, *a, *b);
  }
  case Expr::Kind::compare: {
    const auto a = eval(*e.args[0], env), b = eval(*e.args[1], env);
    if (e.op == "==") return Object(a == b);
    if (e.op == "!=") return Object(!(a == b));
    const int c = compare_values(a, b, e.op);
    if (e.op == "<") return Object(c < 0);
    if (e.op == "<=") return Object(c <= 0);
    if (e.op == ">") return Object(c > 0);
    return Object(c >= 0);
  }
  case Expr::Kind::logic: {
    auto a = eval(*e.args[0], env);
    if (e.op == "and" ? !a.truthy() : a.truthy()) return a;
    return eval(*e.args[1], env);
  }
  case Expr::Kind::cond:
    return eval(*e.args[1], env).truthy() ? eval(*e.args[0], env) : eval(*e.args[2], env);
  case Expr::Kind::call:
    // The calls a swarm makes per task, without building an argument list.
    if (e.fn == Expr::Fn::random && e.args.empty() && env.rng) return Object(env.rng->random());
    if (e.fn == Expr::Fn::now && e.args.empty() && env.now) return Object(env.now(env.now_context));
    return call_function(e, env);
  case Expr::Kind::index: {
    const auto seq = eval(*e.args[0], env);
    const auto items = iterable(seq);
    const auto i = whole(eval(*e.args[1], env), "indices");
    const auto n = static_cast<std::int64_t>(items.size());
    const auto at = i < 0 ? i + n : i;
    if (at < 0 || at >= n)
      raise(fmt::format("IndexError: {} index out of range",
                        seq.kind() == Object::Kind::text ? "string" : "list"));
    return items[static_cast<std::size_t>(at)];
  }
  case Expr::Kind::list: {
    List out;
    for (const auto& a : e.args)
      out.push_back(eval(*a, env));
    return Object(std::move(out));
  }
  case Expr::Kind::comprehension: {
    List out;
    for (const auto& item : iterable(eval(*e.args[1], env))) {
      const auto slot = static_cast<std::size_t>(e.ref.slot);
      if (slot >= env.n_locals) raise("NameError: name '" + e.name + "' is not defined");
      env.locals[slot] = item;
      out.push_back(eval(*e.args[0], env));
    }
    return Object(std::move(out));
  }
  case Expr::Kind::attribute:
  case Expr::Kind::keyword:
  case Expr::Kind::starred:
  case Expr::Kind::await_:
  case Expr::Kind::tuple:
  case Expr::Kind::fstring:
    break; // the Python writer's trees only: a file's expressions have none
  }
  throw std::logic_error("script: an expression the evaluator does not take");
}

std::string eval(const FString& f, EvalEnv& env) {
  std::string out;
  for (const auto& p : f.pieces) {
    if (!p.expr) {
      out += p.text;
      continue;
    }
    const auto v = eval(*p.expr, env);
    const Object shown = p.conversion == 'r'   ? Object(v.repr())
                         : p.conversion == 's' ? Object(v.str())
                                               : v;
    out += format_value(shown, p.spec);
  }
  return out;
}

} // namespace asyncdemo
