// The Python front end: a program's tokens to the tree (ast.hpp, expr.hpp),
// by recursive descent over Python 3.11's grammar (CPython's Grammar/
// python.gram) for the subset; its error messages are CPython's where it has
// words of its own. Binary operators are read by precedence climbing, one
// loop per chain, so that a long chain costs no stack; everything that nests
// (brackets, unary operators, lambdas, conditionals, f-strings, blocks) is
// counted and refused past a fixed depth, and every expression's tree is
// held to max_expr_height, the depth the interpreter recurses to.
#include "python_parser.hpp"

#include "asyncdemo/script/limits.hpp"
#include "asyncdemo/script/python.hpp"
#include "asyncdemo/text/quote.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <deque>
#include <limits>
#include <optional>
#include <unordered_set>

namespace asyncdemo::python {

using script::Block;
using script::Handler;
using script::ImportName;
using script::Pos;
using script::Stmt;
using script::StmtPtr;
using script::WithItem;

namespace {

constexpr std::array<std::string_view, 35> keywords{
    "False", "None",     "True",  "and",    "as",   "assert", "async",  "await",    "break",
    "class", "continue", "def",   "del",    "elif", "else",   "except", "finally",  "for",
    "from",  "global",   "if",    "import", "in",   "is",     "lambda", "nonlocal", "not",
    "or",    "pass",     "raise", "return", "try",  "while",  "with",   "yield"};

bool is_keyword(std::string_view w) {
  return std::find(keywords.begin(), keywords.end(), w) != keywords.end();
}

// Binary operators, loosest first (the language reference's table).
enum Level { OR = 1, AND, NOT, CMP, BOR, BXOR, BAND, SHIFT, SUM, TERM };

struct BinaryOp {
  int level = 0;
  std::string_view op;
  int tokens = 1; // "not in" and "is not" are two
};

// Where statements are: what `return`, `await`, `break` may do there.
struct Scope {
  enum class Kind { module, function, lambda } kind = Kind::module;
  bool async = false;
  int loops = 0;
  // Inside an except* block: break, continue and return may not leave it
  // (loops counts the loops around it, -1 outside).
  int star_loops = -1;
};

// What the parser of a file and those of its f-strings' fields share.
struct Shared {
  std::string_view src;
  int depth = 0;                     // nesting, against max_nesting
  int block_depth = 0;               // blocks, against max_block_depth
  std::deque<Scope> scopes{Scope{}}; // a deque: a loop holds its scope while others are pushed
  // The first error CPython finds after parsing, in its symbol table and in
  // its compiler: shown only if the whole file parses (Parser::later).
  std::optional<SyntaxFailure> symtable_error, compiler_error;
};

// How a target is used, for its messages.
enum class Use { assign, for_, with, comprehension, del, aug };

std::string expr_name(const Expr& e) {
  switch (e.kind) {
  case Expr::Kind::attribute:
    return "attribute";
  case Expr::Kind::index:
    return "subscript";
  case Expr::Kind::starred:
    return "starred";
  case Expr::Kind::name:
    return "name";
  case Expr::Kind::list:
    return "list";
  case Expr::Kind::tuple:
    return "tuple";
  case Expr::Kind::lambda:
    return "lambda";
  case Expr::Kind::call:
    return "function call";
  case Expr::Kind::logic:
  case Expr::Kind::binary:
  case Expr::Kind::unary:
    return "expression";
  case Expr::Kind::generator:
    return "generator expression";
  case Expr::Kind::await_:
    return "await expression";
  case Expr::Kind::list_comp:
  case Expr::Kind::comprehension:
    return "list comprehension";
  case Expr::Kind::set_comp:
    return "set comprehension";
  case Expr::Kind::dict_comp:
    return "dict comprehension";
  case Expr::Kind::dict:
    return "dict literal";
  case Expr::Kind::set:
    return "set display";
  case Expr::Kind::fstring:
    return "f-string expression";
  case Expr::Kind::compare:
    return "comparison";
  case Expr::Kind::cond:
    return "conditional expression";
  case Expr::Kind::literal:
    switch (e.literal.kind()) {
    case Object::Kind::none:
      return "None";
    case Object::Kind::boolean:
      return e.literal.boolean() ? "True" : "False";
    default:
      return "literal";
    }
  case Expr::Kind::keyword:
    return "keyword argument";
  case Expr::Kind::slice:
    return "slice";
  }
  return "expression";
}

// The children of an expression, whatever its kind.
template <class F> void for_each_child(const Expr& e, F&& f) {
  for (const auto& a : e.args)
    if (a) f(*a);
  if (e.callee) f(*e.callee);
  const auto pieces = [&](const FString& s, auto& self) -> void {
    for (const auto& p : s.pieces) {
      if (p.expr) f(*p.expr);
      if (p.spec_fields) self(*p.spec_fields, self);
    }
  };
  if (e.fstring) pieces(*e.fstring, pieces);
  for (const auto& c : e.clauses) {
    if (c.target) f(*c.target);
    if (c.iter) f(*c.iter);
    for (const auto& i : c.ifs)
      f(*i);
  }
  for (const auto& p : e.params) {
    if (p.default_value) f(*p.default_value);
    if (p.annotation) f(*p.annotation);
  }
}

class Parser {
public:
  Parser(Shared& shared, Lexer lexer, bool fstring)
      : sh_(shared), lex_(std::move(lexer)), fstring_(fstring) {}

  Block file() {
    Block out;
    for (;;) {
      forget();
      if (peek().kind == Token::Kind::end) {
        if (sh_.symtable_error) throw *sh_.symtable_error;
        if (sh_.compiler_error) throw *sh_.compiler_error;
        return out;
      }
      statement(out);
    }
  }

  // CPython's rule for which error a file shows: one the parser finds gives
  // way to one the tokenizer finds in the rest of the file (it tokenizes to
  // the end first), and a bracket never closed is named if it opened on a
  // line before the parser stopped; "unexpected indent" stands as it is.
  SyntaxFailure prefer_tokenizer_errors(SyntaxFailure f) {
    if (lex_.failed() || f.message == "unexpected indent" || f.message == "unexpected unindent")
      return f;
    const int last_line = buf_.empty() ? f.line : buf_.back().line;
    try {
      while (lex_.next().kind != Token::Kind::end) {
      }
    } catch (const SyntaxFailure& later) {
      if (later.message.ends_with("was never closed") && later.line >= last_line) return f;
      // What CPython's tokenizer only flags at a line's start (its parser
      // words it) stops the search and leaves the parser's error standing.
      static constexpr std::array<std::string_view, 4> flagged{
          "unindent does not match any outer indentation level",
          "inconsistent use of tabs and spaces in indentation", "too many levels of indentation",
          "unexpected EOF while parsing"};
      if (std::find(flagged.begin(), flagged.end(), later.message) != flagged.end()) return f;
      return later;
    }
    return f;
  }

  // An f-string's field: star_expressions, the whole of it.
  ExprPtr field() {
    auto e = star_expressions();
    if (peek().kind != Token::Kind::end) {
      if (starts_expression(peek())) fail_at(*e, "invalid syntax. Perhaps you forgot a comma?");
      unexpected();
    }
    if (e->kind == Expr::Kind::starred) fail_at(*e, "cannot use starred expression here");
    return e;
  }

private:
  // -------------------------------------------------------------------------
  // Tokens

  const Token& peek(std::size_t k = 0) {
    while (buf_.size() <= i_ + k) {
      if (!buf_.empty() && buf_.back().kind == Token::Kind::end) return buf_.back();
      buf_.push_back(lex_.next());
    }
    return buf_[i_ + k];
  }
  Token take() {
    const Token t = peek();
    if (t.kind != Token::Kind::end) ++i_;
    if (t.kind != Token::Kind::newline && t.kind != Token::Kind::indent &&
        t.kind != Token::Kind::dedent)
      last_end_line_ = t.end_line;
    return t;
  }
  // Tokens before a statement are never looked at again.
  void forget() {
    if (i_ < 1024) return;
    buf_.erase(buf_.begin(), buf_.begin() + static_cast<std::ptrdiff_t>(i_));
    i_ = 0;
  }
  std::string_view text(const Token& t) const { return sh_.src.substr(t.begin, t.end - t.begin); }
  bool op(std::string_view o, std::size_t k = 0) {
    const Token& t = peek(k);
    return t.kind == Token::Kind::op && text(t) == o;
  }
  bool kw(std::string_view w, std::size_t k = 0) {
    const Token& t = peek(k);
    return t.kind == Token::Kind::name && text(t) == w;
  }
  bool at(Token::Kind kind) { return peek().kind == kind; }
  bool at_simple_end() { return at(Token::Kind::newline) || at(Token::Kind::end) || op(";"); }
  bool starts_expression(const Token& t) const {
    switch (t.kind) {
    case Token::Kind::name: {
      const auto w = text(t);
      return !is_keyword(w) || w == "None" || w == "True" || w == "False" || w == "not" ||
             w == "lambda" || w == "await" || w == "yield";
    }
    case Token::Kind::number:
    case Token::Kind::string:
      return true;
    case Token::Kind::op: {
      const auto w = text(t);
      return w == "(" || w == "[" || w == "{" || w == "-" || w == "+" || w == "~" || w == "...";
    }
    default:
      return false;
    }
  }

