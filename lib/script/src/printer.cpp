// The expressions and f-strings written back as Python source, for the
// Python twin: minimal parentheses, by precedence.
#include "asyncdemo/script/expr.hpp"

#include "asyncdemo/teach/python.hpp"

#include <fmt/format.h>

namespace asyncdemo {

namespace {

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
