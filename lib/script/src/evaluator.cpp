// The evaluator of the expressions: Python's semantics for the subset.
#include "asyncdemo/script/expr.hpp"

#include "asyncdemo/script/random.hpp"

#include "numbers.hpp"
#include "values.hpp"

#include "asyncdemo/script/wide.hpp"

#include "asyncdemo/script/limits.hpp"

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

// Sizes are checked before anything of that size is made (limits.hpp).
std::string count_text(u128 n) {
  std::string out;
  do {
    out.insert(out.begin(), static_cast<char>('0' + static_cast<int>(n % 10)));
    n /= 10;
  } while (n != 0);
  return out;
}
void check_str(u128 bytes) {
  if (bytes > script::max_str_bytes)
    raise(fmt::format("MemoryError: the string would be {} bytes; a string holds at most {} bytes "
                      "here",
                      count_text(bytes), script::max_str_bytes));
}
void check_list(u128 items) {
  if (items > script::max_list_len)
    raise(fmt::format("MemoryError: the list would have {} items; a list holds at most {} items "
                      "here",
                      count_text(items), script::max_list_len));
}

// n copies of something `each` long: how long, checked before it is made.
std::size_t times(std::int64_t n, std::size_t each, bool text) {
  if (n <= 0 || each == 0) return 0;
  const auto total = static_cast<u128>(n) * each;
  if (text)
    check_str(total);
  else
    check_list(total);
  return static_cast<std::size_t>(total);
}

Object arithmetic(const std::string& op, Object a, Object b) {
  using K = Object::Kind;
  if (op == "+" && a.kind() == K::text && b.kind() == K::text) {
    check_str(a.text().size() + b.text().size());
    return Object(a.text() + b.text());
  }
  if (op == "+" && a.kind() == K::list && b.kind() == K::list) {
    check_list(a.list().size() + b.list().size());
    List out = a.list();
    out.insert(out.end(), b.list().begin(), b.list().end());
    return Object(std::move(out));
  }
  // A sequence repeated: int (or bool) times str or list, either way round.
  const auto sequence = [](const Object& v) { return v.kind() == K::text || v.kind() == K::list; };
  const auto count = [](const Object& v) {
    return v.kind() == K::integer || v.kind() == K::boolean;
  };
  if (op == "*" && sequence(a) && count(b)) std::swap(a, b);
  if (op == "*" && count(a) && sequence(b)) {
    const auto n = as_number(a).integer();
    if (b.kind() == K::text) {
      const auto& t = b.text();
      std::string out;
      out.reserve(times(n, t.size(), true));
      for (std::int64_t i = 0; i < n && !t.empty(); ++i)
        out += t;
      return Object(std::move(out));
    }
    const auto& l = b.list();
    List out;
    out.reserve(times(n, l.size(), false));
    for (std::int64_t i = 0; i < n && !l.empty(); ++i)
      out.insert(out.end(), l.begin(), l.end());
    return Object(std::move(out));
  }
  if (!numeric(a) || !numeric(b)) type_error(op, a, b);
  a = as_number(a);
  b = as_number(b);
  if (op == "**") return num::power(a, b);
  const bool ints = a.kind() == K::integer && b.kind() == K::integer;
  if (ints) {
    const auto x = a.integer(), y = b.integer();
    if (op == "+") return Object(num::add(x, y));
    if (op == "-") return Object(num::sub(x, y));
    if (op == "*") return Object(num::mul(x, y));
    if (op == "//") return Object(num::floordiv(x, y));
    if (op == "%") return Object(num::mod(x, y));
    if (op == "/") return Object(num::true_divide(x, y));
  }
  const double x = a.number(), y = b.number();
  if (op == "+") return Object(x + y);
  if (op == "-") return Object(x - y);
  if (op == "*") return Object(x * y);
  if (op == "/") return Object(num::div(x, y));
  if (op == "//") return Object(num::floordiv(x, y));
  if (op == "%") return Object(num::mod(x, y));
  raise("SyntaxError: unknown operator " + op);
}