  // -------------------------------------------------------------------------
  // Errors

  // An error CPython's symbol table or compiler finds, not its parser: a
  // syntax error anywhere in the file is shown before it, as CPython shows
  // it (it parses the whole file first), and a symbol table's before a
  // compiler's.
  enum class Pass { symtable, compiler };
  void later(const Token& t, std::string message, Pass pass = Pass::compiler) const {
    auto& first = pass == Pass::symtable ? sh_.symtable_error : sh_.compiler_error;
    if (!first) first = SyntaxFailure{t.line, t.column, std::move(message)};
  }
  void later_at(const Expr& e, std::string message) const {
    if (!sh_.compiler_error)
      sh_.compiler_error = SyntaxFailure{e.line, e.column, std::move(message)};
  }

  [[noreturn]] void fail(const Token& t, std::string message) const {
    throw SyntaxFailure{t.line, t.column, std::move(message)};
  }
  [[noreturn]] void fail_at(const Expr& e, std::string message) const {
    throw SyntaxFailure{e.line, e.column, std::move(message)};
  }
  // The token here cannot be here.
  [[noreturn]] void unexpected() {
    const Token t = peek();
    if (t.kind == Token::Kind::op && text(t) == ":=")
      fail(t, not_in_subset("an assignment expression (`:=`)"));
    if (t.kind == Token::Kind::op && text(t) == "...") fail(t, not_in_subset("`...` (Ellipsis)"));
    if (t.kind == Token::Kind::name && text(t) == "yield") fail(t, not_in_subset("`yield`"));
    if (t.kind == Token::Kind::indent) fail(t, "unexpected indent");
    fail(t, "invalid syntax");
  }
  // The closing bracket of a display or a call, after `last` (an element).
  void close(std::string_view closer, const Expr* last) {
    if (op(closer)) {
      take();
      return;
    }
    if (last && starts_expression(peek()))
      fail_at(*last, "invalid syntax. Perhaps you forgot a comma?");
    unexpected();
  }
  Token expect_name() {
    const Token& t = peek();
    if (t.kind != Token::Kind::name || is_keyword(text(t))) unexpected();
    return take();
  }

  // Nesting: counted, and refused past max_nesting, before the stack grows.
  class Nest {
  public:
    explicit Nest(Parser& p) : sh_(p.sh_) {
      if (++sh_.depth > max_nesting) {
        --sh_.depth;
        p.fail(p.peek(), fmt::format("this nests deeper than {} levels", max_nesting));
      }
    }
    ~Nest() { --sh_.depth; }
    Nest(const Nest&) = delete;
    Nest& operator=(const Nest&) = delete;

  private:
    Shared& sh_;
  };
  class InScope {
  public:
    InScope(Parser& p, Scope s) : sh_(p.sh_) { sh_.scopes.push_back(s); }
    ~InScope() { sh_.scopes.pop_back(); }
    InScope(const InScope&) = delete;
    InScope& operator=(const InScope&) = delete;

  private:
    Shared& sh_;
  };
  Scope& scope() { return sh_.scopes.back(); }

  // -------------------------------------------------------------------------
  // Nodes

  ExprPtr node(Expr::Kind kind, const Token& t) const {
    auto e = std::make_unique<Expr>();
    e->kind = kind;
    e->line = t.line;
    e->column = t.column;
    e->offset = static_cast<int>(t.begin);
    return e;
  }
  static ExprPtr node_at(Expr::Kind kind, const Expr& where) {
    auto e = std::make_unique<Expr>();
    e->kind = kind;
    e->line = where.line;
    e->column = where.column;
    e->offset = where.offset;
    return e;
  }
  static StmtPtr stmt(Stmt::Kind kind, const Token& t) {
    auto s = std::make_unique<Stmt>();
    s->kind = kind;
    s->pos = Pos{t.line, t.column};
    return s;
  }
  StmtPtr done(StmtPtr s) const {
    s->end_line = last_end_line_;
    return s;
  }

  // The tree of one expression at most max_expr_height deep, counted
  // without recursion: every pass over it recurses that deep.
  void check_height(const Expr& root) const {
    int deepest = 0;
    std::vector<std::pair<const Expr*, int>> stack{{&root, 1}};
    while (!stack.empty()) {
      const auto [e, d] = stack.back();
      stack.pop_back();
      deepest = std::max(deepest, d);
      for_each_child(*e, [&, d = d](const Expr& c) { stack.emplace_back(&c, d + 1); });
    }
    if (deepest > max_expr_height)
      fail_at(root, fmt::format("this expression is {} levels deep (a chain of one operator "
                                "counts a level a term: a + b + c is 3); at most {}",
                                deepest, max_expr_height));
  }
  // One more link of a chain (a + b + ..., x.a[0](...)...): a chain that
  // makes a tree too deep is refused as it grows, before a megabyte of it
  // is built.
  void link(int& links, const Expr& start) const {
    if (++links >= max_expr_height)
      fail_at(start, fmt::format("this expression is more than {} levels deep (a chain of one "
                                 "operator counts a level a term: a + b + c is 3)",
                                 max_expr_height));
  }
  ExprPtr checked(ExprPtr e) const {
    if (e) check_height(*e);
    return e;
  }

  void no_bare_starred(const Expr* e) const {
    if (e && e->kind == Expr::Kind::starred) later_at(*e, "can't use starred expression here");
  }

  // -------------------------------------------------------------------------
  // Statements

  void statement(Block& out) {
    const Token t = peek();
    if (t.kind == Token::Kind::indent) fail(t, "unexpected indent");
    if (t.kind == Token::Kind::name) {
      const auto w = text(t);
      if (w == "if") return out.push_back(if_stmt());
      if (w == "while") return out.push_back(while_stmt());
      if (w == "for") return out.push_back(for_stmt(t));
      if (w == "try") return out.push_back(try_stmt());
      if (w == "with") return out.push_back(with_stmt(t));
      if (w == "def") return out.push_back(def_stmt(t));
      if (w == "class") fail(t, not_in_subset("`class`"));
      if (w == "async") {
        if (kw("def", 1)) return out.push_back(def_stmt(t));
        const bool for_ = kw("for", 1), with = kw("with", 1);
        if (!for_ && !with) {
          take();
          unexpected();
        }
        if (scope().kind != Scope::Kind::function || !scope().async)
          later(t, fmt::format("'async {}' outside async function", for_ ? "for" : "with"));
        return out.push_back(for_ ? for_stmt(t) : with_stmt(t));
      }
    }
    if (t.kind == Token::Kind::op && text(t) == "@") fail(t, not_in_subset("a decorator (`@`)"));
    simple_stmts(out);
  }

  // Simple statements on one line, separated by ';'.
  void simple_stmts(Block& out) {
    const std::size_t start = i_;
    const Token first = peek();
    try {
      for (;;) {
        out.push_back(simple_stmt());
        if (!op(";")) break;
        take();
        if (at(Token::Kind::newline) || at(Token::Kind::end)) break;
      }
      if (!at(Token::Kind::newline) && !at(Token::Kind::end)) {
        const Stmt& s = *out.back();
        if (s.kind == Stmt::Kind::expr && s.value->kind == Expr::Kind::name &&
            s.value->name == "print" && starts_expression(peek()))
          fail_at(*s.value, "Missing parentheses in call to 'print'. Did you mean print(...)?");
        unexpected();
      }
      take();
    } catch (const SyntaxFailure&) {
      if (first.kind == Token::Kind::name && text(first) == "match" && match_statement(start))
        fail(first, not_in_subset("the `match` statement"));
      throw;
    }
  }

