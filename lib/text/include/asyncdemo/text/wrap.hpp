#pragma once
// Text for people, fitted to a width: the help, the list, narration, the
// summary line. Widths are terminal columns of UTF-8 text ("×" and "§" are
// two bytes, one column).
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace asyncdemo {

// Terminal columns of UTF-8 text (ANSI colour codes are not counted).
std::size_t text_columns(std::string_view text) noexcept;

// `text` broken between words into lines of at most `width` columns; a
// word wider than that gets a line of its own. Empty text: no lines.
std::vector<std::string> wrap(std::string_view text, std::size_t width);

// The lines of wrap(), the first after `first`, the others after `rest`
// (a hanging indent), joined by newlines, without a final one.
std::string wrap_indented(std::string_view text, std::size_t width, std::string_view first,
                          std::string_view rest);

// Fields joined by `sep` (" · "), broken between fields, never inside one,
// when the line would be wider than `width`: each next line starts with
// `continuation` and the separator's text without its leading space.
std::string join_fitted(const std::vector<std::string>& fields, std::string_view sep,
                        std::size_t width, std::string_view continuation = "  ");

} // namespace asyncdemo
