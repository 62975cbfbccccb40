#pragma once
// Python 3.11's tokens (private to the Python front end): NEWLINE, INDENT and
// DEDENT as CPython's tokenizer makes them (tabs to multiples of 8, and
// checked against tabs as one column: inconsistent use is an error), comments,
// explicit and implicit line joining, names (Unicode ones checked against
// Python's tables), numbers, strings and operators. Each token is where it is
// in the source (bytes) and where a person sees it (line, and column in
// characters, both 1-based). Tokens are made one at a time, when the parser
// asks, so that the first error in the file is the one reported, as CPython
// reports it.
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace asyncdemo::python {

// A syntax error where it is; the parser adds the file's name.
struct SyntaxFailure {
  int line = 0;
  int column = 0;
  std::string message;
};

// The words asyncdemo's refusals share: "<construct> is not in it".
std::string not_in_subset(std::string_view construct);

struct Token {
  enum class Kind : std::uint8_t { name, number, string, op, newline, indent, dedent, end };
  // A number's form (its text is checked; its value is read by the parser).
  enum class Number : std::uint8_t { decimal, hex, octal, binary, real };
  Kind kind = Kind::end;
  Number number = Number::decimal;
  std::uint32_t begin = 0, end = 0; // bytes of the source
  int line = 0, column = 0;         // where it starts
  int end_line = 0, end_column = 0; // just after it
};

class Lexer {
public:
  // The tokens of a whole file. `source` is valid UTF-8 without NUL bytes
  // (parse_python checks it first).
  explicit Lexer(std::string_view source);
  // The tokens of an f-string's expression, source[begin, end) starting at
  // line:column: one line inside brackets (newlines join), no comment.
  Lexer(std::string_view source, std::uint32_t begin, std::uint32_t end, int line, int column);

  // The next token; `end` for ever after the last. Throws SyntaxFailure,
  // and the same again if asked for more.
  Token next();
  bool failed() const noexcept { return failure_.has_value(); }

  // How many brackets are open where the lexer is.
  std::size_t open_brackets() const noexcept { return brackets_.size(); }

  // Deeper than this, brackets are refused (as CPython refuses them).
  static constexpr std::size_t max_brackets = 200;
  // Blocks nest at most this deep (as CPython's tokenizer allows).
  static constexpr std::size_t max_indents = 100;

private:
  struct Bracket {
    char c;
    int line, column;
  };

  Token scan();
  Token make(Token::Kind kind, std::uint32_t begin);
  Token finish(Token t);
  int column_of(std::uint32_t byte);
  void new_line(std::uint32_t start);
  bool newline_at(std::uint32_t at, std::uint32_t& after) const;
  [[noreturn]] void fail(std::uint32_t at, std::string message);
  [[noreturn]] void fail_at(int line, int column, std::string message);
  bool indentation(Token& out); // at a line's start: INDENT/DEDENT, or a blank line skipped
  Token name_or_string();
  Token number();
  Token string(std::uint32_t start);
  void end_of_number(std::uint32_t at, const char* kind);
  void check_name(std::uint32_t begin, std::uint32_t end);
  Token op();

  std::string_view src_;
  std::uint32_t pos_ = 0, end_ = 0;
  bool inner_ = false;
  // The current line: its number, where it starts, and a cursor that turns
  // bytes into characters (moving forward only, so that columns cost O(n)).
  int line_ = 1;
  std::uint32_t line_start_ = 0;
  int column_base_ = 0; // characters before line_start_ (an f-string's expression)
  std::uint32_t cursor_byte_ = 0;
  int cursor_column_ = 0;

  bool at_line_start_ = true;
  bool line_has_tokens_ = false;
  std::vector<int> indents_{0}, alt_indents_{0};
  int pending_dedents_ = 0;
  std::vector<Bracket> brackets_;
  std::optional<SyntaxFailure> failure_;
};

// A string token's prefix and quotes.
struct StringForm {
  bool raw = false, f = false, bytes = false, u = false;
  std::uint32_t body_begin = 0, body_end = 0; // the text between the quotes
  int quotes = 1;                             // 1 or 3
  char quote = '\'';
};
StringForm string_form(std::string_view source, const Token& t);

// Where a byte inside a token is (line, column), walking forward from the
// token's start: a string's escapes, an f-string's fields.
class Locator {
public:
  Locator(std::string_view source, const Token& t)
      : src_(source), begin_(t.begin), line0_(t.line), column0_(t.column) {
    reset();
  }
  void at(std::uint32_t byte, int& line, int& column);

private:
  void reset() {
    byte_ = begin_;
    line_ = line0_;
    column_ = column0_;
  }
  std::string_view src_;
  std::uint32_t begin_;
  int line0_, column0_;
  std::uint32_t byte_ = 0;
  int line_ = 0, column_ = 0;
};

// A string literal's characters, its escapes decoded as Python decodes them
// (unless raw; \r\n and \r as \n either way), appended to `out`. Fails (with
// the escape's place) on a truncated or illegal escape, a lone surrogate,
// and \N{...}, which is not in the subset.
void decode_string(std::string_view source, std::uint32_t begin, std::uint32_t end, bool raw,
                   Locator& where, std::string& out);

} // namespace asyncdemo::python