  // Whether the logical line from `start` reads as a match statement (a
  // soft keyword: `match` is a name everywhere else): match SUBJECT: and a
  // block.
  bool match_statement(std::size_t start) {
    try {
      if (peek_at(start + 1).kind == Token::Kind::op) {
        const auto w = text(peek_at(start + 1));
        if (w != "(" && w != "[" && w != "{" && w != "-" && w != "*") return false;
      }
      for (std::size_t k = start + 1; k < start + 10000; ++k) {
        const Token& t = peek_at(k);
        if (t.kind == Token::Kind::end) return false;
        if (t.kind == Token::Kind::newline)
          return k > start + 1 && peek_at(k - 1).kind == Token::Kind::op &&
                 text(peek_at(k - 1)) == ":" && peek_at(k + 1).kind == Token::Kind::indent;
      }
    } catch (const SyntaxFailure&) {
    }
    return false;
  }
  const Token& peek_at(std::size_t index) { return index >= i_ ? peek(index - i_) : buf_[index]; }

  StmtPtr simple_stmt() {
    const Token t = peek();
    if (t.kind == Token::Kind::name) {
      const auto w = text(t);
      if (w == "pass") {
        take();
        return done(stmt(Stmt::Kind::pass, t));
      }
      if (w == "break" || w == "continue") {
        take();
        if (scope().loops == 0)
          later(t, w == "break" ? "'break' outside loop" : "'continue' not properly in loop");
        if (scope().loops == scope().star_loops)
          later(t, "'break', 'continue' and 'return' cannot appear in an except* block");
        return done(stmt(w == "break" ? Stmt::Kind::break_ : Stmt::Kind::continue_, t));
      }
      if (w == "return") {
        take();
        if (scope().kind != Scope::Kind::function) later(t, "'return' outside function");
        if (scope().star_loops >= 0)
          later(t, "'break', 'continue' and 'return' cannot appear in an except* block");
        auto s = stmt(Stmt::Kind::return_, t);
        if (!at_simple_end()) s->value = checked(star_expressions());
        no_bare_starred(s->value.get());
        return done(std::move(s));
      }
      if (w == "raise") {
        take();
        auto s = stmt(Stmt::Kind::raise_, t);
        if (!at_simple_end()) {
          s->value = checked(expression());
          if (kw("from")) {
            take();
            s->cause = checked(expression());
          }
        }
        return done(std::move(s));
      }
      if (w == "global" || w == "nonlocal") {
        take();
        if (w == "nonlocal" && scope().kind == Scope::Kind::module)
          later(t, "nonlocal declaration not allowed at module level", Pass::symtable);
        auto s = stmt(w == "global" ? Stmt::Kind::global : Stmt::Kind::nonlocal, t);
        for (;;) {
          s->names.emplace_back(text(expect_name()));
          if (!op(",")) break;
          take();
        }
        return done(std::move(s));
      }
      if (w == "del") return del_stmt();
      if (w == "assert") {
        take();
        auto s = stmt(Stmt::Kind::assert_, t);
        s->value = checked(expression());
        if (op(",")) {
          take();
          s->cause = checked(expression());
        }
        return done(std::move(s));
      }
      if (w == "import") return import_stmt();
      if (w == "from") return from_stmt();
      if (w == "yield") fail(t, not_in_subset("`yield`"));
      if (w == "class") fail(t, not_in_subset("`class`"));
      if (is_keyword(w) && !starts_expression(t)) unexpected();
    }
    if (t.kind == Token::Kind::op && text(t) == "@") fail(t, not_in_subset("a decorator (`@`)"));
    return expression_stmt();
  }

  StmtPtr expression_stmt() {
    const Token t = peek();
    auto first = star_expressions();
    if (op("=")) {
      auto s = stmt(Stmt::Kind::assign, t);
      std::vector<ExprPtr> parts;
      parts.push_back(std::move(first));
      while (op("=")) {
        take();
        if (kw("yield")) unexpected();
        parts.push_back(star_expressions());
      }
      s->value = checked(std::move(parts.back()));
      parts.pop_back();
      for (std::size_t i = 0; i < parts.size(); ++i) {
        check_target(*parts[i], Use::assign, i == 0 ? here_candidate(*parts[i]) : nullptr);
        s->targets.push_back(checked(std::move(parts[i])));
      }
      no_bare_starred(s->value.get());
      return done(std::move(s));
    }
    if (op(":")) {
      switch (first->kind) {
      case Expr::Kind::name:
      case Expr::Kind::attribute:
      case Expr::Kind::index:
        break;
      case Expr::Kind::tuple:
        fail_at(*first, "only single target (not tuple) can be annotated");
      case Expr::Kind::list:
        fail_at(*first, "only single target (not list) can be annotated");
      default:
        fail_at(*first, "illegal target for annotation");
      }
      check_target(*first, Use::assign, nullptr);
      take();
      auto s = stmt(Stmt::Kind::ann_assign, t);
      s->target = checked(std::move(first));
      s->annotation = checked(expression());
      if (op("=")) {
        take();
        if (kw("yield")) unexpected();
        s->value = checked(star_expressions());
        no_bare_starred(s->value.get());
      }
      return done(std::move(s));
    }
    static constexpr std::array<std::string_view, 13> augmented{
        "+=", "-=", "*=", "/=", "//=", "%=", "@=", "&=", "|=", "^=", ">>=", "<<=", "**="};
    if (at(Token::Kind::op) &&
        std::find(augmented.begin(), augmented.end(), text(peek())) != augmented.end()) {
      check_target(*first, Use::aug, nullptr);
      const Token o = take();
      auto s = stmt(Stmt::Kind::aug_assign, t);
      s->op = std::string(text(o).substr(0, text(o).size() - 1));
      s->target = checked(std::move(first));
      if (kw("yield")) unexpected();
      s->value = checked(star_expressions());
      no_bare_starred(s->value.get());
      return done(std::move(s));
    }
    no_bare_starred(first.get());
    auto s = stmt(Stmt::Kind::expr, t);
    s->value = checked(std::move(first));
    return done(std::move(s));
  }

  // The part of an assignment's first target that CPython would say "Maybe
  // you meant '=='" about: the last thing before the '='.
  static const Expr* here_candidate(const Expr& target) {
    if (target.kind == Expr::Kind::tuple && !target.args.empty() &&
        target.args.front()->offset == target.offset)
      return target.args.back().get();
    return &target;
  }

  void check_target(const Expr& e, Use use, const Expr* here) const {
    switch (e.kind) {
    case Expr::Kind::name:
      if (e.name == "__debug__")
        fail_at(e, use == Use::del ? "cannot delete __debug__" : "cannot assign to __debug__");
      return;
    case Expr::Kind::attribute:
    case Expr::Kind::index:
      return;
    case Expr::Kind::tuple:
    case Expr::Kind::list: {
      if (use == Use::aug) break;
      int stars = 0;
      for (const auto& item : e.args) {
        if (item->kind == Expr::Kind::starred) {
          if (use == Use::del) fail_at(*item, "cannot delete starred");
          if (++stars > 1) fail_at(e, "multiple starred expressions in assignment");
          check_target(*item->args[0], use, nullptr);
        } else {
          check_target(*item, use, here);
        }
      }
      return;
    }
    case Expr::Kind::starred:
      if (use == Use::del) fail_at(e, "cannot delete starred");
      if (use != Use::aug) fail_at(e, "starred assignment target must be in a list or tuple");
      break;
    default:
      break;
    }
    const auto what = expr_name(e);
    if (use == Use::aug)
      fail_at(e, fmt::format("'{}' is an illegal expression for augmented assignment", what));
    if (use == Use::del) fail_at(e, "cannot delete " + what);
    const char start = sh_.src[static_cast<std::size_t>(e.offset)];
    if (&e == here && e.kind != Expr::Kind::literal && start != '(' && start != '[' && start != '{')
      fail_at(e,
              fmt::format("cannot assign to {} here. Maybe you meant '==' instead of '='?", what));
    fail_at(e, "cannot assign to " + what);
  }

  StmtPtr del_stmt() {
    const Token t = take();
    auto s = stmt(Stmt::Kind::del_, t);
    for (;;) {
      auto target = star_target();
      check_target(*target, Use::del, nullptr);
      s->targets.push_back(checked(std::move(target)));
      if (!op(",")) break;
      take();
      if (at_simple_end()) break;
    }
    return done(std::move(s));
  }

  std::string dotted_name() {
    std::string out(text(expect_name()));
    while (op(".")) {
      take();
      out += '.';
      out += text(expect_name());
    }
    return out;
  }

  StmtPtr import_stmt() {
    const Token t = take();
    auto s = stmt(Stmt::Kind::import, t);
    for (;;) {
      ImportName n;
      n.name = dotted_name();
      if (kw("as")) {
        take();
        n.alias = std::string(text(expect_name()));
      }
      s->imports.push_back(std::move(n));
      if (!op(",")) break;
      take();
    }
    return done(std::move(s));
  }

