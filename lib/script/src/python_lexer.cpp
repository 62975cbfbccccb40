// Python 3.11's tokenizer for the subset, after CPython's Parser/tokenizer.c
// (tok_get): the same indentation rules, number forms, string prefixes and
// messages, one token at a time.
#include "python_lexer.hpp"

#include "python_names_table.hpp"

#include "asyncdemo/text/quote.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace asyncdemo::python {

std::string not_in_subset(std::string_view construct) {
  return fmt::format(
      "asyncdemo runs a subset of Python: {} is not in it; see docs/python-programs.md", construct);
}

namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_hex(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
bool is_ascii_letter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
// What CPython's tokenizer scans as part of a name: ASCII letters, digits and
// '_', and every byte of a non-ASCII character (checked afterwards).
bool is_name_start(char c) {
  return is_ascii_letter(c) || c == '_' || static_cast<unsigned char>(c) >= 0x80;
}
bool is_name_char(char c) {
  return is_name_start(c) || is_digit(c);
}

template <class Range, std::size_t N> bool in_table(const Range (&table)[N], char32_t cp) {
  const auto* it = std::upper_bound(std::begin(table), std::end(table), cp,
                                    [](char32_t c, const Range& r) { return c < r.first; });
  return it != std::begin(table) && cp <= std::prev(it)->last;
}

int combining_class(char32_t cp) {
  const auto& table = python_names::combining;
  const auto* it = std::upper_bound(
      std::begin(table), std::end(table), cp,
      [](char32_t c, const python_names::CombiningRange& r) { return c < r.first; });
  if (it == std::begin(table) || cp > std::prev(it)->last) return 0;
  return std::prev(it)->combining_class;
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// "invalid character '→' (U+2192)", as CPython words it.
std::string invalid_character(char32_t cp) {
  if (invisible(cp) || cp < 0x20 || cp == 0x7F)
    return fmt::format("invalid non-printable character U+{:04X}", static_cast<std::uint32_t>(cp));
  std::string c;
  append_utf8(c, cp);
  return fmt::format("invalid character '{}' (U+{:04X})", c, static_cast<std::uint32_t>(cp));
}

} // namespace

// ---------------------------------------------------------------------------
// The lexer

Lexer::Lexer(std::string_view source)
    : src_(source), end_(static_cast<std::uint32_t>(source.size())) {
  // A byte-order mark is not part of the program.
  if (src_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = line_start_ = cursor_byte_ = 3;
}

Lexer::Lexer(std::string_view source, std::uint32_t begin, std::uint32_t end, int line, int column)
    : src_(source), pos_(begin), end_(end), inner_(true), line_(line), line_start_(begin),
      column_base_(column - 1), cursor_byte_(begin), cursor_column_(column - 1),
      at_line_start_(false) {}

int Lexer::column_of(std::uint32_t byte) {
  if (byte < cursor_byte_) {
    cursor_byte_ = line_start_;
    cursor_column_ = column_base_;
  }
  for (; cursor_byte_ < byte; ++cursor_byte_)
    if ((static_cast<unsigned char>(src_[cursor_byte_]) & 0xC0) != 0x80) ++cursor_column_;
  return cursor_column_ + 1;
}

void Lexer::new_line(std::uint32_t start) {
  ++line_;
  line_start_ = cursor_byte_ = start;
  column_base_ = cursor_column_ = 0;
}

bool Lexer::newline_at(std::uint32_t at, std::uint32_t& after) const {
  if (at >= end_) return false;
  if (src_[at] == '\n') {
    after = at + 1;
    return true;
  }
  if (src_[at] == '\r') {
    after = at + 1 < end_ && src_[at + 1] == '\n' ? at + 2 : at + 1;
    return true;
  }
  return false;
}

void Lexer::fail(std::uint32_t at, std::string message) {
  throw SyntaxFailure{line_, column_of(at), std::move(message)};
}

void Lexer::fail_at(int line, int column, std::string message) {
  throw SyntaxFailure{line, column, std::move(message)};
}

Token Lexer::make(Token::Kind kind, std::uint32_t begin) {
  Token t;
  t.kind = kind;
  t.begin = begin;
  t.end = begin;
  t.line = t.end_line = line_;
  t.column = t.end_column = column_of(begin);
  return t;
}

Token Lexer::finish(Token t) {
  t.end = pos_;
  t.end_line = line_;
  t.end_column = column_of(pos_);
  line_has_tokens_ = true;
  return t;
}

bool Lexer::indentation(Token& out) {
  int col = 0, alt = 0;
  std::uint32_t p = pos_;
  for (; p < end_; ++p) {
    const char c = src_[p];
    if (c == ' ') {
      ++col;
      ++alt;
    } else if (c == '\t') {
      col = (col / 8 + 1) * 8;
      ++alt;
    } else if (c == '\f') {
      col = alt = 0;
    } else {
      break;
    }
  }
  pos_ = p;
  // A blank line (or only a comment) does not change the indentation.
  if (p >= end_ || src_[p] == '#' || src_[p] == '\n' || src_[p] == '\r') return false;
  at_line_start_ = false;
  const auto inconsistent = "inconsistent use of tabs and spaces in indentation";
  if (col == indents_.back()) {
    if (alt != alt_indents_.back()) fail(p, inconsistent);
    return false;
  }
  if (col > indents_.back()) {
    if (indents_.size() >= max_indents) fail(p, "too many levels of indentation");
    if (alt <= alt_indents_.back()) fail(p, inconsistent);
    indents_.push_back(col);
    alt_indents_.push_back(alt);
    out = make(Token::Kind::indent, p);
    return true;
  }
  int dedents = 0;
  while (indents_.size() > 1 && col < indents_.back()) {
    indents_.pop_back();
    alt_indents_.pop_back();
    ++dedents;
  }
  if (col != indents_.back()) fail(p, "unindent does not match any outer indentation level");
  if (alt != alt_indents_.back()) fail(p, inconsistent);
  pending_dedents_ = dedents - 1;
  out = make(Token::Kind::dedent, p);
  return true;
}

Token Lexer::next() {
  if (failure_) throw *failure_;
  try {
    return scan();
  } catch (const SyntaxFailure& f) {
    failure_ = f;
    throw;
  }
}

Token Lexer::scan() {
  if (pending_dedents_ > 0) {
    --pending_dedents_;
    return make(Token::Kind::dedent, pos_);
  }
  for (;;) {
    if (at_line_start_) {
      if (brackets_.empty()) {
        Token t;
        if (indentation(t)) return t;
      } else {
        at_line_start_ = false;
      }
    }
    for (std::uint32_t after = 0; pos_ < end_;) {
      const char c = src_[pos_];
      if (c == ' ' || c == '\t' || c == '\f') {
        ++pos_;
      } else if (inner_ && newline_at(pos_, after)) {
        pos_ = after;
        new_line(after);
      } else {
        break;
      }
    }
    if (pos_ >= end_) {
      if (inner_) return make(Token::Kind::end, pos_);
      if (!brackets_.empty())
        fail_at(brackets_.back().line, brackets_.back().column,
                fmt::format("'{}' was never closed", brackets_.back().c));
      if (line_has_tokens_) {
        line_has_tokens_ = false;
        at_line_start_ = true;
        return make(Token::Kind::newline, pos_);
      }
      if (indents_.size() > 1) {
        indents_.pop_back();
        alt_indents_.pop_back();
        return make(Token::Kind::dedent, pos_);
      }
      return make(Token::Kind::end, pos_);
    }
    const char c = src_[pos_];
    if (c == '#') {
      while (pos_ < end_ && src_[pos_] != '\n' && src_[pos_] != '\r')
        ++pos_;
      continue;
    }
    std::uint32_t after = 0;
    if (newline_at(pos_, after)) {
      Token t = make(Token::Kind::newline, pos_);
      t.end = after;
      pos_ = after;
      new_line(after);
      if (!brackets_.empty()) continue;
      at_line_start_ = true;
      if (!line_has_tokens_) continue; // a blank line
      line_has_tokens_ = false;
      return t;
    }
    if (c == '\\') {
      if (newline_at(pos_ + 1, after)) {
        pos_ = after;
        new_line(after);
        if (pos_ >= end_) fail(pos_, "unexpected EOF while parsing");
        continue;
      }
      if (pos_ + 1 >= end_) fail(pos_, "unexpected EOF while parsing");
      fail(pos_ + 1, "unexpected character after line continuation character");
    }
    if (is_digit(c) || (c == '.' && pos_ + 1 < end_ && is_digit(src_[pos_ + 1]))) return number();
    if (is_name_start(c)) return name_or_string();
    if (c == '\'' || c == '"') return string(pos_);
    return op();
  }
}

Token Lexer::name_or_string() {
  const auto start = pos_;
  while (pos_ < end_ && is_name_char(src_[pos_]))
    ++pos_;
  // A string's prefix: r, u, f, b, and rf, fr, rb, br in any case.
  if (pos_ < end_ && (src_[pos_] == '\'' || src_[pos_] == '"') && pos_ - start <= 2) {
    bool r = false, u = false, f = false, b = false, valid = true;
    for (auto i = start; i < pos_; ++i) {
      const char p = static_cast<char>(src_[i] | 0x20);
      bool& seen = p == 'r' ? r : p == 'u' ? u : p == 'f' ? f : b;
      if ((p != 'r' && p != 'u' && p != 'f' && p != 'b') || seen) valid = false;
      seen = true;
    }
    if (u && pos_ - start > 1) valid = false;
    if (b && f) valid = false;
    if (valid) return string(start);
  }
  check_name(start, pos_);
  Token t = make(Token::Kind::name, start);
  return finish(t);
}

void Lexer::check_name(std::uint32_t begin, std::uint32_t end) {
  bool ascii = true;
  for (auto i = begin; i < end && ascii; ++i)
    ascii = static_cast<unsigned char>(src_[i]) < 0x80;
  if (ascii) return;
  // As CPython's verify_identifier: the first character Python's tables
  // refuse is named. Then the form: a name CPython would change (NFKC) is
  // another name than it reads as, and is refused.
  const std::string_view text = src_.substr(begin, end - begin);
  int last_class = 0;
  bool normal = true;
  for (std::size_t i = 0; i < text.size();) {
    char32_t cp = 0;
    std::size_t n = decode_utf8(text, i, cp);
    if (n == 0) {
      n = 1;
      cp = static_cast<unsigned char>(text[i]);
    }
    const bool ok = cp < 0x80 ? (i == 0 ? is_ascii_letter(static_cast<char>(cp)) || cp == '_'
                                        : is_name_char(static_cast<char>(cp)))
                    : i == 0  ? in_table(python_names::xid_start, cp)
                              : in_table(python_names::xid_continue, cp);
    if (!ok) fail(begin + static_cast<std::uint32_t>(i), invalid_character(cp));
    if (cp >= 0x80) {
      if (in_table(python_names::nfkc_unstable, cp)) normal = false;
      const int cls = combining_class(cp);
      if (cls != 0 && last_class > cls) normal = false;
      last_class = cls;
    } else {
      last_class = 0;
    }
    i += n;
  }
  if (!normal)
    fail(begin, not_in_subset(fmt::format("a name Python reads as another (its Unicode NFKC form "
                                          "differs): {}",
                                          quote(text))));
}

void Lexer::end_of_number(std::uint32_t at, const char* kind) {
  // As CPython 3.11's verify_end_of_number: a keyword may follow a number
  // directly (1if x else 2); any other name may not.
  const auto rest = src_.substr(at, std::min<std::size_t>(4, end_ - at));
  const auto starts = [&](std::string_view w) { return rest.substr(0, w.size()) == w; };
  if (starts("and") || starts("else") || starts("for") || starts("if") || starts("in") ||
      starts("is") || starts("or") || starts("not"))
    return;
  if (at < end_ && is_name_char(src_[at])) fail(at, fmt::format("invalid {} literal", kind));
}

Token Lexer::number() {
  const auto start = pos_;
  Token t = make(Token::Kind::number, start);
  std::uint32_t p = pos_;
  const auto ch = [&](std::uint32_t i) { return i < end_ ? src_[i] : '\0'; };
  const auto decimal_tail = [&]() {
    for (;;) {
      while (is_digit(ch(p)))
        ++p;
      if (ch(p) != '_') break;
      ++p;
      if (!is_digit(ch(p))) fail(p, "invalid decimal literal");
    }
  };
  // The rest of a decimal number from its fraction on (`p` at '.', 'e' or
  // 'j'), or nothing more.
  const auto real_tail = [&](bool fraction) {
    if (fraction) {
      t.number = Token::Number::real;
      ++p; // the '.'
      if (is_digit(ch(p))) decimal_tail();
    }
    if (ch(p) == 'e' || ch(p) == 'E') {
      const auto e = p;
      ++p;
      if (ch(p) == '+' || ch(p) == '-') {
        ++p;
        if (!is_digit(ch(p))) fail(p, "invalid decimal literal");
      } else if (!is_digit(ch(p))) {
        // Not an exponent: 1else, 1.else
        end_of_number(e, "decimal");
        p = e;
        return;
      }
      t.number = Token::Number::real;
      decimal_tail();
    }
    if (ch(p) == 'j' || ch(p) == 'J') {
      ++p;
      end_of_number(p, "imaginary");
      fail(start, not_in_subset("an imaginary number (1j)"));
    }
    end_of_number(p, "decimal");
  };
  const auto radix = [&](Token::Number form, const char* kind, auto is_digit_of) {
    t.number = form;
    p += 2;
    char c = ch(p);
    do {
      if (c == '_') c = ch(++p);
      if (!is_digit_of(c)) {
        if (form != Token::Number::hex && is_digit(c))
          fail(p, fmt::format("invalid digit '{}' in {} literal", c, kind));
        fail(p, fmt::format("invalid {} literal", kind));
      }
      do
        c = ch(++p);
      while (is_digit_of(c));
    } while (c == '_');
    if (form != Token::Number::hex && is_digit(c))
      fail(p, fmt::format("invalid digit '{}' in {} literal", c, kind));
    end_of_number(p, kind);
  };
  const char c0 = ch(p);
  const char c1 = static_cast<char>(ch(p + 1) | 0x20);
  if (c0 == '.') {
    real_tail(true);
  } else if (c0 == '0' && c1 == 'x') {
    radix(Token::Number::hex, "hexadecimal", is_hex);
  } else if (c0 == '0' && c1 == 'o') {
    radix(Token::Number::octal, "octal", [](char c) { return c >= '0' && c <= '7'; });
  } else if (c0 == '0' && c1 == 'b') {
    radix(Token::Number::binary, "binary", [](char c) { return c == '0' || c == '1'; });
  } else if (c0 == '0') {
    // Zeros (0, 00, 0_0), then maybe a fraction: 0.5, 00.5, 01.5 and 01e1 are
    // floats; 01 is refused.
    ++p;
    for (;;) {
      if (ch(p) == '_') {
        ++p;
        if (!is_digit(ch(p))) fail(p, "invalid decimal literal");
      }
      if (ch(p) != '0') break;
      ++p;
    }
    bool nonzero = false;
    if (is_digit(ch(p))) {
      nonzero = true;
      decimal_tail();
    }
    const char c = ch(p);
    if (c == '.' || c == 'e' || c == 'E' || c == 'j' || c == 'J')
      real_tail(c == '.');
    else if (nonzero)
      fail(start, "leading zeros in decimal integer literals are not permitted; use an 0o prefix "
                  "for octal integers");
    else
      end_of_number(p, "decimal");
  } else {
    decimal_tail();
    real_tail(ch(p) == '.');
  }
  pos_ = p;
  return finish(t);
}

Token Lexer::string(std::uint32_t start) {
  Token t = make(Token::Kind::string, start);
  const char q = src_[pos_];
  const int quotes = pos_ + 2 < end_ && src_[pos_ + 1] == q && src_[pos_ + 2] == q ? 3 : 1;
  pos_ += static_cast<std::uint32_t>(quotes);
  for (std::uint32_t after = 0;;) {
    if (pos_ >= end_)
      fail_at(t.line, t.column,
              fmt::format("unterminated {}string literal (detected at line {})",
                          quotes == 3 ? "triple-quoted " : "", line_));
    const char c = src_[pos_];
    if (c == '\\') {
      ++pos_;
      if (newline_at(pos_, after)) {
        pos_ = after;
        new_line(after);
      } else if (pos_ < end_) {
        ++pos_;
      }
      continue;
    }
    if (newline_at(pos_, after)) {
      if (quotes == 1)
        fail_at(t.line, t.column,
                fmt::format("unterminated string literal (detected at line {})", line_));
      pos_ = after;
      new_line(after);
      continue;
    }
    if (c == q) {
      if (quotes == 1) {
        ++pos_;
        break;
      }
      if (pos_ + 2 < end_ && src_[pos_ + 1] == q && src_[pos_ + 2] == q) {
        pos_ += 3;
        break;
      }
    }
    ++pos_;
  }
  return finish(t);
}

Token Lexer::op() {
  const auto start = pos_;
  Token t = make(Token::Kind::op, start);
  static constexpr std::array<std::string_view, 5> three{"**=", "//=", ">>=", "<<=", "..."};
  static constexpr std::array<std::string_view, 19> two{"**", "//", "==", "!=", "<=", ">=", "<<",
                                                        ">>", "+=", "-=", "*=", "/=", "%=", "&=",
                                                        "|=", "^=", "@=", "->", ":="};
  const auto rest = src_.substr(pos_, 3);
  for (auto o : three)
    if (rest == o) {
      pos_ += 3;
      return finish(t);
    }
  for (auto o : two)
    if (rest.substr(0, 2) == o) {
      pos_ += 2;
      return finish(t);
    }
  const char c = src_[pos_];
  if (std::string_view("()[]{}:,;+-*/|&<>=.%~^@").find(c) == std::string_view::npos) {
    char32_t cp = static_cast<unsigned char>(c);
    if (cp < 0x20 || cp == 0x7F) fail(pos_, invalid_character(cp));
    fail(pos_, "invalid syntax");
  }
  if (c == '(' || c == '[' || c == '{') {
    if (brackets_.size() >= max_brackets) fail(pos_, "too many nested parentheses");
    brackets_.push_back({c, t.line, t.column});
  } else if (c == ')' || c == ']' || c == '}') {
    if (brackets_.empty()) fail(pos_, fmt::format("unmatched '{}'", c));
    const auto open = brackets_.back();
    const char want = open.c == '(' ? ')' : open.c == '[' ? ']' : '}';
    if (c != want) {
      if (open.line != line_)
        fail(pos_, fmt::format("closing parenthesis '{}' does not match opening parenthesis '{}' "
                               "on line {}",
                               c, open.c, open.line));
      fail(pos_, fmt::format("closing parenthesis '{}' does not match opening parenthesis '{}'", c,
                             open.c));
    }
    brackets_.pop_back();
  }
  ++pos_;
  return finish(t);
}

// ---------------------------------------------------------------------------
// Strings

StringForm string_form(std::string_view source, const Token& t) {
  StringForm s;
  std::uint32_t p = t.begin;
  for (; source[p] != '\'' && source[p] != '"'; ++p) {
    const char c = static_cast<char>(source[p] | 0x20);
    if (c == 'r') s.raw = true;
    if (c == 'f') s.f = true;
    if (c == 'b') s.bytes = true;
    if (c == 'u') s.u = true;
  }
  s.quote = source[p];
  s.quotes = t.end - p >= 6 && source[p + 1] == s.quote && source[p + 2] == s.quote ? 3 : 1;
  s.body_begin = p + static_cast<std::uint32_t>(s.quotes);
  s.body_end = t.end - static_cast<std::uint32_t>(s.quotes);
  return s;
}

void Locator::at(std::uint32_t byte, int& line, int& column) {
  if (byte < byte_) reset();
  while (byte_ < byte) {
    const char c = src_[byte_];
    if (c == '\n' || c == '\r') {
      byte_ += c == '\r' && byte_ + 1 < src_.size() && src_[byte_ + 1] == '\n' ? 2 : 1;
      ++line_;
      column_ = 1;
      continue;
    }
    ++byte_;
    while (byte_ < src_.size() && (static_cast<unsigned char>(src_[byte_]) & 0xC0) == 0x80)
      ++byte_;
    ++column_;
  }
  line = line_;
  column = column_;
}

namespace {

[[noreturn]] void fail_in_string(Locator& where, std::uint32_t at, std::string message) {
  SyntaxFailure f;
  where.at(at, f.line, f.column);
  f.message = std::move(message);
  throw f;
}

int hex_value(char c) {
  return is_digit(c) ? c - '0' : (c | 0x20) - 'a' + 10;
}

} // namespace

void decode_string(std::string_view src, std::uint32_t begin, std::uint32_t end, bool raw,
                   Locator& where, std::string& out) {
  for (std::uint32_t p = begin; p < end;) {
    const char c = src[p];
    if (c == '\r') { // a newline as Python reads it
      out += '\n';
      p += p + 1 < end && src[p + 1] == '\n' ? 2 : 1;
      continue;
    }
    if (c != '\\' || raw || p + 1 >= end) {
      out += c;
      ++p;
      if (c == '\\' && p < end && src[p] != '\r') { // raw: the escaped character stays
        out += src[p];
        ++p;
      }
      continue;
    }
    const char e = src[p + 1];
    switch (e) {
    case '\n':
      p += 2;
      continue;
    case '\r':
      p += 2;
      if (p < end && src[p] == '\n') ++p;
      continue;
    case '\\':
    case '\'':
    case '"':
      out += e;
      p += 2;
      continue;
    case 'a':
      out += '\a';
      p += 2;
      continue;
    case 'b':
      out += '\b';
      p += 2;
      continue;
    case 'f':
      out += '\f';
      p += 2;
      continue;
    case 'n':
      out += '\n';
      p += 2;
      continue;
    case 'r':
      out += '\r';
      p += 2;
      continue;
    case 't':
      out += '\t';
      p += 2;
      continue;
    case 'v':
      out += '\v';
      p += 2;
      continue;
    case 'N':
      fail_in_string(where, p,
                     not_in_subset("a \\N{...} escape (write the character itself, or its "
                                   "\\u or \\U escape)"));
    default:
      break;
    }
    if (e >= '0' && e <= '7') {
      char32_t v = 0;
      std::uint32_t q = p + 1;
      for (int n = 0; n < 3 && q < end && src[q] >= '0' && src[q] <= '7'; ++n, ++q)
        v = v * 8 + static_cast<char32_t>(src[q] - '0');
      append_utf8(out, v);
      p = q;
      continue;
    }
    if (e == 'x' || e == 'u' || e == 'U') {
      const int digits = e == 'x' ? 2 : e == 'u' ? 4 : 8;
      std::uint32_t v = 0;
      std::uint32_t q = p + 2;
      for (int n = 0; n < digits; ++n, ++q) {
        if (q >= end || !is_hex(src[q]))
          fail_in_string(where, p,
                         fmt::format("truncated \\{}{} escape", e, std::string(digits, 'X')));
        v = v * 16 + static_cast<std::uint32_t>(hex_value(src[q]));
      }
      if (v > 0x10FFFF) fail_in_string(where, p, "illegal Unicode character");
      if (v >= 0xD800 && v <= 0xDFFF)
        fail_in_string(where, p,
                       not_in_subset(fmt::format("a lone surrogate (\\u{:04x}): a str here is "
                                                 "UTF-8 text",
                                                 v)));
      append_utf8(out, v);
      p = q;
      continue;
    }
    // Not an escape: the backslash stays (Python warns, and keeps it).
    out += '\\';
    ++p;
  }
}

} // namespace asyncdemo::python
