// Python source from trees: the expressions and f-strings (minimal
// parentheses, by precedence) and the statements of a program (ast.hpp).
// Whatever a file says reaches the source as a literal: a string as repr
// writes it, an f-string's literal text escaped, a format spec the f-string
// could read as code written as format()'s argument instead.
#include "asyncdemo/script/ast.hpp"
#include "asyncdemo/script/expr.hpp"

#include "asyncdemo/teach/python.hpp"
#include "asyncdemo/text/quote.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>
#include <vector>

namespace asyncdemo {

namespace {

// ---------------------------------------------------------------------------
// Python source: minimal parentheses, by precedence (the language
// reference's table, lowest first).

namespace prec {
constexpr int tuple = 0, lambda = 1, cond = 2, or_ = 3, and_ = 4, not_ = 5, compare = 6, bit_or = 7,
              bit_xor = 8, bit_and = 9, shift = 10, sum = 11, product = 12, unary = 13, power = 14,
              await_ = 15, primary = 16, atom = 17;
} // namespace prec

int binary_precedence(const std::string& op) {
  if (op == "|") return prec::bit_or;
  if (op == "^") return prec::bit_xor;
  if (op == "&") return prec::bit_and;
  if (op == "<<" || op == ">>") return prec::shift;
  if (op == "+" || op == "-") return prec::sum;
  if (op == "**") return prec::power;
  return prec::product;
}

int precedence(const Expr& e) {
  switch (e.kind) {
  case Expr::Kind::tuple:
    return prec::tuple; // in parentheses wherever another expression holds it
  case Expr::Kind::lambda:
    return prec::lambda;
  case Expr::Kind::cond:
    return prec::cond;
  case Expr::Kind::logic:
    return e.op == "or" ? prec::or_ : prec::and_;
  case Expr::Kind::unary:
    return e.op == "not" ? prec::not_ : prec::unary;
  case Expr::Kind::compare:
    return prec::compare;
  case Expr::Kind::binary:
    return binary_precedence(e.op);
  case Expr::Kind::await_:
    return prec::await_;
  case Expr::Kind::call:
  case Expr::Kind::index:
  case Expr::Kind::attribute:
    return prec::primary;
  case Expr::Kind::literal: // a negative number is written as a unary minus
    if ((e.literal.kind() == Object::Kind::integer && e.literal.integer() < 0) ||
        (e.literal.kind() == Object::Kind::real && std::signbit(e.literal.real())))
      return prec::unary;
    return prec::atom;
  default:
    return prec::atom;
  }
}

// A literal as Python source: repr, but for the floats repr does not write
// as a literal (inf is 1e309, as Python reads it; nan has no literal).
std::string literal_python(const Object& o) {
  if (o.kind() == Object::Kind::real && !std::isfinite(o.real())) {
    if (std::isnan(o.real())) return "float('nan')";
    return o.real() < 0 ? "-1e309" : "1e309";
  }
  return o.repr();
}

std::string fstring_python(const FString& f);
std::string python(const Expr& e, int min_prec);

std::string joined(const std::vector<ExprPtr>& items, std::size_t from = 0) {
  std::string out;
  for (std::size_t i = from; i < items.size(); ++i)
    out += (i > from ? ", " : "") + python(*items[i], prec::lambda);
  return out;
}

std::string clauses(const std::vector<ForClause>& cs) {
  std::string out;
  for (const auto& c : cs) {
    out += " for " + python(*c.target, prec::tuple) + " in " + python(*c.iter, prec::or_);
    for (const auto& cond : c.ifs)
      out += " if " + python(*cond, prec::or_);
  }
  return out;
}

std::string parameters(const std::vector<Parameter>& ps) {
  std::string out;
  bool star = false;
  for (const auto& p : ps) {
    if (!out.empty()) out += ", ";
    if (p.kind == Parameter::Kind::keyword_only && !star) {
      out += "*, ";
      star = true;
    }
    if (p.kind == Parameter::Kind::var_positional) {
      out += "*";
      star = true;
    }
    if (p.kind == Parameter::Kind::var_keyword) out += "**";
    out += p.name;
    if (p.annotation) out += ": " + python(*p.annotation, prec::lambda);
    if (p.default_value)
      out += (p.annotation ? " = " : "=") + python(*p.default_value, prec::lambda);
  }
  return out;
}

// A call's argument: *x and **x take any expression there.
std::string argument(const Expr& a) {
  if (a.kind == Expr::Kind::starred) return "*" + python(*a.args[0], prec::lambda);
  if (a.kind == Expr::Kind::keyword && a.name.empty())
    return "**" + python(*a.args[0], prec::lambda);
  return python(a, prec::lambda);
}

std::string python(const Expr& e, int min_prec) {
  std::string out;
  switch (e.kind) {
  case Expr::Kind::literal:
    out = literal_python(e.literal);
    break;
  case Expr::Kind::name:
    out = e.name;
    break;
  case Expr::Kind::unary:
    out = e.op == "not" ? "not " + python(*e.args[0], prec::not_)
                        : e.op + python(*e.args[0], prec::unary);
    break;
  case Expr::Kind::binary: {
    const int p = precedence(e);
    if (e.op == "**") // right-associative, and its right side may be unary: 2 ** -1
      out = python(*e.args[0], p + 1) + " ** " + python(*e.args[1], prec::unary);
    else
      out = python(*e.args[0], p) + " " + e.op + " " + python(*e.args[1], p + 1);
    break;
  }
  case Expr::Kind::compare:
    out = python(*e.args[0], prec::compare + 1);
    for (std::size_t i = 1; i < e.args.size(); ++i)
      out +=
          " " + (e.ops.empty() ? e.op : e.ops[i - 1]) + " " + python(*e.args[i], prec::compare + 1);
    break;
  case Expr::Kind::logic: {
    const int p = precedence(e);
    out = python(*e.args[0], p + 1);
    for (std::size_t i = 1; i < e.args.size(); ++i)
      out += " " + e.op + " " + python(*e.args[i], p + 1);
    break;
  }
  case Expr::Kind::cond: // a lambda after else parenthesised: an f-string's field ends at ':'
    out = python(*e.args[0], prec::cond + 1) + " if " + python(*e.args[1], prec::cond + 1) +
          " else " + python(*e.args[2], prec::cond);
    break;
  case Expr::Kind::call:
    // A lone generator argument needs no parentheses of its own: f(x for x in y).
    if (e.args.size() == 1 && e.args[0]->kind == Expr::Kind::generator) {
      const auto& g = *e.args[0];
      out = (e.callee ? python(*e.callee, prec::primary) : e.name) + "(" +
            python(*g.args[0], prec::lambda) + clauses(g.clauses) + ")";
      break;
    }
    out = (e.callee ? python(*e.callee, prec::primary) : e.name) + "(";
    for (std::size_t i = 0; i < e.args.size(); ++i)
      out += (i ? ", " : "") + argument(*e.args[i]);
    out += ")";
    break;
  case Expr::Kind::attribute: {
    out = python(*e.args[0], prec::primary);
    // 1 .real: an int literal's own point would take the dot.
    if (e.args[0]->kind == Expr::Kind::literal &&
        e.args[0]->literal.kind() == Object::Kind::integer && e.args[0]->literal.integer() >= 0)
      out = "(" + out + ")";
    out += "." + e.name;
    break;
  }
  case Expr::Kind::keyword:
    out = e.name.empty() ? "**" + python(*e.args[0], prec::bit_or)
                         : e.name + "=" + python(*e.args[0], prec::lambda);
    break;
  case Expr::Kind::starred:
    out = "*" + python(*e.args[0], prec::bit_or);
    break;
  case Expr::Kind::await_:
    out = "await " + python(*e.args[0], prec::primary);
    break;
  case Expr::Kind::tuple:
    out = joined(e.args);
    if (e.args.size() == 1) out += ",";
    if (e.args.empty()) out = "()";
    break;
  case Expr::Kind::fstring:
    out = fstring_python(*e.fstring);
    break;
  case Expr::Kind::index: {
    const auto& i = *e.args[1];
    // A tuple index is written bare: d[1, 2].
    const auto inside = i.kind == Expr::Kind::tuple && !i.args.empty()
                            ? joined(i.args) + (i.args.size() == 1 ? "," : "")
                            : python(i, prec::tuple);
    out = python(*e.args[0], prec::primary) + "[" + inside + "]";
    break;
  }
  case Expr::Kind::slice:
    if (e.args[0]) out += python(*e.args[0], prec::lambda);
    out += ":";
    if (e.args[1]) out += python(*e.args[1], prec::lambda);
    if (e.args.size() > 2 && e.args[2]) out += ":" + python(*e.args[2], prec::lambda);
    break;
  case Expr::Kind::list:
    out = "[" + joined(e.args) + "]";
    break;
  case Expr::Kind::set:
    out = e.args.empty() ? "set()" : "{" + joined(e.args) + "}";
    break;
  case Expr::Kind::dict:
    out = "{";
    for (std::size_t i = 0; i + 1 < e.args.size(); i += 2) {
      if (i) out += ", ";
      if (!e.args[i]) // {**other}
        out += "**" + python(*e.args[i + 1], prec::bit_or);
      else
        out += python(*e.args[i], prec::lambda) + ": " + python(*e.args[i + 1], prec::lambda);
    }
    out += "}";
    break;
  case Expr::Kind::comprehension:
    out = "[" + python(*e.args[0], prec::lambda) + " for " + e.name + " in " +
          python(*e.args[1], prec::or_);
    if (e.args.size() > 2) out += " if " + python(*e.args[2], prec::or_);
    out += "]";
    break;
  case Expr::Kind::list_comp:
    out = "[" + python(*e.args[0], prec::lambda) + clauses(e.clauses) + "]";
    break;
  case Expr::Kind::set_comp:
    out = "{" + python(*e.args[0], prec::lambda) + clauses(e.clauses) + "}";
    break;
  case Expr::Kind::dict_comp:
    out = "{" + python(*e.args[0], prec::lambda) + ": " + python(*e.args[1], prec::lambda) +
          clauses(e.clauses) + "}";
    break;
  case Expr::Kind::generator:
    out = "(" + python(*e.args[0], prec::lambda) + clauses(e.clauses) + ")";
    break;
  case Expr::Kind::lambda: {
    const auto ps = parameters(e.params);
    out = "lambda" + (ps.empty() ? std::string() : " " + ps) + ": " +
          python(*e.args[0], prec::lambda);
    break;
  }
  }
  return precedence(e) < min_prec ? "(" + out + ")" : out;
}

// Literal text inside an f-string: backslashes and both quotes escaped,
// invisible characters as repr writes them, braces doubled (at the top
// level; a format spec cannot hold one).
// A literal piece of an f-string written in quotes `quote`: only that
// quote is escaped, so that an f-string nested in a field, whose source
// may hold no backslash, needs none when its quotes were chosen well.
std::string fstring_literal(std::string_view text, char quote, bool braces = true) {
  std::string plain;
  for (const char c : text) {
    if (braces && (c == '{' || c == '}'))
      plain += std::string(2, c);
    else if (c == '\\' || c == quote)
      plain += std::string("\\") + c;
    else
      plain += c;
  }
  return escape_like_repr(plain);
}

} // namespace

std::string to_python(const Expr& e) {
  return python(e, prec::tuple);
}

std::string parameters_python(const std::vector<Parameter>& ps) {
  return parameters(ps);
}

std::string to_python(const FString& f) {
  return fstring_python(f);
}

namespace {

// A format spec's literal text as an f-string holds it: anything but a
// brace, which would open a field.
bool plain_spec(std::string_view spec) {
  return spec.find_first_of("{}") == std::string_view::npos;
}

// A field's expression inside the braces: a lambda parenthesised (its ':'
// would end the expression), a brace first kept apart from the field's own,
// and a tab in its strings written as itself (a field holds no backslash;
// any other escape leaves the field to format()).
std::string field_code(const Expr& e) {
  const auto printed = python(e, prec::cond);
  std::string code = !printed.empty() && printed.front() == '{' ? " " : "";
  for (std::size_t i = 0; i < printed.size(); ++i) {
    if (printed[i] == '\\' && i + 1 < printed.size() && printed[i + 1] == 't') {
      code += '\t';
      ++i;
    } else if (printed[i] == '\\' && i + 1 < printed.size()) {
      code += printed.substr(i, 2);
      ++i;
    } else {
      code += printed[i];
    }
  }
  return code;
}

// Every piece of source an f-string's fields put between its quotes (their
// expressions, or the text a self-documenting field shows), its specs' too;
// false if a field cannot be written inside an f-string at all.
bool field_sources(const FString& f, std::vector<std::string>& out) {
  for (const auto& p : f.pieces) {
    if (!p.expr) continue;
    if (p.self_documenting.empty()) {
      out.push_back(field_code(*p.expr));
    } else {
      out.push_back(p.self_documenting);
      out.push_back(p.self_documenting_tail);
    }
    if (p.spec_fields) {
      for (const auto& s : p.spec_fields->pieces)
        if (!s.expr && !plain_spec(s.text)) return false;
      if (!field_sources(*p.spec_fields, out)) return false;
    } else if (!plain_spec(p.spec)) {
      return false;
    }
  }
  return true;
}

// Whether `code` can stand between an f-string's braces in quotes `q`
// (Python 3.11): no backslash anywhere, no '#' outside its own strings, not
// the string's quote (or, triple-quoted, its three quotes), no newline
// unless triple-quoted.
bool fits_in_field(std::string_view code, std::string_view q) {
  if (code.find('\\') != std::string_view::npos) return false;
  if (q.size() == 1 ? code.find_first_of(std::string(q) + "\n") != std::string_view::npos
                    : code.find(q) != std::string_view::npos)
    return false;
  char quote = 0;
  int quotes = 0;
  for (std::size_t i = 0; i < code.size();
       ++i) { // strings as CPython's fstring_find_expr sees them
    const char c = code[i];
    if (quote) {
      if (c == quote && (quotes == 1 || code.substr(i, 3) == std::string(3, quote))) {
        i += static_cast<std::size_t>(quotes - 1);
        quote = 0;
      }
    } else if (c == '\'' || c == '"') {
      quote = c;
      quotes = code.substr(i, 3) == std::string(3, c) ? 3 : 1;
      i += static_cast<std::size_t>(quotes - 1);
    } else if (c == '#') {
      return false;
    }
  }
  return true;
}

// The quotes an f-string can be written in, by Python 3.11's rules (each
// field fits in them); nothing if no quotes will do.
// Quotes its literal text does not hold come first: nested in another
// f-string's field, it is then written without a backslash.
std::optional<std::string_view> fstring_quotes(const FString& f) {
  std::vector<std::string> sources;
  if (!field_sources(f, sources)) return std::nullopt;
  static constexpr std::array<std::string_view, 4> quotes{"\"", "'", "\"\"\"", "'''"};
  std::optional<std::string_view> first;
  for (const auto q : quotes) {
    const bool fits = std::all_of(sources.begin(), sources.end(),
                                  [&](const std::string& s) { return fits_in_field(s, q); });
    if (!fits) continue;
    const bool unescaped = std::none_of(f.pieces.begin(), f.pieces.end(), [&](const auto& p) {
      return !p.expr && p.text.find(q[0]) != std::string::npos;
    });
    if (unescaped) return q;
    if (!first) first = q;
  }
  return first;
}

// A field as an f-string holds it: {expr=!c:spec}, the spec's own fields
// inside it.
std::string field_python(const FString::Piece& p, char quote) {
  std::string out =
      "{" + (p.self_documenting.empty() ? field_code(*p.expr)
                                        : p.self_documenting + "=" + p.self_documenting_tail);
  if (p.conversion) out += std::string("!") + p.conversion;
  if (p.spec_fields) {
    out += ":";
    for (const auto& s : p.spec_fields->pieces)
      out += s.expr ? field_python(s, quote) : fstring_literal(s.text, quote, false);
  } else if (!p.spec.empty()) {
    out += ":" + fstring_literal(p.spec, quote, false);
  }
  return out + "}";
}

std::string fstring_python(const FString& f) {
  const bool any = std::any_of(f.pieces.begin(), f.pieces.end(),
                               [](const FString::Piece& p) { return p.expr != nullptr; });
  if (!any) { // no placeholder: a plain string, in double quotes unless it holds one
    std::string text;
    for (const auto& p : f.pieces)
      text += p.text;
    return text.find('"') != std::string::npos ? Object(text).repr() : py_str(text);
  }
  // An f-string, in the first quotes its fields allow; if none will do,
  // format() and +, every piece a literal.
  if (const auto q = fstring_quotes(f)) {
    std::string out = "f" + std::string(*q);
    for (const auto& p : f.pieces)
      out += p.expr ? field_python(p, (*q)[0]) : fstring_literal(p.text, (*q)[0]);
    return out + std::string(*q);
  }
  std::string out;
  for (const auto& p : f.pieces) {
    if (!out.empty()) out += " + ";
    if (!p.expr) {
      out += Object(p.text).repr();
      continue;
    }
    if (!p.self_documenting.empty())
      out += Object(p.self_documenting + "=" + p.self_documenting_tail).repr() + " + ";
    const auto code = to_python(*p.expr);
    const char conversion = p.conversion ? p.conversion
                            : !p.self_documenting.empty() && p.spec.empty() && !p.spec_fields ? 'r'
                                                                                              : 0;
    const auto shown = conversion == 'r'   ? "repr(" + code + ")"
                       : conversion == 's' ? "str(" + code + ")"
                       : conversion == 'a' ? "ascii(" + code + ")"
                                           : code;
    const auto spec = p.spec_fields ? fstring_python(*p.spec_fields) : Object(p.spec).repr();
    out += "format(" + shown + ", " + spec + ")";
  }
  return out.empty() ? "''" : out;
}

} // namespace

namespace script {

std::string comment_text(std::string_view text) {
  // A comment is one line: a newline in it would end it, and the rest would
  // be code. Every character repr would escape is escaped.
  return escape_like_repr(text);
}

namespace {

void line(std::string& out, int indent, std::string_view text, std::string_view note = {}) {
  out.append(static_cast<std::size_t>(indent) * 4, ' ');
  out += text;
  if (!note.empty()) out += "  # " + comment_text(note);
  out += '\n';
}

void print(const Stmt& s, int indent, std::string& out);

void print_block(const Block& b, int indent, std::string& out) {
  if (b.empty()) {
    line(out, indent, "pass");
    return;
  }
  for (const auto& s : b)
    print(*s, indent, out);
}

std::string code(const Expr& e) {
  return to_python(e);
}
// An expression where Python's grammar takes `expression` (not a bare tuple).
std::string single(const Expr& e) {
  return python(e, prec::lambda);
}
// A target where a bare tuple would be read as several: del's, with's.
std::string one_target(const Expr& e) {
  return python(e, prec::tuple + 1);
}

// Where print_program_with keeps the origins, while it prints.
struct OriginLog {
  Origins* origins = nullptr;
  std::size_t counted = 0; // of the text, newlines counted so far
  int lines = 0;
};
thread_local OriginLog* t_origins = nullptr;

void print(const Stmt& s, int indent, std::string& out) {
  if (auto* log = t_origins; log && s.origin) {
    log->lines += static_cast<int>(
        std::count(out.begin() + static_cast<std::ptrdiff_t>(log->counted), out.end(), '\n'));
    log->counted = out.size();
    log->origins->emplace_back(s.origin, log->lines + 1);
  }
  const std::string async = s.is_async ? "async " : "";
  switch (s.kind) {
  case Stmt::Kind::expr:
    line(out, indent, code(*s.value), s.note);
    break;
  case Stmt::Kind::assign: {
    std::string text;
    for (const auto& t : s.targets)
      text += code(*t) + " = ";
    line(out, indent, text + code(*s.value), s.note);
    break;
  }
  case Stmt::Kind::aug_assign:
    line(out, indent, code(*s.target) + " " + s.op + "= " + code(*s.value), s.note);
    break;
  case Stmt::Kind::ann_assign:
    line(out, indent,
         code(*s.target) + ": " + single(*s.annotation) + (s.value ? " = " + code(*s.value) : ""),
         s.note);
    break;
  case Stmt::Kind::if_: {
    const Stmt* at = &s;
    line(out, indent, "if " + single(*at->value) + ":", at->note);
    for (;;) {
      print_block(at->body, indent + 1, out);
      // else: if ...: alone is an elif.
      if (at->orelse.size() == 1 && at->orelse.front()->kind == Stmt::Kind::if_) {
        at = at->orelse.front().get();
        line(out, indent, "elif " + single(*at->value) + ":", at->note);
        continue;
      }
      if (!at->orelse.empty()) {
        line(out, indent, "else:");
        print_block(at->orelse, indent + 1, out);
      }
      break;
    }
    break;
  }
  case Stmt::Kind::for_:
    line(out, indent, async + "for " + code(*s.target) + " in " + code(*s.value) + ":", s.note);
    print_block(s.body, indent + 1, out);
    if (!s.orelse.empty()) {
      line(out, indent, "else:");
      print_block(s.orelse, indent + 1, out);
    }
    break;
  case Stmt::Kind::while_:
    line(out, indent, "while " + single(*s.value) + ":", s.note);
    print_block(s.body, indent + 1, out);
    if (!s.orelse.empty()) {
      line(out, indent, "else:");
      print_block(s.orelse, indent + 1, out);
    }
    break;
  case Stmt::Kind::return_:
    line(out, indent, s.value ? "return " + code(*s.value) : "return", s.note);
    break;
  case Stmt::Kind::raise_:
    line(out, indent,
         s.value ? "raise " + single(*s.value) + (s.cause ? " from " + single(*s.cause) : "")
                 : "raise",
         s.note);
    break;
  case Stmt::Kind::try_:
    line(out, indent, "try:", s.note);
    print_block(s.body, indent + 1, out);
    for (const auto& h : s.handlers) {
      std::string head = h.star ? "except*" : "except";
      if (h.type) head += " " + single(*h.type);
      if (!h.name.empty()) head += " as " + h.name;
      line(out, indent, head + ":");
      print_block(h.body, indent + 1, out);
    }
    if (!s.orelse.empty()) {
      line(out, indent, "else:");
      print_block(s.orelse, indent + 1, out);
    }
    if (!s.finalbody.empty() || s.handlers.empty()) {
      line(out, indent, "finally:");
      print_block(s.finalbody, indent + 1, out);
    }
    break;
  case Stmt::Kind::with_: {
    std::string items;
    for (const auto& item : s.items) {
      if (!items.empty()) items += ", ";
      // with (a, b): would be two items; with ((a, b)): is the tuple.
      const bool alone_tuple =
          s.items.size() == 1 && !item.target && item.context->kind == Expr::Kind::tuple;
      items += alone_tuple ? "(" + one_target(*item.context) + ")" : single(*item.context);
      if (item.target) items += " as " + one_target(*item.target);
    }
    line(out, indent, async + "with " + items + ":", s.note);
    print_block(s.body, indent + 1, out);
    break;
  }
  case Stmt::Kind::function:
    line(out, indent,
         async + "def " + s.name + "(" + parameters_python(s.params) + ")" +
             (s.annotation ? " -> " + single(*s.annotation) : "") + ":",
         s.note);
    print_block(s.body, indent + 1, out);
    break;
  case Stmt::Kind::global:
  case Stmt::Kind::nonlocal: {
    std::string names;
    for (const auto& n : s.names)
      names += (names.empty() ? "" : ", ") + n;
    line(out, indent, (s.kind == Stmt::Kind::global ? "global " : "nonlocal ") + names);
    break;
  }
  case Stmt::Kind::assert_:
    line(out, indent, "assert " + single(*s.value) + (s.cause ? ", " + single(*s.cause) : ""),
         s.note);
    break;
  case Stmt::Kind::del_: {
    std::string targets;
    for (const auto& t : s.targets)
      targets += (targets.empty() ? "" : ", ") + one_target(*t);
    line(out, indent, "del " + targets, s.note);
    break;
  }
  case Stmt::Kind::pass:
    line(out, indent, "pass", s.note);
    break;
  case Stmt::Kind::break_:
    line(out, indent, "break", s.note);
    break;
  case Stmt::Kind::continue_:
    line(out, indent, "continue", s.note);
    break;
  case Stmt::Kind::import:
  case Stmt::Kind::import_from: {
    std::string names;
    for (const auto& i : s.imports)
      names += (names.empty() ? "" : ", ") + i.name + (i.alias.empty() ? "" : " as " + i.alias);
    line(out, indent,
         s.kind == Stmt::Kind::import ? "import " + names : "from " + s.name + " import " + names);
    break;
  }
  case Stmt::Kind::comment:
    line(out, indent, "# " + comment_text(s.name));
    break;
  case Stmt::Kind::blank:
    out += '\n';
    break;
  }
}

} // namespace

std::string print_program(const Block& program) {
  std::string out;
  for (const auto& s : program)
    print(*s, 0, out);
  return out;
}

std::string print_program(const Block& program, Origins& origins) {
  OriginLog log{&origins};
  t_origins = &log;
  struct Done {
    ~Done() { t_origins = nullptr; }
  } done;
  return print_program(program);
}

} // namespace script

} // namespace asyncdemo