  StmtPtr from_stmt() {
    const Token t = take();
    auto s = stmt(Stmt::Kind::import_from, t);
    if (op(".") || op("...")) fail(peek(), not_in_subset("a relative import (`from . import x`)"));
    s->name = dotted_name();
    if (!kw("import")) unexpected();
    take();
    if (op("*")) fail(peek(), not_in_subset("`from ... import *`"));
    const bool parens = op("(");
    if (parens) take();
    for (;;) {
      ImportName n;
      n.name = std::string(text(expect_name()));
      if (kw("as")) {
        take();
        n.alias = std::string(text(expect_name()));
      }
      s->imports.push_back(std::move(n));
      if (!op(",")) break;
      const Token comma = take();
      if (parens && op(")")) break;
      if (!parens && at_simple_end())
        fail(comma, "trailing comma not allowed without surrounding parentheses");
    }
    if (parens) close(")", nullptr);
    return done(std::move(s));
  }

  // ':' and the block after a compound statement's header.
  Block block(const Token& header, std::string_view what) {
    if (!op(":")) fail(peek(), "expected ':'");
    take();
    if (++sh_.block_depth > script::max_block_depth) {
      --sh_.block_depth;
      fail(header, fmt::format("blocks nest deeper than {} levels here (an elif is a level: an "
                               "if inside the else before it)",
                               script::max_block_depth));
    }
    struct Leave {
      int& depth;
      ~Leave() { --depth; }
    } leave{sh_.block_depth};
    Block out;
    if (!at(Token::Kind::newline)) {
      simple_stmts(out);
      return out;
    }
    take();
    if (!at(Token::Kind::indent))
      fail(peek(),
           fmt::format("expected an indented block after {} on line {}", what, header.line));
    take();
    while (!at(Token::Kind::dedent) && !at(Token::Kind::end)) {
      forget();
      statement(out);
    }
    take();
    return out;
  }

  // The test of an if, elif or while.
  ExprPtr test() {
    auto e = named_expression();
    if (op("=")) fail_at(*e, "invalid syntax. Maybe you meant '==' or ':=' instead of '='?");
    return checked(std::move(e));
  }

  StmtPtr if_stmt() {
    const Token t = take();
    auto root = stmt(Stmt::Kind::if_, t);
    root->value = test();
    root->body = block(t, "'if' statement");
    // elif: an if alone in the else of the one before, as Python's tree has
    // it; read in a loop, its depth counted as blocks.
    std::vector<Stmt*> chain{root.get()};
    const int depth = sh_.block_depth;
    while (kw("elif")) {
      const Token e = take();
      ++sh_.block_depth;
      auto s = stmt(Stmt::Kind::if_, e);
      s->value = test();
      s->body = block(e, "'elif' statement");
      chain.push_back(s.get());
      chain[chain.size() - 2]->orelse.push_back(std::move(s));
    }
    if (kw("else")) {
      const Token e = take();
      chain.back()->orelse = block(e, "'else' statement");
    }
    sh_.block_depth = depth;
    for (auto* s : chain)
      s->end_line = last_end_line_;
    return root;
  }

  struct InLoop {
    Scope& s;
    explicit InLoop(Scope& scope) : s(scope) { ++s.loops; }
    ~InLoop() { --s.loops; }
    InLoop(const InLoop&) = delete;
    InLoop& operator=(const InLoop&) = delete;
  };

  StmtPtr while_stmt() {
    const Token t = take();
    auto s = stmt(Stmt::Kind::while_, t);
    s->value = test();
    {
      const InLoop loop(scope());
      s->body = block(t, "'while' statement");
    }
    if (kw("else")) {
      const Token e = take();
      s->orelse = block(e, "'else' statement");
    }
    return done(std::move(s));
  }

  StmtPtr for_stmt(const Token& start) {
    auto s = stmt(Stmt::Kind::for_, start);
    if (kw("async")) {
      take();
      s->is_async = true;
    }
    const Token t = take(); // for
    auto target = target_list();
    check_target(*target, Use::for_, nullptr);
    s->target = checked(std::move(target));
    if (!kw("in")) unexpected();
    take();
    s->value = checked(star_expressions());
    no_bare_starred(s->value.get());
    {
      const InLoop loop(scope());
      s->body = block(t, "'for' statement");
    }
    if (kw("else")) {
      const Token e = take();
      s->orelse = block(e, "'else' statement");
    }
    return done(std::move(s));
  }

  StmtPtr try_stmt() {
    const Token t = take();
    auto s = stmt(Stmt::Kind::try_, t);
    s->body = block(t, "'try' statement");
    bool plain = false, star = false;
    while (kw("except")) {
      const Token e = take();
      Handler h;
      h.pos = Pos{e.line, e.column};
      if (op("*")) {
        take();
        h.star = true;
        if (op(":")) fail(peek(), "expected one or more exception types");
      }
      if ((h.star && plain) || (!h.star && star))
        fail(e, "cannot have both 'except' and 'except*' on the same 'try'");
      (h.star ? star : plain) = true;
      if (!s->handlers.empty() && !s->handlers.back().type)
        fail(s->handlers.back().pos.line == 0 ? e : e, "default 'except:' must be last");
      if (!op(":")) {
        h.type = checked(expression());
        if (op(",")) fail_at(*h.type, "multiple exception types must be parenthesized");
        if (kw("as")) {
          take();
          h.name = std::string(text(expect_name()));
        }
      }
      const int outside = scope().star_loops;
      if (h.star) scope().star_loops = scope().loops;
      try {
        h.body = block(e, h.star ? "'except*' statement" : "'except' statement");
      } catch (...) {
        scope().star_loops = outside;
        throw;
      }
      scope().star_loops = outside;
      s->handlers.push_back(std::move(h));
    }
    if (kw("else")) {
      if (s->handlers.empty()) fail(peek(), "expected 'except' or 'finally' block");
      const Token e = take();
      s->orelse = block(e, "'else' statement");
    }
    if (kw("finally")) {
      const Token e = take();
      s->finalbody = block(e, "'finally' statement");
    }
    if (s->handlers.empty() && s->finalbody.empty())
      fail(peek(), "expected 'except' or 'finally' block");
    return done(std::move(s));
  }

  WithItem with_item() {
    WithItem w;
    w.context = checked(expression());
    if (kw("as")) {
      take();
      auto target = star_target();
      check_target(*target, Use::with, nullptr);
      w.target = checked(std::move(target));
    }
    return w;
  }

  StmtPtr with_stmt(const Token& start) {
    auto s = stmt(Stmt::Kind::with_, start);
    if (kw("async")) {
      take();
      s->is_async = true;
    }
    const Token t = take(); // with
    // with (a as b, c): items in parentheses, if that reads and a ':'
    // follows; otherwise the parenthesis is an expression's: with (a, b) as c.
    bool read = false;
    std::optional<SyntaxFailure> first; // why the items in parentheses did not read
    if (op("(")) {
      const std::size_t back = i_;
      try {
        take();
        for (;;) {
          s->items.push_back(with_item());
          if (!op(",")) break;
          take();
          if (op(")")) break;
        }
        if (!op(")") || !op(":", 1)) throw SyntaxFailure{};
        take();
        read = true;
      } catch (const SyntaxFailure& f) {
        if (lex_.failed() || f.message.rfind("asyncdemo runs", 0) == 0) throw;
        if (f.line > 0) first = f;
        i_ = back;
        s->items.clear();
      }
    }
    if (!read) {
      try {
        for (;;) {
          s->items.push_back(with_item());
          if (!op(",")) break;
          take();
        }
      } catch (const SyntaxFailure& f) {
        // The reading that got further says what is wrong.
        if (first && std::pair(first->line, first->column) > std::pair(f.line, f.column))
          throw *first;
        throw;
      }
    }
    s->body = block(t, "'with' statement");
    return done(std::move(s));
  }

  StmtPtr def_stmt(const Token& start) {
    auto s = stmt(Stmt::Kind::function, start);
    if (kw("async")) {
      take();
      s->is_async = true;
    }
    const Token t = take(); // def
    s->name = std::string(text(expect_name()));
    if (!op("(")) unexpected();
    take();
    s->params = parameters(true, ")");
    close(")", nullptr);
    for (const auto& p : s->params) {
      if (p.default_value) check_height(*p.default_value);
      if (p.annotation) check_height(*p.annotation);
    }
    if (op("->")) {
      take();
      s->annotation = checked(expression());
    }
    const InScope in(*this, Scope{Scope::Kind::function, s->is_async, 0});
    s->body = block(t, "function definition");
    return done(std::move(s));
  }

