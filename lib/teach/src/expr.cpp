#include "asyncdemo/teach/expr.hpp"

#include "asyncdemo/teach/python.hpp"
#include "asyncdemo/teach/random.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <limits>

namespace asyncdemo {

namespace {

// ---------------------------------------------------------------------------
// Tokens

struct Token {
  enum class Kind { end, number, string, name, op } kind = Kind::end;
  std::string text;
  Object value; // number and string
  int offset = 0;
};

bool is_name_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool is_name_char(char c) {
  return is_name_start(c) || (c >= '0' && c <= '9');
}

class Lexer {
public:
  explicit Lexer(std::string_view text) : text_(text) {}

  // Every token, or nothing with `error` set.
  std::optional<std::vector<Token>> tokens(ExprError& error) {
    std::vector<Token> out;
    for (;;) {
      while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t'))
        ++pos_;
      if (pos_ >= text_.size()) {
        out.push_back(Token{Token::Kind::end, "", {}, static_cast<int>(pos_)});
        return out;
      }
      auto t = next(error);
      if (!t) return std::nullopt;
      out.push_back(std::move(*t));
    }
  }

private:
  std::optional<Token> next(ExprError& error) {
    const int at = static_cast<int>(pos_);
    const char c = text_[pos_];
    if ((c >= '0' && c <= '9') ||
        (c == '.' && pos_ + 1 < text_.size() && text_[pos_ + 1] >= '0' && text_[pos_ + 1] <= '9'))
      return number(error);
    if (c == '\'' || c == '"') return string(error);
    if (is_name_start(c)) {
      const auto start = pos_;
      while (pos_ < text_.size() && is_name_char(text_[pos_]))
        ++pos_;
      return Token{Token::Kind::name, std::string(text_.substr(start, pos_ - start)), {}, at};
    }
    static constexpr std::array<std::string_view, 10> two{
        "**", "//", "==", "!=", "<=", ">=", "->", ":=", "<<", ">>"};
    for (auto op : two)
      if (text_.substr(pos_, 2) == op) {
        if (op == "->" || op == ":=" || op == "<<" || op == ">>") break;
        pos_ += 2;
        return Token{Token::Kind::op, std::string(op), {}, at};
      }
    if (std::string_view("+-*/%<>()[],.").find(c) != std::string_view::npos) {
      ++pos_;
      return Token{Token::Kind::op, std::string(1, c), {}, at};
    }
    error = {fmt::format("'{}' is not part of an expression", c), at};
    return std::nullopt;
  }