int compare_values(const Object& a, const Object& b, const std::string& op) {
  if (numeric(a) && numeric(b)) {
    const auto x = as_number(a), y = as_number(b);
    int c = 0;
    if (x.kind() == Object::Kind::integer && y.kind() == Object::Kind::integer)
      c = x.integer() < y.integer() ? -1 : x.integer() > y.integer() ? 1 : 0;
    else if (x.kind() == Object::Kind::integer)
      c = num::compare(x.integer(), y.real());
    else if (y.kind() == Object::Kind::integer) {
      c = num::compare(y.integer(), x.real());
      c = c == 2 ? 2 : -c;
    } else if (std::isnan(x.real()) || std::isnan(y.real()))
      c = 2;
    else
      c = x.real() < y.real() ? -1 : x.real() > y.real() ? 1 : 0;
    return c;
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

// text[i]: the i-th character (from the end when negative), found without
// copying the text.
Object character_at(const std::string& text, std::int64_t i) {
  auto starts = [&](std::size_t at) {
    return (static_cast<unsigned char>(text[at]) & 0xC0) != 0x80;
  };
  std::size_t chars = 0;
  for (std::size_t k = 0; k < text.size(); ++k)
    chars += starts(k);
  const auto n = static_cast<std::int64_t>(chars);
  const auto want = i < 0 ? i + n : i;
  if (want < 0 || want >= n) raise("IndexError: string index out of range");
  std::int64_t seen = -1;
  for (std::size_t k = 0; k < text.size(); ++k) {
    if (!starts(k)) continue;
    if (++seen == want) {
      std::size_t len = 1;
      while (k + len < text.size() && !starts(k + len))
        ++len;
      return Object(text.substr(k, len));
    }
  }
  raise("IndexError: string index out of range");
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
    if (a[0].kind() == Object::Kind::real) return Object(num::to_int(a[0].real()));
    if (a[0].kind() == Object::Kind::text) {
      const auto i = num::parse_int(a[0].text());
      if (!i)
        raise(fmt::format("ValueError: invalid literal for int() with base 10: {}", a[0].repr()));
      return Object(*i);
    }
    if (a[0].kind() == Object::Kind::integer || a[0].kind() == Object::Kind::boolean)
      return Object(whole(a[0], "int() argument"));
    raise(fmt::format("TypeError: int() argument must be a string, a bytes-like object or a real "
                      "number, not '{}'",
                      a[0].type_name()));
  }
  if (f == "float") {
    arity(1, 1);
    if (numeric(a[0])) return Object(as_number(a[0]).number());
    if (a[0].kind() == Object::Kind::text) {
      const auto d = num::parse_float(a[0].text());
      if (!d) raise(fmt::format("ValueError: could not convert string to float: {}", a[0].repr()));
      return Object(*d);
    }
    raise(fmt::format("TypeError: float() argument must be a string or a real number, not '{}'",
                      a[0].type_name()));
  }
  if (f == "len") {
    arity(1, 1);
    return Object(static_cast<std::int64_t>(iterable(a[0]).size()));
  }
  if (f == "abs") {
    arity(1, 1);
    const auto v = as_number(a[0]);
    if (v.kind() == Object::Kind::integer) return Object(num::abs(v.integer()));
    if (v.kind() == Object::Kind::real) return Object(std::fabs(v.real()));
    raise(fmt::format("TypeError: bad operand type for abs(): '{}'", a[0].type_name()));
  }
  if (f == "round") {
    arity(1, 2);
    if (!numeric(a[0]))
      raise(fmt::format("TypeError: type {} doesn't define __round__ method", a[0].type_name()));
    std::optional<std::int64_t> n;
    if (a.size() == 2 && a[1].kind() != Object::Kind::none) {
      if (a[1].kind() != Object::Kind::integer && a[1].kind() != Object::Kind::boolean)
        raise(fmt::format("TypeError: '{}' object cannot be interpreted as an integer",
                          a[1].type_name()));
      n = whole(a[1], "ndigits");
    }
    return num::round(a[0], n);
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
    auto bound = [&](const Object& v) {
      if (v.kind() != Object::Kind::integer && v.kind() != Object::Kind::boolean)
        raise(fmt::format("TypeError: '{}' object cannot be interpreted as an integer",
                          v.type_name()));
      return whole(v, "range()");
    };
    std::int64_t start = 0, stop = 0, step = 1;
    if (a.size() == 1) {
      stop = bound(a[0]);
    } else {
      start = bound(a[0]);
      stop = bound(a[1]);
      if (a.size() == 3) step = bound(a[2]);
    }
    if (step == 0) raise("ValueError: range() arg 3 must not be zero");
    // How many, in 128 bits (no step can overflow), checked before the list is made.
    const i128 span = step > 0 ? static_cast<i128>(stop) - start : static_cast<i128>(start) - stop;
    const i128 by = step > 0 ? step : -static_cast<i128>(step);
    const auto n = span <= 0 ? i128{0} : (span + by - 1) / by;
    check_list(static_cast<u128>(n));
    List out;
    out.reserve(static_cast<std::size_t>(n));
    for (i128 k = 0, i = start; k < n; ++k, i += step)
      out.emplace_back(static_cast<std::int64_t>(i));
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
      raise(fmt::format("ValueError: empty range for randrange() ({}, {}, {})", lo, num::add(hi, 1),
                        num::sub(num::add(hi, 1), lo)));
    return Object(rng().randint(lo, hi));
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

Object binary_op(const std::string& op, const Object& a, const Object& b) {
  return arithmetic(op, a, b);
}
int compare_order(const Object& a, const Object& b, const std::string& op) {
  return compare_values(a, b, op);
}
Object text_at(const std::string& text, std::int64_t i) {
  return character_at(text, i);
}

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
  if (env.vm) return eval_python(e, env); // a Python program's: its own kinds and names
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
    if (n.kind() == Object::Kind::integer) return Object(num::neg(n.integer()));
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
    if (c == 2) return Object(false); // nan: unordered
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
    const auto i = whole(eval(*e.args[1], env), "indices");
    if (seq.kind() == Object::Kind::text) return character_at(seq.text(), i);
    if (seq.kind() != Object::Kind::list)
      raise(fmt::format("TypeError: '{}' object is not subscriptable", seq.type_name()));
    const auto& items = seq.list();
    const auto n = static_cast<std::int64_t>(items.size());
    const auto at = i < 0 ? i + n : i;
    if (at < 0 || at >= n) raise("IndexError: list index out of range");
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
  case Expr::Kind::set:
  case Expr::Kind::dict:
  case Expr::Kind::slice:
  case Expr::Kind::lambda:
  case Expr::Kind::list_comp:
  case Expr::Kind::set_comp:
  case Expr::Kind::dict_comp:
  case Expr::Kind::generator:
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