  // The parameters of a def (up to ')', annotations allowed) or a lambda
  // (up to ':').
  std::vector<Parameter> parameters(bool def, std::string_view closer) {
    std::vector<Parameter> out;
    bool star = false, kwargs = false, defaults = false;
    std::unordered_set<std::string_view> names;
    while (!op(closer)) {
      const Token t = peek();
      if (kwargs) fail(t, "arguments cannot follow var-keyword argument");
      if (op("/")) fail(t, not_in_subset("a positional-only parameter (`/`)"));
      Parameter p;
      if (op("*")) {
        take();
        if (star) fail(t, "* argument may appear only once");
        star = true;
        if (op(",") || op(closer)) { // a bare *: keyword-only parameters follow
          if (!op(",") || op(closer, 1) || op("**", 1))
            fail(peek(), "named arguments must follow bare *");
          take();
          continue;
        }
        p.kind = Parameter::Kind::var_positional;
      } else if (op("**")) {
        take();
        p.kind = Parameter::Kind::var_keyword;
        kwargs = true;
      } else {
        p.kind = star ? Parameter::Kind::keyword_only : Parameter::Kind::positional;
      }
      const Token n = expect_name();
      p.name = std::string(text(n));
      p.line = n.line;
      p.column = n.column;
      if (p.name == "__debug__") fail(n, "cannot assign to __debug__");
      if (!names.insert(text(n)).second)
        fail(n, fmt::format("duplicate argument '{}' in function definition", p.name));
      if (def && op(":")) {
        take();
        p.annotation = expression();
      }
      if (op("=")) {
        if (p.kind == Parameter::Kind::var_positional)
          fail(peek(), "var-positional argument cannot have default value");
        if (p.kind == Parameter::Kind::var_keyword)
          fail(peek(), "var-keyword argument cannot have default value");
        take();
        p.default_value = expression();
        if (p.kind == Parameter::Kind::positional) defaults = true;
      } else if (p.kind == Parameter::Kind::positional && defaults) {
        fail(n, "non-default argument follows default argument");
      }
      out.push_back(std::move(p));
      if (!op(",")) break;
      take();
    }
    return out;
  }

  // -------------------------------------------------------------------------
  // Expressions

  // a, *b, c: a tuple without parentheses when there is a comma.
  ExprPtr star_expressions() {
    auto first = star_expression();
    if (!op(",")) return first;
    auto t = node_at(Expr::Kind::tuple, *first);
    t->args.push_back(std::move(first));
    while (op(",")) {
      take();
      if (!starts_expression(peek()) && !op("*")) break;
      t->args.push_back(star_expression());
    }
    return t;
  }
  ExprPtr star_expression() {
    if (!op("*")) return expression();
    const Token t = take();
    auto e = node(Expr::Kind::starred, t);
    e->args.push_back(binary(BOR));
    return e;
  }
  ExprPtr star_named_expression() {
    if (!op("*")) return named_expression();
    const Token t = take();
    auto e = node(Expr::Kind::starred, t);
    e->args.push_back(binary(BOR));
    return e;
  }
  ExprPtr named_expression() {
    auto e = expression();
    if (op(":=")) unexpected();
    return e;
  }

  ExprPtr expression() {
    const Nest nest(*this);
    if (kw("lambda")) return lambda();
    auto body = binary(OR);
    if (!kw("if")) return body;
    take();
    auto condition = binary(OR);
    if (!kw("else")) fail_at(*body, "expected 'else' after 'if' expression");
    take();
    auto orelse = expression();
    auto e = node_at(Expr::Kind::cond, *body);
    e->args.push_back(std::move(body));
    e->args.push_back(std::move(condition));
    e->args.push_back(std::move(orelse));
    return e;
  }

  ExprPtr lambda() {
    const Token t = take();
    auto e = node(Expr::Kind::lambda, t);
    e->params = parameters(false, ":");
    if (!op(":")) unexpected();
    take();
    const InScope in(*this, Scope{Scope::Kind::lambda, false, 0});
    e->args.push_back(expression());
    return e;
  }

  std::optional<BinaryOp> binary_op() {
    const Token& t = peek();
    const auto w = text(t);
    if (t.kind == Token::Kind::name) {
      if (w == "or") return BinaryOp{OR, "or"};
      if (w == "and") return BinaryOp{AND, "and"};
      if (w == "in") return BinaryOp{CMP, "in"};
      if (w == "is") return kw("not", 1) ? BinaryOp{CMP, "is not", 2} : BinaryOp{CMP, "is"};
      if (w == "not" && kw("in", 1)) return BinaryOp{CMP, "not in", 2};
      return std::nullopt;
    }
    if (t.kind != Token::Kind::op) return std::nullopt;
    static constexpr std::array<std::pair<std::string_view, int>, 18> ops{{{"<", CMP},
                                                                           {">", CMP},
                                                                           {"==", CMP},
                                                                           {">=", CMP},
                                                                           {"<=", CMP},
                                                                           {"!=", CMP},
                                                                           {"|", BOR},
                                                                           {"^", BXOR},
                                                                           {"&", BAND},
                                                                           {"<<", SHIFT},
                                                                           {">>", SHIFT},
                                                                           {"+", SUM},
                                                                           {"-", SUM},
                                                                           {"*", TERM},
                                                                           {"/", TERM},
                                                                           {"//", TERM},
                                                                           {"%", TERM},
                                                                           {"@", TERM}}};
    for (const auto& [o, level] : ops)
      if (w == o) return BinaryOp{level, o};
    return std::nullopt;
  }

  // Operators at `min` and tighter, by precedence climbing: a chain is a loop.
  ExprPtr binary(int min) {
    ExprPtr left;
    if (min <= NOT && kw("not")) {
      const Nest nest(*this);
      const Token t = take();
      left = node(Expr::Kind::unary, t);
      left->op = "not";
      left->args.push_back(binary(NOT));
    } else {
      left = factor();
    }
    for (int links = 0;;) {
      const auto o = binary_op();
      if (!o || o->level < min) return left;
      link(links, *left);
      if (o->level == OR || o->level == AND) { // a or b or c: one node
        auto e = node_at(Expr::Kind::logic, *left);
        e->op = std::string(o->op);
        e->args.push_back(std::move(left));
        for (;;) {
          const auto again = binary_op();
          if (!again || again->op != o->op) break;
          take();
          e->args.push_back(binary(o->level + 1));
        }
        left = std::move(e);
        continue;
      }
      if (o->level == CMP) { // a < b < c: one node
        auto e = node_at(Expr::Kind::compare, *left);
        e->args.push_back(std::move(left));
        std::vector<std::string> ops;
        for (;;) {
          const auto again = binary_op();
          if (!again || again->level != CMP) break;
          for (int i = 0; i < again->tokens; ++i)
            take();
          ops.emplace_back(again->op);
          e->args.push_back(binary(CMP + 1));
        }
        if (ops.size() == 1)
          e->op = std::move(ops.front());
        else
          e->ops = std::move(ops);
        left = std::move(e);
        continue;
      }
      take();
      auto e = node_at(Expr::Kind::binary, *left);
      e->op = std::string(o->op);
      e->args.push_back(std::move(left));
      e->args.push_back(binary(o->level + 1));
      left = std::move(e);
    }
  }

  ExprPtr factor() {
    if (op("-") || op("+") || op("~")) {
      const Nest nest(*this);
      const Token t = take();
      auto e = node(Expr::Kind::unary, t);
      e->op = std::string(text(t));
      e->args.push_back(factor());
      return e;
    }
    return power();
  }

  ExprPtr power() {
    auto base = await_primary();
    if (!op("**")) return base;
    const Nest nest(*this);
    take();
    auto e = node_at(Expr::Kind::binary, *base);
    e->op = "**";
    e->args.push_back(std::move(base));
    e->args.push_back(factor());
    return e;
  }

  ExprPtr await_primary() {
    if (!kw("await")) return primary();
    const Nest nest(*this);
    const Token t = take();
    for (auto it = sh_.scopes.rbegin(); it != sh_.scopes.rend(); ++it) {
      if (it->kind == Scope::Kind::module)
        later(t, "'await' outside function");
      else if (!it->async)
        later(t, "'await' outside async function");
      break;
    }
    auto e = node(Expr::Kind::await_, t);
    e->args.push_back(primary());
    return e;
  }

  ExprPtr primary() {
    auto e = atom();
    for (int links = 0;;) {
      if (op(".") || op("(") || op("[")) link(links, *e);
      if (op(".")) {
        take();
        const Token n = expect_name();
        auto a = node_at(Expr::Kind::attribute, *e);
        a->name = std::string(text(n));
        a->args.push_back(std::move(e));
        e = std::move(a);
      } else if (op("(")) {
        e = call(std::move(e));
      } else if (op("[")) {
        e = subscript(std::move(e));
      } else {
        return e;
      }
    }
  }

