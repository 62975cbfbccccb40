// The scanner of the expressions: text to tokens.
#include "lexer.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

namespace asyncdemo {

namespace {

// ---------------------------------------------------------------------------
// Tokens

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

} // namespace

std::optional<std::vector<Token>> tokenize(std::string_view text, ExprError& error) {
  return Lexer(text).tokens(error);
}

} // namespace asyncdemo