  std::optional<Token> number(ExprError& error) {
    const int at = static_cast<int>(pos_);
    const auto start = pos_;
    bool real = false;
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c >= '0' && c <= '9') {
        ++pos_;
      } else if (c == '.' || c == 'e' || c == 'E') {
        real = true;
        ++pos_;
        if ((c == 'e' || c == 'E') && pos_ < text_.size() &&
            (text_[pos_] == '+' || text_[pos_] == '-'))
          ++pos_;
      } else if (c == '_') {
        ++pos_;
      } else {
        break;
      }
    }
    std::string digits;
    for (char c : text_.substr(start, pos_ - start))
      if (c != '_') digits += c;
    if (real) {
      double d = 0;
      const auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), d);
      if (ec != std::errc() || p != digits.data() + digits.size() || !std::isfinite(d)) {
        error = {fmt::format("'{}' is not a number", digits), at};
        return std::nullopt;
      }
      return Token{Token::Kind::number, digits, Object(d), at};
    }
    std::int64_t i = 0;
    const auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), i);
    if (ec != std::errc() || p != digits.data() + digits.size()) {
      error = {fmt::format("'{}' is not a whole number that fits in 64 bits", digits), at};
      return std::nullopt;
    }
    return Token{Token::Kind::number, digits, Object(i), at};
  }

  std::optional<Token> string(ExprError& error) {
    const int at = static_cast<int>(pos_);
    const char quote = text_[pos_++];
    std::string out;
    while (pos_ < text_.size() && text_[pos_] != quote) {
      char c = text_[pos_++];
      if (c == '\\' && pos_ < text_.size()) {
        const char e = text_[pos_++];
        switch (e) {
        case 'n':
          c = '\n';
          break;
        case 't':
          c = '\t';
          break;
        case '\\':
        case '\'':
        case '"':
          c = e;
          break;
        default:
          error = {fmt::format("'\\{}' is not an escape this language knows; use \\n, \\t, \\\\, "
                               "\\' or \\\"",
                               e),
                   static_cast<int>(pos_) - 2};
          return std::nullopt;
        }
      }
      out += c;
    }
    if (pos_ >= text_.size()) {
      error = {"this string is not closed", at};
      return std::nullopt;
    }
    ++pos_;
    return Token{Token::Kind::string,
                 std::string(text_.substr(static_cast<std::size_t>(at),
                                          pos_ - static_cast<std::size_t>(at))),
                 Object(std::move(out)), at};
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

// ---------------------------------------------------------------------------
// Parser: Python's grammar for the subset, by precedence climbing.

constexpr std::array<std::string_view, 35> python_keywords{
    "False", "None",     "True",  "and",    "as",   "assert", "async",  "await",    "break",
    "class", "continue", "def",   "del",    "elif", "else",   "except", "finally",  "for",
    "from",  "global",   "if",    "import", "in",   "is",     "lambda", "nonlocal", "not",
    "or",    "pass",     "raise", "return", "try",  "while",  "with",   "yield"};

bool is_keyword(std::string_view s) {
  return std::find(python_keywords.begin(), python_keywords.end(), s) != python_keywords.end();
}

constexpr std::array<std::string_view, 12> builtins{
    "str", "int", "float", "len", "round", "abs", "min", "max", "sum", "range", "now", "bool"};
constexpr std::array<std::string_view, 4> random_functions{"random", "randint", "uniform",
                                                           "choice"};

class Parser {
public:
  explicit Parser(std::vector<Token> tokens) : t_(std::move(tokens)) {}

  ExprPtr parse(ExprError& error) {
    try {
      auto e = expression();
      if (peek().kind != Token::Kind::end) fail(fmt::format("unexpected '{}'", peek().text));
      return e;
    } catch (const ExprError& e) {
      error = e;
      return nullptr;
    }
  }

private:
  const Token& peek() const { return t_[i_]; }
  bool is_op(std::string_view op) const {
    return peek().kind == Token::Kind::op && peek().text == op;
  }
  bool is_word(std::string_view w) const {
    return peek().kind == Token::Kind::name && peek().text == w;
  }
  Token take() { return t_[i_++]; }
  [[noreturn]] void fail(std::string message) const {
    throw ExprError{std::move(message), peek().offset};
  }
  void expect(std::string_view op) {
    if (!is_op(op)) fail(fmt::format("'{}' expected", op));
    ++i_;
  }

  struct Depth {
    int& d;
    explicit Depth(int& depth, const Parser& p) : d(depth) {
      if (++d > max_expr_depth)
        p.fail(fmt::format("the expression nests deeper than {} levels", max_expr_depth));
    }
    ~Depth() { --d; }
  };

  static ExprPtr node(Expr::Kind k, int offset) {
    auto e = std::make_unique<Expr>();
    e->kind = k;
    e->offset = offset;
    return e;
  }

  ExprPtr expression() {
    const Depth depth(depth_, *this);
    auto then = disjunction();
    if (!is_word("if")) return then;
    const int at = take().offset;
    auto condition = disjunction();
    if (!is_word("else")) fail("'else' expected: a conditional is X if CONDITION else Y");
    ++i_;
    auto otherwise = expression();
    auto e = node(Expr::Kind::cond, at);
    e->args.push_back(std::move(then));
    e->args.push_back(std::move(condition));
    e->args.push_back(std::move(otherwise));
    return e;
  }

  ExprPtr disjunction() {
    auto left = conjunction();
    while (is_word("or")) {
      const int at = take().offset;
      auto e = node(Expr::Kind::logic, at);
      e->op = "or";
      e->args.push_back(std::move(left));
      e->args.push_back(conjunction());
      left = std::move(e);
    }
    return left;
  }

  ExprPtr conjunction() {
    auto left = inversion();
    while (is_word("and")) {
      const int at = take().offset;
      auto e = node(Expr::Kind::logic, at);
      e->op = "and";
      e->args.push_back(std::move(left));
      e->args.push_back(inversion());
      left = std::move(e);
    }
    return left;
  }

  ExprPtr inversion() {
    if (!is_word("not")) return comparison();
    const Depth depth(depth_, *this);
    const int at = take().offset;
    auto e = node(Expr::Kind::unary, at);
    e->op = "not";
    e->args.push_back(inversion());
    return e;
  }

  ExprPtr comparison() {
    auto left = sum();
    for (auto op : {"==", "!=", "<=", ">=", "<", ">"})
      if (is_op(op)) {
        const int at = take().offset;
        auto e = node(Expr::Kind::compare, at);
        e->op = op;
        e->args.push_back(std::move(left));
        e->args.push_back(sum());
        for (auto again : {"==", "!=", "<=", ">=", "<", ">"})
          if (is_op(again)) fail("chained comparisons are not supported; use 'and'");
        return e;
      }
    return left;
  }

  ExprPtr sum() {
    auto left = term();
    while (is_op("+") || is_op("-")) {
      const auto op = take();
      auto e = node(Expr::Kind::binary, op.offset);
      e->op = op.text;
      e->args.push_back(std::move(left));
      e->args.push_back(term());
      left = std::move(e);
    }
    return left;
  }

  ExprPtr term() {
    auto left = factor();
    while (is_op("*") || is_op("/") || is_op("//") || is_op("%")) {
      const auto op = take();
      auto e = node(Expr::Kind::binary, op.offset);
      e->op = op.text;
      e->args.push_back(std::move(left));
      e->args.push_back(factor());
      left = std::move(e);
    }
    return left;
  }

  ExprPtr factor() {
    if (is_op("-") || is_op("+")) {
      const Depth depth(depth_, *this);
      const auto op = take();
      auto e = node(Expr::Kind::unary, op.offset);
      e->op = op.text;
      e->args.push_back(factor());
      return e;
    }
    return power();
  }

  ExprPtr power() {
    auto base = postfix();
    if (!is_op("**")) return base;
    const Depth depth(depth_, *this);
    const int at = take().offset;
    auto e = node(Expr::Kind::binary, at);
    e->op = "**";
    e->args.push_back(std::move(base));
    e->args.push_back(factor());
    return e;
  }

  ExprPtr postfix() {
    auto e = atom();
    for (;;) {
      if (is_op("[")) {
        const int at = take().offset;
        auto index = node(Expr::Kind::index, at);
        index->args.push_back(std::move(e));
        index->args.push_back(expression());
        expect("]");
        e = std::move(index);
      } else if (is_op("(")) {
        fail("only functions can be called: str(x), random.randint(1, 10), ...");
      } else {
        return e;
      }
    }
  }

  ExprPtr call(std::string function, int at) {
    auto e = node(Expr::Kind::call, at);
    static const std::array<std::pair<std::string_view, Expr::Fn>, 16> functions{{
        {"str", Expr::Fn::str},
        {"bool", Expr::Fn::bool_},
        {"int", Expr::Fn::int_},
        {"float", Expr::Fn::float_},
        {"len", Expr::Fn::len},
        {"abs", Expr::Fn::abs},
        {"round", Expr::Fn::round},
        {"min", Expr::Fn::min},
        {"max", Expr::Fn::max},
        {"sum", Expr::Fn::sum},
        {"range", Expr::Fn::range},
        {"now", Expr::Fn::now},
        {"random.random", Expr::Fn::random},
        {"random.randint", Expr::Fn::randint},
        {"random.uniform", Expr::Fn::uniform},
        {"random.choice", Expr::Fn::choice},
    }};
    for (const auto& [name, fn] : functions)
      if (name == function) e->fn = fn;
    e->name = std::move(function);
    expect("(");
    while (!is_op(")")) {
      e->args.push_back(expression());
      if (!is_op(",")) break;
      ++i_;
    }
    expect(")");
    return e;
  }

  ExprPtr atom() {
    const Depth depth(depth_, *this);
    const Token& t = peek();
    switch (t.kind) {
    case Token::Kind::number:
    case Token::Kind::string: {
      auto e = node(Expr::Kind::literal, t.offset);
      e->literal = take().value;
      return e;
    }
    case Token::Kind::name:
      return named();
    case Token::Kind::op:
      if (is_op("(")) {
        ++i_;
        auto e = expression();
        expect(")");
        return e;
      }
      if (is_op("[")) return list();
      break;
    case Token::Kind::end:
      fail("the expression ends too soon");
    }
    fail(fmt::format("unexpected '{}'", t.text));
  }

  ExprPtr named() {
    const Token t = take();
    if (t.text == "True" || t.text == "False" || t.text == "None") {
      auto e = node(Expr::Kind::literal, t.offset);
      if (t.text != "None") e->literal = Object(t.text == "True");
      return e;
    }
    if (t.text == "random" && is_op(".")) {
      ++i_;
      if (peek().kind != Token::Kind::name ||
          std::find(random_functions.begin(), random_functions.end(), peek().text) ==
              random_functions.end())
        fail("random offers random(), randint(a, b), uniform(a, b) and choice(xs)");
      const auto f = take().text;
      if (!is_op("(")) fail(fmt::format("random.{} is a function: random.{}(...)", f, f));
      return call("random." + f, t.offset);
    }
    if (is_keyword(t.text))
      throw ExprError{fmt::format("'{}' is a Python keyword this language does not use", t.text),
                      t.offset};
    if (is_op("(")) {
      if (std::find(builtins.begin(), builtins.end(), t.text) == builtins.end())
        throw ExprError{fmt::format("'{}' is not a function this language knows; use one of "
                                    "str, int, float, bool, len, round, abs, min, max, sum, "
                                    "range, now, random.*",
                                    t.text),
                        t.offset};
      return call(t.text, t.offset);
    }
    auto e = node(Expr::Kind::name, t.offset);
    e->name = t.text;
    return e;
  }

  ExprPtr list() {
    const int at = take().offset;
    auto e = node(Expr::Kind::list, at);
    if (is_op("]")) {
      ++i_;
      return e;
    }
    auto first = expression();
    if (is_word("for")) {
      ++i_;
      if (peek().kind != Token::Kind::name || is_keyword(peek().text))
        fail("a comprehension is [ITEM for NAME in LIST]");
      auto c = node(Expr::Kind::comprehension, at);
      c->name = take().text;
      if (!is_word("in")) fail("'in' expected: a comprehension is [ITEM for NAME in LIST]");
      ++i_;
      c->args.push_back(std::move(first));
      c->args.push_back(disjunction());
      expect("]");
      return c;
    }
    e->args.push_back(std::move(first));
    while (is_op(",")) {
      ++i_;
      if (is_op("]")) break;
      e->args.push_back(expression());
    }
    expect("]");
    return e;
  }

  std::vector<Token> t_;
  std::size_t i_ = 0;
  int depth_ = 0;
};

// ---------------------------------------------------------------------------
// Evaluation: Python's semantics for the subset.

[[noreturn]] void raise(const std::string& message) {
  throw ScriptError(message);
}

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

bool numeric(const Object& v) {
  return v.is_number() || v.kind() == Object::Kind::boolean;
}
Object as_number(const Object& v) {
  if (v.kind() == Object::Kind::boolean) return Object(static_cast<std::int64_t>(v.boolean()));
  return v;
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

// ---------------------------------------------------------------------------
// Python source: minimal parentheses, by precedence.

int precedence(const Expr& e) {
  switch (e.kind) {
  case Expr::Kind::cond:
    return 1;
  case Expr::Kind::logic:
    return e.op == "or" ? 2 : 3;
  case Expr::Kind::unary:
    return e.op == "not" ? 4 : 8;
  case Expr::Kind::compare:
    return 5;
  case Expr::Kind::binary:
    if (e.op == "+" || e.op == "-") return 6;
    if (e.op == "**") return 9;
    return 7;
  case Expr::Kind::call:
  case Expr::Kind::index:
    return 10;
  default:
    return 11;
  }
}

std::string python(const Expr& e, int min_prec) {
  std::string out;
  switch (e.kind) {
  case Expr::Kind::literal:
    out = e.literal.repr();
    break;
  case Expr::Kind::name:
    out = e.name;
    break;
  case Expr::Kind::unary:
    out = e.op == "not" ? "not " + python(*e.args[0], 4) : e.op + python(*e.args[0], 8);
    break;
  case Expr::Kind::binary: {
    const int p = precedence(e);
    const bool right_assoc = e.op == "**";
    out = python(*e.args[0], right_assoc ? p + 1 : p) + " " + e.op + " " +
          python(*e.args[1], right_assoc ? 8 : p + 1);
    break;
  }
  case Expr::Kind::compare:
    out = python(*e.args[0], 6) + " " + e.op + " " + python(*e.args[1], 6);
    break;
  case Expr::Kind::logic: {
    const int p = precedence(e);
    out = python(*e.args[0], p) + " " + e.op + " " + python(*e.args[1], p + 1);
    break;
  }
  case Expr::Kind::cond:
    out = python(*e.args[0], 2) + " if " + python(*e.args[1], 2) + " else " + python(*e.args[2], 1);
    break;
  case Expr::Kind::call: {
    out = e.name + "(";
    for (std::size_t i = 0; i < e.args.size(); ++i)
      out += (i ? ", " : "") + python(*e.args[i], 1);
    out += ")";
    break;
  }
  case Expr::Kind::index:
    out = python(*e.args[0], 10) + "[" + python(*e.args[1], 1) + "]";
    break;
  case Expr::Kind::list: {
    out = "[";
    for (std::size_t i = 0; i < e.args.size(); ++i)
      out += (i ? ", " : "") + python(*e.args[i], 1);
    out += "]";
    break;
  }
  case Expr::Kind::comprehension:
    out = "[" + python(*e.args[0], 1) + " for " + e.name + " in " + python(*e.args[1], 2) + "]";
    break;
  }
  return precedence(e) < min_prec ? "(" + out + ")" : out;
}

// Python's format(value, spec), for the specs f-strings commonly use:
// [[fill]align][sign][0][width][.precision][type], type one of
// d f F e E g G % s.
std::string format_value(const Object& v, const std::string& spec) {
  if (spec.empty()) return v.str();
  char type = spec.back();
  const bool typed = std::string_view("dfFeEgGs%").find(type) != std::string_view::npos;
  std::string head = typed ? spec.substr(0, spec.size() - 1) : spec;
  if (!typed) type = 0;
  try {
    if (type == '%') {
      if (!numeric(v))
        raise("ValueError: Unknown format code '%' for object of type '" +
              std::string(v.type_name()) + "'");
      return fmt::format(fmt::runtime("{:" + head + "f}"), as_number(v).number() * 100) + "%";
    }
    if (type == 'd') {
      if (v.kind() != Object::Kind::integer && v.kind() != Object::Kind::boolean)
        raise(fmt::format("ValueError: Unknown format code 'd' for object of type '{}'",
                          v.type_name()));
      return fmt::format(fmt::runtime("{:" + spec + "}"), as_number(v).integer());
    }
    if (type && type != 's') {
      if (!numeric(v))
        raise(fmt::format("ValueError: Unknown format code '{}' for object of type '{}'", type,
                          v.type_name()));
      return fmt::format(fmt::runtime("{:" + spec + "}"), as_number(v).number());
    }
    if (v.kind() == Object::Kind::integer && !type)
      return fmt::format(fmt::runtime("{:" + spec + "}"), v.integer());
    if (v.kind() == Object::Kind::real && !type) {
      // Python's format(x, ".2") is general; with no precision it is str(x).
      if (head.find('.') == std::string::npos)
        return fmt::format(fmt::runtime("{:" + head + "}"), v.str());
      return fmt::format(fmt::runtime("{:" + spec + "g}"), v.real());
    }
    return fmt::format(fmt::runtime("{:" + head + "}"), v.str());
  } catch (const fmt::format_error&) {
    raise(fmt::format("ValueError: Invalid format specifier '{}' for object of type '{}'", spec,
                      v.type_name()));
  }
}

// Literal text inside a Python f"..." string.
std::string fstring_literal(std::string_view text) {
  std::string out;
  for (const unsigned char c : text) {
    if (c == '{' || c == '}')
      out += std::string(2, static_cast<char>(c));
    else if (c == '\\' || c == '"')
      out += fmt::format("\\{}", static_cast<char>(c));
    else if (c == '\n')
      out += "\\n";
    else if (c == '\t')
      out += "\\t";
    else if (c < 0x20 || c == 0x7f)
      out += fmt::format("\\x{:02x}", c);
    else
      out += static_cast<char>(c);
  }
  return out;
}

} // namespace

ExprPtr parse_expr(std::string_view text, ExprError& error) {
  auto tokens = Lexer(text).tokens(error);
  if (!tokens) return nullptr;
  return Parser(std::move(*tokens)).parse(error);
}

std::optional<FString> parse_fstring(std::string_view text, ExprError& error) {
  FString f;
  std::string literal;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '}') {
      if (i + 1 < text.size() && text[i + 1] == '}') {
        literal += '}';
        ++i;
        continue;
      }
      error = {"a single '}' is not allowed; write '}}' for a brace", static_cast<int>(i)};
      return std::nullopt;
    }
    if (c != '{') {
      literal += c;
      continue;
    }
    if (i + 1 < text.size() && text[i + 1] == '{') {
      literal += '{';
      ++i;
      continue;
    }
    // A placeholder: up to its closing brace, outside strings and brackets.
    const auto start = i + 1;
    std::size_t end = start, colon = std::string::npos, bang = std::string::npos;
    int nesting = 0;
    char quote = 0;
    for (; end < text.size(); ++end) {
      const char d = text[end];
      if (quote) {
        if (d == '\\')
          ++end;
        else if (d == quote)
          quote = 0;
        continue;
      }
      if (d == '\'' || d == '"')
        quote = d;
      else if (d == '(' || d == '[')
        ++nesting;
      else if (d == ')' || d == ']')
        --nesting;
      else if (nesting == 0 && d == '}')
        break;
      else if (nesting == 0 && d == ':' && colon == std::string::npos)
        colon = end;
      else if (nesting == 0 && d == '!' && colon == std::string::npos &&
               (end + 1 >= text.size() || text[end + 1] != '='))
        bang = end;
      else if (d == '{' && colon == std::string::npos) {
        error = {"a placeholder cannot hold another '{'", static_cast<int>(end)};
        return std::nullopt;
      }
    }
    if (end >= text.size()) {
      error = {"this '{' is not closed; write '{{' for a brace", static_cast<int>(i)};
      return std::nullopt;
    }
    const auto expr_end = std::min({end, colon, bang});
    FString::Piece piece;
    piece.offset = static_cast<int>(start);
    if (bang != std::string::npos) {
      const auto conv =
          text.substr(bang + 1, (colon == std::string::npos ? end : colon) - bang - 1);
      if (conv != "r" && conv != "s") {
        error = {"a conversion is !r or !s", static_cast<int>(bang)};
        return std::nullopt;
      }
      piece.conversion = conv[0];
    }
    if (colon != std::string::npos)
      piece.spec = std::string(text.substr(colon + 1, end - colon - 1));
    ExprError inner;
    piece.expr = parse_expr(text.substr(start, expr_end - start), inner);
    if (!piece.expr) {
      error = {inner.message, static_cast<int>(start) + inner.offset};
      return std::nullopt;
    }
    if (!literal.empty()) {
      FString::Piece lit;
      lit.text = std::move(literal);
      f.pieces.push_back(std::move(lit));
      literal.clear();
    }
    f.pieces.push_back(std::move(piece));
    i = end;
  }
  if (!literal.empty()) {
    FString::Piece lit;
    lit.text = std::move(literal);
    f.pieces.push_back(std::move(lit));
  }
  return f;
}