  ExprPtr call(ExprPtr callee) {
    take(); // (
    auto e = node_at(Expr::Kind::call, *callee);
    e->callee = std::move(callee);
    bool keywords = false, kwargs = false;
    std::unordered_set<std::string> names;
    while (!op(")")) {
      const Token t = peek();
      if (op("*")) {
        take();
        if (kwargs) fail(t, "iterable argument unpacking follows keyword argument unpacking");
        auto s = node(Expr::Kind::starred, t);
        s->args.push_back(expression());
        e->args.push_back(std::move(s));
      } else if (op("**")) {
        take();
        auto k = node(Expr::Kind::keyword, t);
        k->args.push_back(expression());
        e->args.push_back(std::move(k));
        kwargs = true;
      } else if (t.kind == Token::Kind::name && op("=", 1)) {
        const auto w = text(t);
        if (w == "True" || w == "False" || w == "None")
          fail(t, fmt::format("cannot assign to {}", w));
        if (is_keyword(w)) unexpected();
        if (w == "__debug__") fail(t, "cannot assign to __debug__");
        take();
        take(); // =
        auto k = node(Expr::Kind::keyword, t);
        k->name = std::string(w);
        if (!names.insert(k->name).second)
          fail(t, fmt::format("keyword argument repeated: {}", k->name));
        k->args.push_back(expression());
        e->args.push_back(std::move(k));
        keywords = true;
      } else {
        auto a = named_expression();
        if (kw("for") || (kw("async") && kw("for", 1))) {
          auto g = node_at(Expr::Kind::generator, *a);
          g->args.push_back(std::move(a));
          comprehension_clauses(*g);
          check_generator(*g);
          if (!e->args.empty() || !op(")"))
            fail_at(*g, "Generator expression must be parenthesized");
          e->args.push_back(std::move(g));
          break;
        }
        if (op("=")) fail_at(*a, "expression cannot contain assignment, perhaps you meant \"==\"?");
        if (kwargs) fail_at(*a, "positional argument follows keyword argument unpacking");
        if (keywords) fail_at(*a, "positional argument follows keyword argument");
        e->args.push_back(std::move(a));
      }
      if (!op(",")) break;
      take();
    }
    close(")", e->args.empty() ? nullptr : e->args.back().get());
    return e;
  }

  ExprPtr subscript(ExprPtr object) {
    take(); // [
    auto e = node_at(Expr::Kind::index, *object);
    e->args.push_back(std::move(object));
    auto first = slice_item();
    if (op(",") || first->kind == Expr::Kind::starred) { // a[1:2, 3], a[*b]: a tuple
      auto t = node_at(Expr::Kind::tuple, *first);
      t->args.push_back(std::move(first));
      while (op(",")) {
        take();
        if (op("]")) break;
        t->args.push_back(slice_item());
      }
      first = std::move(t);
    }
    e->args.push_back(std::move(first));
    close("]", e->args.back().get());
    return e;
  }

  ExprPtr slice_item() {
    const Token t = peek();
    if (op("*")) {
      take();
      auto s = node(Expr::Kind::starred, t);
      s->args.push_back(expression());
      return s;
    }
    ExprPtr lower;
    if (!op(":")) {
      lower = named_expression();
      if (!op(":")) return lower;
    }
    auto s = lower ? node_at(Expr::Kind::slice, *lower) : node(Expr::Kind::slice, t);
    take(); // :
    s->args.resize(3);
    s->args[0] = std::move(lower);
    if (!op(":") && !op(",") && !op("]")) s->args[1] = expression();
    if (op(":")) {
      take();
      if (!op(",") && !op("]")) s->args[2] = expression();
    }
    return s;
  }

  ExprPtr atom() {
    const Token t = peek();
    switch (t.kind) {
    case Token::Kind::name: {
      const auto w = text(t);
      if (w == "None" || w == "True" || w == "False") {
        take();
        auto e = node(Expr::Kind::literal, t);
        if (w != "None") e->literal = Object(w == "True");
        return e;
      }
      if (is_keyword(w)) unexpected();
      take();
      auto e = node(Expr::Kind::name, t);
      e->name = std::string(w);
      return e;
    }
    case Token::Kind::number:
      return number(take());
    case Token::Kind::string:
      return strings();
    case Token::Kind::op: {
      const auto w = text(t);
      if (w == "(") return parenthesis();
      if (w == "[") return list_display();
      if (w == "{") return brace_display();
      break;
    }
    default:
      break;
    }
    unexpected();
  }

  ExprPtr parenthesis() {
    const Token open = take();
    if (op(")")) {
      take();
      return node(Expr::Kind::tuple, open);
    }
    if (kw("yield")) unexpected();
    auto first = star_named_expression();
    if (kw("for") || (kw("async") && kw("for", 1))) {
      if (first->kind == Expr::Kind::starred)
        fail_at(*first, "iterable unpacking cannot be used in comprehension");
      auto g = node(Expr::Kind::generator, open);
      g->args.push_back(std::move(first));
      comprehension_clauses(*g);
      check_generator(*g);
      close(")", nullptr);
      return g;
    }
    if (op(",")) {
      auto t = node(Expr::Kind::tuple, open);
      t->args.push_back(std::move(first));
      while (op(",")) {
        take();
        if (op(")")) break;
        t->args.push_back(star_named_expression());
      }
      close(")", t->args.back().get());
      return t;
    }
    close(")", first.get());
    if (first->kind == Expr::Kind::starred) fail_at(*first, "cannot use starred expression here");
    return first;
  }

  ExprPtr list_display() {
    const Token open = take();
    auto l = node(Expr::Kind::list, open);
    if (op("]")) {
      take();
      return l;
    }
    auto first = star_named_expression();
    if (kw("for") || (kw("async") && kw("for", 1))) {
      if (first->kind == Expr::Kind::starred)
        fail_at(*first, "iterable unpacking cannot be used in comprehension");
      auto c = node(Expr::Kind::list_comp, open);
      c->args.push_back(std::move(first));
      comprehension_clauses(*c);
      close("]", nullptr);
      return c;
    }
    l->args.push_back(std::move(first));
    elements(*l, "]");
    return l;
  }

  // The rest of a list's, a tuple's or a set's elements, and its closer.
  void elements(Expr& display, std::string_view closer) {
    while (op(",")) {
      take();
      if (op(closer)) break;
      display.args.push_back(star_named_expression());
      if (kw("for"))
        fail_at(*display.args.front(), "did you forget parentheses around the "
                                       "comprehension target?");
    }
    close(closer, display.args.back().get());
  }

  ExprPtr brace_display() {
    const Token open = take();
    if (op("}")) {
      take();
      return node(Expr::Kind::dict, open);
    }
    ExprPtr key, value;
    if (op("**")) {
      take();
      value = binary(BOR);
    } else {
      auto first = star_named_expression();
      if (first->kind == Expr::Kind::starred || !op(":")) { // a set
        if (kw("for") || (kw("async") && kw("for", 1))) {
          if (first->kind == Expr::Kind::starred)
            fail_at(*first, "iterable unpacking cannot be used in comprehension");
          auto c = node(Expr::Kind::set_comp, open);
          c->args.push_back(std::move(first));
          comprehension_clauses(*c);
          close("}", nullptr);
          return c;
        }
        auto s = node(Expr::Kind::set, open);
        s->args.push_back(std::move(first));
        elements(*s, "}");
        return s;
      }
      take(); // :
      key = std::move(first);
      value = expression();
    }
    if (kw("for") || (kw("async") && kw("for", 1))) {
      if (!key) fail(open, "dict unpacking cannot be used in dict comprehension");
      auto c = node(Expr::Kind::dict_comp, open);
      c->args.push_back(std::move(key));
      c->args.push_back(std::move(value));
      comprehension_clauses(*c);
      close("}", nullptr);
      return c;
    }
    auto d = node(Expr::Kind::dict, open);
    d->args.push_back(std::move(key));
    d->args.push_back(std::move(value));
    while (op(",")) {
      take();
      if (op("}")) break;
      if (op("**")) {
        take();
        d->args.push_back(nullptr);
        d->args.push_back(binary(BOR));
        continue;
      }
      auto k = expression();
      if (!op(":")) fail(peek(), "':' expected after dictionary key");
      take();
      d->args.push_back(std::move(k));
      d->args.push_back(expression());
    }
    close("}", d->args.back().get());
    return d;
  }

  void comprehension_clauses(Expr& comp) {
    while (kw("for") || (kw("async") && kw("for", 1))) {
      if (kw("async")) fail(peek(), not_in_subset("an asynchronous comprehension (`async for`)"));
      take();
      ForClause c;
      c.target = target_list();
      check_target(*c.target, Use::comprehension, nullptr);
      if (!kw("in")) unexpected();
      take();
      c.iter = binary(OR);
      while (kw("if")) {
        take();
        c.ifs.push_back(binary(OR));
      }
      comp.clauses.push_back(std::move(c));
    }
  }

