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

// Characters that print nothing, or change how the rest is shown.
bool invisible(char32_t cp) noexcept {
  return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) || cp == 0x200E || cp == 0x200F ||
         (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x2028 ||
         cp == 0x2029 || cp == 0xFEFF;
}

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

} // namespace

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
