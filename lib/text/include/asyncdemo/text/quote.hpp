#pragma once
// quote(text): a value as a message echoes it back. In single quotes, with
// every character that could change what the terminal shows escaped
// (control characters, invalid UTF-8, bidirectional overrides, line and
// paragraph separators), and cut after max_echoed bytes (escapes counted
// as written), so that one message stays one short, readable line whatever
// was typed.
#include <cstddef>
#include <string>
#include <string_view>

namespace asyncdemo {

inline constexpr std::size_t max_echoed = 60;

std::string quote(std::string_view text);
// quote() of a text of which only the start was kept: `kept` is its first
// bytes, `bytes` its whole length (a line too long to keep whole).
std::string quote(std::string_view kept, std::size_t bytes);

// Invisible characters and invalid bytes escaped as quote() does, without
// the quotes, cut after max_bytes ("…"): a line of someone else's text shown
// whole in a message (--expect's differences).
std::string visible(std::string_view text, std::size_t max_bytes = 300);

// Text with every character repr() would escape for being invisible escaped
// as repr escapes it (\n, \x1b, \x85, \u202e), and each byte that is not
// UTF-8 as \xNN; all else (quotes, backslashes) as it is. Someone else's
// text, safe to show on a terminal.
std::string escape_like_repr(std::string_view text);

// escape_like_repr line by line: the newlines stay (text for people of
// several lines: help, a traceback's group), all else it escapes is escaped.
std::string escape_lines_like_repr(std::string_view text);

// A character that prints nothing or changes how the rest is shown: one
// Python's str.isprintable() refuses (but unassigned ones).
bool invisible(char32_t cp) noexcept;

// The length of the UTF-8 sequence at text[i] and its code point; 0 when it
// is not a valid (shortest-form, non-surrogate) sequence.
std::size_t decode_utf8(std::string_view text, std::size_t i, char32_t& cp) noexcept;

// Whether text is valid UTF-8 (what every printed value must be).
bool valid_utf8(std::string_view text) noexcept;

// Whether text prints as it reads: valid UTF-8 without any character that
// quote() escapes for being invisible (control characters, bidirectional
// overrides, line and paragraph separators).
bool printable(std::string_view text) noexcept;

} // namespace asyncdemo