bool resolve(Expr& e, const Resolver& resolver,
             const std::function<NameRef(const std::string&)>& new_slot, ExprError& error) {
  if (e.kind == Expr::Kind::comprehension) {
    // The iterable is outside the variable's scope; the item is inside.
    if (!resolve(*e.args[1], resolver, new_slot, error)) return false;
    e.ref = new_slot(e.name);
    const auto inner = [&](const std::string& name) -> std::optional<NameRef> {
      if (name == e.name) return e.ref;
      return resolver(name);
    };
    return resolve(*e.args[0], inner, new_slot, error);
  }
  if (e.kind == Expr::Kind::name) {
    const auto ref = resolver(e.name);
    if (!ref) {
      error = {e.name, e.offset};
      return false;
    }
    e.ref = *ref;
    return true;
  }
  for (auto& a : e.args)
    if (!resolve(*a, resolver, new_slot, error)) return false;
  return true;
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
  }
  return Object();
}

std::string eval(const FString& f, EvalEnv& env) {
  std::string out;
  for (const auto& p : f.pieces) {
    if (!p.expr) {
      out += p.text;
      continue;
    }
    const auto v = eval(*p.expr, env);
    const Object shown = p.conversion == 'r' ? Object(v.repr()) : v;
    out += format_value(shown, p.spec);
  }
  return out;
}

