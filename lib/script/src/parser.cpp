// The parser of the expressions and f-strings: tokens to a tree, by
// precedence climbing; and the resolver, which finds where each name lives.
#include "asyncdemo/script/expr.hpp"

#include "lexer.hpp"
#include "values.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace asyncdemo {

namespace {

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

} // namespace

namespace {

// How many levels deep the tree is, worked out without recursion: a chain
// of one operator (1+1+...+1) is as deep as it is long, and every pass over
// the tree (evaluation, the Python writer) recurses that deep.
int height(const Expr& root) {
  int deepest = 0;
  std::vector<std::pair<const Expr*, int>> stack{{&root, 1}};
  while (!stack.empty()) {
    const auto [e, d] = stack.back();
    stack.pop_back();
    deepest = std::max(deepest, d);
    for (const auto& a : e->args)
      if (a) stack.emplace_back(a.get(), d + 1);
    if (e->callee) stack.emplace_back(e->callee.get(), d + 1);
  }
  return deepest;
}

} // namespace

ExprPtr parse_expr(std::string_view text, ExprError& error) {
  auto tokens = tokenize(text, error);
  if (!tokens) return nullptr;
  auto e = Parser(std::move(*tokens)).parse(error);
  if (e && height(*e) > max_expr_height) {
    error = {fmt::format("the expression is {} levels deep (a chain of one operator counts a level "
                         "a term); at most {}",
                         height(*e), max_expr_height),
             0};
    return nullptr;
  }
  return e;
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
      if (colon != std::string::npos) { // the spec: text up to the brace, no field in it
        if (d == '}') break;
        if (d == '{') {
          error = {"a format spec cannot hold '{' (a field inside a spec is not in this "
                   "language)",
                   static_cast<int>(end)};
          return std::nullopt;
        }
        continue;
      }
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
    if (colon != std::string::npos) {
      piece.spec = std::string(text.substr(colon + 1, end - colon - 1));
      // Checked now, whatever the value will be: a spec no value takes is
      // the file's mistake, said where it is written.
      if (const auto why = spec_syntax_error(piece.spec)) {
        error = {"this format spec: " + *why, static_cast<int>(colon) + 1};
        return std::nullopt;
      }
    }
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

} // namespace asyncdemo