  // A generator expression that awaits would be an asynchronous generator:
  // its first iterable alone is the enclosing function's.
  void check_generator(const Expr& g) const {
    std::vector<const Expr*> stack{g.args[0].get()};
    for (std::size_t i = 0; i < g.clauses.size(); ++i) {
      if (i > 0) stack.push_back(g.clauses[i].iter.get());
      for (const auto& c : g.clauses[i].ifs)
        stack.push_back(c.get());
    }
    while (!stack.empty()) {
      const Expr* e = stack.back();
      stack.pop_back();
      if (e->kind == Expr::Kind::await_)
        fail_at(*e, not_in_subset("`await` in a generator expression (an asynchronous "
                                  "generator)"));
      for_each_child(*e, [&](const Expr& c) { stack.push_back(&c); });
    }
  }

  // Targets of for and of comprehensions: a, *b, c[0], d.e
  ExprPtr target_list() {
    auto first = star_target();
    if (!op(",")) return first;
    auto t = node_at(Expr::Kind::tuple, *first);
    t->args.push_back(std::move(first));
    while (op(",")) {
      take();
      if (!starts_expression(peek()) && !op("*")) break;
      t->args.push_back(star_target());
    }
    return t;
  }
  ExprPtr star_target() {
    if (!op("*")) return binary(BOR);
    const Token t = take();
    auto e = node(Expr::Kind::starred, t);
    e->args.push_back(binary(BOR));
    return e;
  }

  // -------------------------------------------------------------------------
  // Literals

  ExprPtr number(const Token& t) {
    std::string digits;
    for (const char c : text(t))
      if (c != '_') digits += c;
    auto e = node(Expr::Kind::literal, t);
    if (t.number == Token::Number::real) {
      double d = 0;
      const auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), d);
      if (ec == std::errc::result_out_of_range)
        d = magnitude(digits) > 0 ? std::numeric_limits<double>::infinity() : 0.0;
      else if (ec != std::errc() || p != digits.data() + digits.size())
        fail(t, "invalid decimal literal");
      e->literal = Object(d);
      return e;
    }
    int base = 10;
    std::string_view body = digits;
    if (t.number != Token::Number::decimal) {
      base = t.number == Token::Number::hex ? 16 : t.number == Token::Number::octal ? 8 : 2;
      body.remove_prefix(2);
    }
    std::uint64_t v = 0;
    const auto [p, ec] = std::from_chars(body.data(), body.data() + body.size(), v, base);
    if (ec != std::errc() ||
        v > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
      fail(t, not_in_subset("an int past 64 bits (9223372036854775807 at most)"));
    if (p != body.data() + body.size()) fail(t, "invalid decimal literal");
    e->literal = Object(static_cast<std::int64_t>(v));
    return e;
  }

  // Roughly where a float's first digit is (its decimal exponent): beyond
  // the doubles, positive is infinity and negative zero.
  static long long magnitude(std::string_view digits) {
    const auto e_at = digits.find_first_of("eE");
    const auto mantissa = digits.substr(0, e_at);
    long long exponent = 0;
    if (e_at != std::string_view::npos) {
      auto exp = digits.substr(e_at + 1);
      const bool negative = !exp.empty() && exp[0] == '-';
      if (!exp.empty() && (exp[0] == '-' || exp[0] == '+')) exp.remove_prefix(1);
      for (const char c : exp)
        exponent = std::min<long long>(exponent * 10 + (c - '0'), 1'000'000'000);
      if (negative) exponent = -exponent;
    }
    const auto point = mantissa.find('.');
    const auto whole = mantissa.substr(0, point);
    const auto first = whole.find_first_not_of('0');
    if (first != std::string_view::npos)
      return exponent + static_cast<long long>(whole.size() - first);
    const auto fraction =
        point == std::string_view::npos ? std::string_view() : mantissa.substr(point + 1);
    const auto nonzero = fraction.find_first_not_of('0');
    return exponent - static_cast<long long>(nonzero == std::string_view::npos ? 0 : nonzero);
  }

  // Adjacent string literals, one value: a str, or an f-string if any is.
  ExprPtr strings() {
    const Token first = peek();
    FString f;
    std::string pending; // literal text not yet a piece
    bool fstring = false;
    while (at(Token::Kind::string)) {
      const Token t = take();
      const auto form = string_form(sh_.src, t);
      if (form.bytes) fail(t, not_in_subset("a bytes literal (b'...')"));
      Locator where(sh_.src, t);
      if (form.f) {
        fstring = true;
        fstring_parse(form.body_begin, form.body_end, form.raw, 0, where, f, pending);
      } else {
        decode_string(sh_.src, form.body_begin, form.body_end, form.raw, where, pending);
      }
      if (pending.size() > script::max_str_bytes)
        fail(first, fmt::format("this string is more than {} bytes long", script::max_str_bytes));
    }
    auto e = node(fstring ? Expr::Kind::fstring : Expr::Kind::literal, first);
    if (!fstring) {
      e->literal = Object(std::move(pending));
      return e;
    }
    flush(f, pending);
    e->fstring = std::make_unique<FString>(std::move(f));
    return e;
  }

  static void flush(FString& f, std::string& pending) {
    if (pending.empty()) return;
    if (!f.pieces.empty() && !f.pieces.back().expr) {
      f.pieces.back().text += pending;
    } else {
      FString::Piece p;
      p.text = std::move(pending);
      f.pieces.push_back(std::move(p));
    }
    pending.clear();
  }

  [[noreturn]] void fail_in(Locator& where, std::uint32_t at, std::string message) const {
    SyntaxFailure f;
    where.at(at, f.line, f.column);
    f.message = std::move(message);
    throw f;
  }

  // An f-string's text from `s`, as CPython 3.11's fstring_parse reads it:
  // literal text (escapes decoded unless raw, {{ and }} as braces) and
  // fields. At level 0 it reads to `end`; in a format spec (level 1) to the
  // '}' that ends it, and returns where that is.
  std::uint32_t fstring_parse(std::uint32_t s, std::uint32_t end, bool raw, int level,
                              Locator& where, FString& out, std::string& pending) {
    const auto src = sh_.src;
    for (;;) {
      const std::uint32_t literal = s;
      bool doubled = false;
      while (s < end) {
        char ch = src[s++];
        if (!raw && ch == '\\' && s < end) {
          ch = src[s++];
          if (ch == 'N') { // \N{...}: its braces are not a field's
            if (s < end && src[s++] == '{')
              while (s < end && src[s++] != '}') {
              }
            continue;
          }
        }
        if (ch == '{' || ch == '}') {
          if (level == 0) {
            if (s < end && src[s] == ch) { // {{ or }}: the brace, once
              decode_string(src, literal, s, raw, where, pending);
              ++s;
              doubled = true;
              break;
            }
            if (ch == '}') fail_in(where, s - 1, "f-string: single '}' is not allowed");
          }
          --s;
          break;
        }
      }
      if (doubled) continue;
      decode_string(src, literal, s, raw, where, pending);
      if (s >= end || src[s] == '}') break;
      s = fstring_field(s, end, raw, level, where, out, pending);
    }
    if (level > 0 && (s >= end || src[s] != '}')) fail_in(where, s, "f-string: expecting '}'");
    return s;
  }

  // One {field} of an f-string, `s` at its '{'; returns where it ends.
  std::uint32_t fstring_field(std::uint32_t s, std::uint32_t end, bool raw, int level,
                              Locator& where, FString& out, std::string& pending) {
    const auto src = sh_.src;
    if (level >= 2) fail_in(where, s, "f-string: expressions nested too deeply");
    const std::uint32_t expr_begin = ++s;
    // The expression ends at a '}', '!', ':' or '=' outside brackets and
    // strings (not at !=, ==, <=, >=); it holds no backslash and no '#'.
    char quote = 0;
    int quotes = 0;
    std::vector<char> parens;
    for (; s < end; ++s) {
      const char ch = src[s];
      if (ch == '\\') fail_in(where, s, "f-string expression part cannot include a backslash");
      if (quote) {
        if (ch == quote) {
          if (quotes == 3) {
            if (s + 2 < end && src[s + 1] == ch && src[s + 2] == ch) {
              s += 2;
              quote = 0;
            }
          } else {
            quote = 0;
          }
        }
        continue;
      }
      if (ch == '\'' || ch == '"') {
        quotes = s + 2 < end && src[s + 1] == ch && src[s + 2] == ch ? 3 : 1;
        if (quotes == 3) s += 2;
        quote = ch;
      } else if (ch == '[' || ch == '{' || ch == '(') {
        if (parens.size() >= Lexer::max_brackets)
          fail_in(where, s, "f-string: too many nested parenthesis");
        parens.push_back(ch);
      } else if (ch == '#') {
        fail_in(where, s, "f-string expression part cannot include '#'");
      } else if (parens.empty() &&
                 (ch == '!' || ch == ':' || ch == '}' || ch == '=' || ch == '>' || ch == '<')) {
        if (s + 1 < end && src[s + 1] == '=' && ch != ':' && ch != '}') {
          ++s; // != == <= >=
          continue;
        }
        if (ch == '>' || ch == '<') continue;
        break;
      } else if (ch == ']' || ch == '}' || ch == ')') {
        if (parens.empty()) fail_in(where, s, fmt::format("f-string: unmatched '{}'", ch));
        const char open = parens.back();
        parens.pop_back();
        if ((open == '(' && ch != ')') || (open == '[' && ch != ']') || (open == '{' && ch != '}'))
          fail_in(where, s,
                  fmt::format("f-string: closing parenthesis '{}' does not match opening "
                              "parenthesis '{}'",
                              ch, open));
      }
    }
    const std::uint32_t expr_end = s;
    if (quote) fail_in(where, expr_begin, "f-string: unterminated string");
    if (!parens.empty()) fail_in(where, s, fmt::format("f-string: unmatched '{}'", parens.back()));
    if (s >= end) fail_in(where, s, "f-string: expecting '}'");

    FString::Piece piece;
    piece.offset = static_cast<int>(expr_begin);
    piece.expr = field_expression(expr_begin, expr_end, where);
    if (src[s] == '=') { // f"{x = }": its text, then its value
      piece.self_documenting = newlines_as_python_reads(src.substr(expr_begin, s - expr_begin));
      const std::uint32_t spaces = ++s;
      while (s < end && std::string_view(" \t\n\r\f\v").find(src[s]) != std::string_view::npos)
        ++s;
      if (s >= end) fail_in(where, s, "f-string: expecting '}'");
      piece.self_documenting_tail = newlines_as_python_reads(src.substr(spaces, s - spaces));
    }
    if (src[s] == '!') {
      ++s;
      if (s >= end) fail_in(where, s, "f-string: expecting '}'");
      const char c = src[s++];
      if (c != 's' && c != 'r' && c != 'a')
        fail_in(where, s - 1, "f-string: invalid conversion character: expected 's', 'r', or 'a'");
      piece.conversion = c;
    }
    if (s < end && src[s] == ':') {
      ++s;
      if (s >= end) fail_in(where, s, "f-string: expecting '}'");
      FString spec;
      std::string spec_pending;
      s = fstring_parse(s, end, raw, level + 1, where, spec, spec_pending);
      flush(spec, spec_pending);
      const bool fields = std::any_of(spec.pieces.begin(), spec.pieces.end(),
                                      [](const FString::Piece& p) { return p.expr != nullptr; });
      if (fields || spec.pieces.empty()) // {x:{w}}, and {x:} (an empty spec, kept)
        piece.spec_fields = std::make_unique<FString>(std::move(spec));
      else
        piece.spec = std::move(spec.pieces.front().text);
    }
    if (s >= end || src[s] != '}') fail_in(where, s, "f-string: expecting '}'");
    ++s;
    flush(out, pending);
    out.pieces.push_back(std::move(piece));
    return s;
  }

  static std::string newlines_as_python_reads(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '\r') {
        out += '\n';
        if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
      } else {
        out += text[i];
      }
    }
    return out;
  }

