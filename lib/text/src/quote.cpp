#include "asyncdemo/text/quote.hpp"

#include <fmt/format.h>

#include <cstdint>

namespace asyncdemo {

namespace {

// The length of the UTF-8 sequence at text[i] and its code point; 0 when
// it is not a valid (shortest-form, non-surrogate) sequence.
std::size_t decode(std::string_view text, std::size_t i, char32_t& cp) noexcept {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(text[i + k]); };
  const auto cont = [&](std::size_t k) { return i + k < text.size() && (b(k) & 0xC0) == 0x80; };
  const unsigned char c = b(0);
  if (c < 0x80) {
    cp = c;
    return 1;
  }
  if (c >= 0xC2 && c <= 0xDF && cont(1)) {
    cp = static_cast<char32_t>(((c & 0x1F) << 6) | (b(1) & 0x3F));
    return 2;
  }
  if (c >= 0xE0 && c <= 0xEF && cont(1) && cont(2)) {
    cp = static_cast<char32_t>(((c & 0x0F) << 12) | ((b(1) & 0x3F) << 6) | (b(2) & 0x3F));
    if (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4 && cont(1) && cont(2) && cont(3)) {
    cp = static_cast<char32_t>(((c & 0x07) << 18) | ((b(1) & 0x3F) << 12) | ((b(2) & 0x3F) << 6) |
                               (b(3) & 0x3F));
    if (cp < 0x10000 || cp > 0x10FFFF) return 0;
    return 4;
  }
  return 0;
}

} // namespace

// Characters that print nothing, or change how the rest is shown: those
// Python's str.isprintable() refuses (repr escapes them), but for
// unassigned code points: Unicode's control (Cc), format (Cf), private use
// (Co) characters, line and paragraph separators, and spaces other than
// the space (Zs).
bool invisible(char32_t cp) noexcept {
  if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0xA0) || cp == 0xAD) return true;
  if (cp < 0x600) return false;
  return (cp >= 0x600 && cp <= 0x605) || cp == 0x61C || cp == 0x6DD || cp == 0x70F || cp == 0x890 ||
         cp == 0x891 || cp == 0x8E2 || cp == 0x1680 || cp == 0x180E ||
         (cp >= 0x2000 && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202F) ||
         (cp >= 0x205F && cp <= 0x2064) || (cp >= 0x2066 && cp <= 0x206F) || cp == 0x3000 ||
         (cp >= 0xE000 && cp <= 0xF8FF) || cp == 0xFEFF || (cp >= 0xFFF9 && cp <= 0xFFFB) ||
         cp == 0x110BD || cp == 0x110CD || (cp >= 0x13430 && cp <= 0x1343F) ||
         (cp >= 0x1BCA0 && cp <= 0x1BCA3) || (cp >= 0x1D173 && cp <= 0x1D17A) || cp == 0xE0001 ||
         (cp >= 0xE0020 && cp <= 0xE007F) || cp >= 0xF0000;
}

namespace {

std::string escape(char32_t cp) {
  switch (cp) {
  case '\n':
    return "\\n";
  case '\r':
    return "\\r";
  case '\t':
    return "\\t";
  default:
    break;
  }
  if (cp < 0x80) return fmt::format("\\x{:02x}", static_cast<unsigned>(cp));
  return fmt::format("\\u{{{:x}}}", static_cast<std::uint32_t>(cp));
}

// As Python's repr writes a character it escapes.
std::string repr_escape(char32_t cp) {
  switch (cp) {
  case '\n':
    return "\\n";
  case '\r':
    return "\\r";
  case '\t':
    return "\\t";
  default:
    break;
  }
  if (cp < 0x100) return fmt::format("\\x{:02x}", static_cast<unsigned>(cp));
  if (cp < 0x10000) return fmt::format("\\u{:04x}", static_cast<std::uint32_t>(cp));
  return fmt::format("\\U{:08x}", static_cast<std::uint32_t>(cp));
}

} // namespace

std::size_t decode_utf8(std::string_view text, std::size_t i, char32_t& cp) noexcept {
  return decode(text, i, cp);
}

std::string escape_like_repr(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    char32_t cp = 0;
    const auto n = decode(text, i, cp);
    if (n == 0) {
      out += fmt::format("\\x{:02x}", static_cast<unsigned char>(text[i]));
      ++i;
      continue;
    }
    if (invisible(cp))
      out += repr_escape(cp);
    else
      out.append(text, i, n);
    i += n;
  }
  return out;
}

std::string escape_lines_like_repr(std::string_view text) {
  if (printable(text)) return std::string(text);
  std::string out;
  out.reserve(text.size());
  for (std::size_t from = 0;;) {
    const auto nl = text.find('\n', from);
    out += escape_like_repr(text.substr(from, nl == std::string_view::npos ? nl : nl - from));
    if (nl == std::string_view::npos) return out;
    out += '\n';
    from = nl + 1;
  }
}

bool valid_utf8(std::string_view text) noexcept {
  for (std::size_t i = 0; i < text.size();) {
    char32_t cp = 0;
    const auto n = decode(text, i, cp);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

bool printable(std::string_view text) noexcept {
  for (std::size_t i = 0; i < text.size();) {
    char32_t cp = 0;
    const auto n = decode(text, i, cp);
    if (n == 0 || invisible(cp)) return false;
    i += n;
  }
  return true;
}

std::string visible(std::string_view text, std::size_t max_bytes) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    char32_t cp = 0;
    const auto n = decode(text, i, cp);
    const std::string piece = n == 0
                                  ? fmt::format("\\x{:02x}", static_cast<unsigned char>(text[i]))
                                  : (invisible(cp) ? escape(cp) : std::string(text.substr(i, n)));
    if (out.size() + piece.size() > max_bytes) return out + "…";
    out += piece;
    i += n == 0 ? 1 : n;
  }
  return out;
}

std::string quote(std::string_view text) {
  return quote(text, text.size());
}

std::string quote(std::string_view text, std::size_t bytes) {
  std::string out = "'";
  std::size_t i = 0;
  while (i < text.size()) {
    char32_t cp = 0;
    const auto n = decode(text, i, cp);
    std::string piece;
    if (n == 0)
      piece = fmt::format("\\x{:02x}", static_cast<unsigned char>(text[i]));
    else if (invisible(cp) || cp == '\\' || cp == '\'')
      piece = cp == '\\' ? std::string("\\\\") : cp == '\'' ? std::string("\\'") : escape(cp);
    else
      piece = text.substr(i, n);
    // Cut by bytes, not characters: escapes and wide characters count in
    // full, so that the message stays short whatever the value holds.
    if (out.size() - 1 + piece.size() > max_echoed) {
      out += fmt::format("…' ({} bytes)", bytes);
      return out;
    }
    out += piece;
    i += n == 0 ? 1 : n;
  }
  if (bytes > text.size()) return out + fmt::format("…' ({} bytes)", bytes);
  return out + "'";
}

} // namespace asyncdemo