std::string to_python(const Expr& e) {
  return python(e, 0);
}

std::string to_python(const Expr& e, int min_precedence) {
  return python(e, min_precedence);
}

std::string to_python(const FString& f) {
  // An f-string, unless an expression holds a quote, a backslash or a '#'
  // (which an f-string's braces cannot hold before Python 3.12): then
  // format() and +.
  bool plain = true;
  for (const auto& p : f.pieces)
    if (p.expr && to_python(*p.expr).find_first_of("\"\\#") != std::string::npos) plain = false;
  const bool any = std::any_of(f.pieces.begin(), f.pieces.end(),
                               [](const FString::Piece& p) { return p.expr != nullptr; });
  if (!any) { // no placeholder: a plain string
    std::string text;
    for (const auto& p : f.pieces)
      text += p.text;
    return py_str(text);
  }
  if (plain) {
    std::string out = "f\"";
    for (const auto& p : f.pieces) {
      if (!p.expr) {
        out += fstring_literal(p.text);
        continue;
      }
      out += "{" + to_python(*p.expr);
      if (p.conversion) out += std::string("!") + p.conversion;
      if (!p.spec.empty()) out += ":" + p.spec;
      out += "}";
    }
    return out + "\"";
  }
  std::string out;
  for (const auto& p : f.pieces) {
    if (!out.empty()) out += " + ";
    if (!p.expr) {
      out += Object(p.text).repr();
      continue;
    }
    const auto code = to_python(*p.expr);
    const auto shown = p.conversion == 'r' ? "repr(" + code + ")" : code;
    out += "format(" + shown + ", " + Object(p.spec).repr() + ")";
  }
  return out.empty() ? "''" : out;
}

} // namespace asyncdemo
