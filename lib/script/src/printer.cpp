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
  case Expr::Kind::attribute:
    return 10;
  case Expr::Kind::await_:
    return 9; // binds as tightly as **'s left side: await x ** 2 is (await x) ** 2
  case Expr::Kind::tuple:
    return 0; // a tuple is in parentheses wherever another expression holds it
  default:
    return 11;
  }
}

std::string fstring_python(const FString& f);

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
    out = (e.callee ? python(*e.callee, 10) : e.name) + "(";
    for (std::size_t i = 0; i < e.args.size(); ++i)
      out += (i ? ", " : "") + python(*e.args[i], 1);
    out += ")";
    break;
  }
  case Expr::Kind::attribute:
    out = python(*e.args[0], 10) + "." + e.name;
    break;
  case Expr::Kind::keyword:
    out = e.name + "=" + python(*e.args[0], 1);
    break;
  case Expr::Kind::starred:
    out = "*" + python(*e.args[0], 6);
    break;
  case Expr::Kind::await_:
    out = "await " + python(*e.args[0], 10);
    break;
  case Expr::Kind::tuple:
    for (std::size_t i = 0; i < e.args.size(); ++i)
      out += (i ? ", " : "") + python(*e.args[i], 1);
    if (e.args.size() == 1) out += ",";
    break;
  case Expr::Kind::fstring:
    out = fstring_python(*e.fstring);
    break;
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
    out = "[" + python(*e.args[0], 1) + " for " + e.name + " in " + python(*e.args[1], 2);
    if (e.args.size() > 2) out += " if " + python(*e.args[2], 2);
    out += "]";
    break;
  }
  return precedence(e) < min_prec ? "(" + out + ")" : out;
}

// Literal text inside a Python f"..." string.
std::string fstring_literal(std::string_view text) {
  std::string plain;
  for (const char c : text) {
    if (c == '{' || c == '}')
      plain += std::string(2, c);
    else if (c == '\\' || c == '"')
      plain += std::string("\\") + c;
    else
      plain += c;
  }
  return escape_like_repr(plain);
}

} // namespace

std::string to_python(const Expr& e) {
  return python(e, 0);
}

std::string to_python(const Expr& e, int min_precedence) {
  return python(e, min_precedence);
}

std::string to_python(const FString& f) {
  return fstring_python(f);
}

namespace {

// A format spec an f-string holds as it is: its characters cannot open a
// nested field, end the string or escape (whatever the file wrote, and the
// reader checks specs too: format.cpp).
bool plain_spec(std::string_view spec) {
  return printable(spec) && spec.find_first_of("{}\\\"'#") == std::string_view::npos;
}

std::string fstring_python(const FString& f) {
  // An f-string, unless an expression holds a quote, a backslash or a '#'
  // (which an f-string's braces cannot hold before Python 3.12), or a spec
  // is not plain: then format() and +, every piece a literal.
  bool plain = true;
  for (const auto& p : f.pieces)
    if (p.expr &&
        (to_python(*p.expr).find_first_of("\"\\#") != std::string::npos || !plain_spec(p.spec)))
      plain = false;
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
  return to_python(e, 0);
}

void print(const Stmt& s, int indent, std::string& out) {
  const std::string async = s.is_async ? "async " : "";
  switch (s.kind) {
  case Stmt::Kind::expr:
    line(out, indent, code(*s.value), s.note);
    break;
  case Stmt::Kind::assign:
    line(out, indent, code(*s.target) + " = " + code(*s.value), s.note);
    break;
  case Stmt::Kind::aug_assign:
    line(out, indent, code(*s.target) + " " + s.op + "= " + code(*s.value), s.note);
    break;
  case Stmt::Kind::if_: {
    const Stmt* at = &s;
    line(out, indent, "if " + code(*at->value) + ":", at->note);
    for (;;) {
      print_block(at->body, indent + 1, out);
      // else: if ...: alone is an elif.
      if (at->orelse.size() == 1 && at->orelse.front()->kind == Stmt::Kind::if_) {
        at = at->orelse.front().get();
        line(out, indent, "elif " + code(*at->value) + ":", at->note);
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
    line(out, indent, "while " + code(*s.value) + ":", s.note);
    print_block(s.body, indent + 1, out);
    break;
  case Stmt::Kind::return_:
    line(out, indent, s.value ? "return " + code(*s.value) : "return", s.note);
    break;
  case Stmt::Kind::raise_:
    line(out, indent, s.value ? "raise " + code(*s.value) : "raise", s.note);
    break;
  case Stmt::Kind::try_:
    line(out, indent, "try:", s.note);
    print_block(s.body, indent + 1, out);
    for (const auto& h : s.handlers) {
      std::string head = "except";
      if (h.type) head += " " + code(*h.type);
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
      items += code(*item.context);
      if (item.target) items += " as " + code(*item.target);
    }
    line(out, indent, async + "with " + items + ":", s.note);
    print_block(s.body, indent + 1, out);
    break;
  }
  case Stmt::Kind::function: {
    std::string params;
    for (const auto& p : s.names)
      params += (params.empty() ? "" : ", ") + p;
    line(out, indent, async + "def " + s.name + "(" + params + "):", s.note);
    print_block(s.body, indent + 1, out);
    break;
  }
  case Stmt::Kind::global: {
    std::string names;
    for (const auto& n : s.names)
      names += (names.empty() ? "" : ", ") + n;
    line(out, indent, "global " + names);
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
    line(out, indent, "import " + s.name);
    break;
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

} // namespace script

} // namespace asyncdemo