  // A field's expression, parsed where it is (its tokens at their own lines
  // and columns), as if in parentheses.
  ExprPtr field_expression(std::uint32_t begin, std::uint32_t end, Locator& where) {
    const auto text = sh_.src.substr(begin, end - begin);
    if (text.find_first_not_of(" \t\n\r\f\v") == std::string_view::npos)
      fail_in(where, begin, "f-string: empty expression not allowed");
    int line = 0, column = 0;
    where.at(begin, line, column);
    const Nest nest(*this);
    Parser inner(sh_, Lexer(sh_.src, begin, end, line, column), true);
    try {
      return inner.field();
    } catch (SyntaxFailure& f) {
      if (f.message.rfind("f-string", 0) != 0 && f.message.rfind("asyncdemo runs", 0) != 0)
        f.message = "f-string: " + f.message;
      throw;
    }
  }

  Shared& sh_;
  Lexer lex_;
  bool fstring_;
  std::vector<Token> buf_;
  std::size_t i_ = 0;
  int last_end_line_ = 0;
};

// Where a byte is, for the messages before there are tokens.
std::pair<int, int> place_of(std::string_view source, std::size_t byte) {
  int line = 1, column = 1;
  for (std::size_t i = 0; i < byte && i < source.size(); ++i) {
    if (source[i] == '\n' ||
        (source[i] == '\r' && (i + 1 >= source.size() || source[i + 1] != '\n'))) {
      ++line;
      column = 1;
    } else if ((static_cast<unsigned char>(source[i]) & 0xC0) != 0x80 && source[i] != '\r') {
      ++column;
    }
  }
  return {line, column};
}

// A declaration of another encoding (PEP 263) in the first two lines.
void check_encoding(std::string_view source) {
  std::size_t start = source.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
  for (int line = 1; line <= 2 && start < source.size(); ++line) {
    const auto nl = source.find_first_of("\r\n", start);
    const auto text = source.substr(start, nl == std::string_view::npos ? nl : nl - start);
    const auto hash = text.find_first_not_of(" \t\f");
    if (hash == std::string_view::npos || text[hash] != '#') {
      if (hash != std::string_view::npos) return; // code: no declaration after it
    } else if (const auto c = text.find("coding"); c != std::string_view::npos &&
                                                   c + 6 < text.size() &&
                                                   (text[c + 6] == ':' || text[c + 6] == '=')) {
      auto p = c + 7;
      while (p < text.size() && (text[p] == ' ' || text[p] == '\t'))
        ++p;
      auto q = p;
      while (q < text.size() && (std::isalnum(static_cast<unsigned char>(text[q])) ||
                                 text[q] == '-' || text[q] == '_' || text[q] == '.'))
        ++q;
      std::string name(text.substr(p, q - p));
      for (auto& ch : name)
        ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      std::replace(name.begin(), name.end(), '_', '-');
      if (!name.empty() && name != "utf-8" && name != "utf8" && name.rfind("utf-8-", 0) != 0)
        throw SyntaxFailure{
            line, static_cast<int>(p + 1),
            not_in_subset(fmt::format("a source encoding other than UTF-8 ({})", quote(name)))};
      return;
    }
    if (nl == std::string_view::npos) return;
    start = nl + (source[nl] == '\r' && nl + 1 < source.size() && source[nl + 1] == '\n' ? 2 : 1);
  }
}

} // namespace

script::Block parse_program(std::string_view source) {
  check_encoding(source);
  Shared shared;
  shared.src = source;
  Parser parser(shared, Lexer(source), false);
  try {
    return parser.file();
  } catch (const SyntaxFailure& f) {
    throw parser.prefer_tokenizer_errors(f);
  }
}

} // namespace asyncdemo::python

namespace asyncdemo::script {

std::variant<Block, ParseError> parse_python(std::string_view source, const std::string& file) {
  const auto error = [&](int line, int column, const std::string& what) {
    const auto shown = escape_like_repr(what);
    return ParseError{fmt::format("{}:{}:{}: {}", escape_like_repr(file), line, column, shown),
                      line, column, shown};
  };
  if (source.size() > max_program_bytes) {
    const auto what = fmt::format("the program is {} bytes; a program is at most {} bytes (1 MiB)",
                                  source.size(), max_program_bytes);
    return ParseError{fmt::format("{}: {}", escape_like_repr(file), what), 0, 0, what};
  }
  if (const auto nul = source.find('\0'); nul != std::string_view::npos) {
    const auto [line, column] = python::place_of(source, nul);
    return error(line, column, "source code cannot contain null bytes");
  }
  if (!valid_utf8(source)) {
    std::size_t i = 0;
    for (char32_t cp = 0; i < source.size();) {
      const auto n = decode_utf8(source, i, cp);
      if (n == 0) break;
      i += n;
    }
    const auto [line, column] = python::place_of(source, i);
    return error(line, column,
                 fmt::format("this is not UTF-8 (byte 0x{:02X}); a Python program is UTF-8 text",
                             static_cast<unsigned char>(source[i])));
  }
  try {
    return python::parse_program(source);
  } catch (const python::SyntaxFailure& f) {
    return error(f.line, f.column, f.message);
  }
}

} // namespace asyncdemo::script
