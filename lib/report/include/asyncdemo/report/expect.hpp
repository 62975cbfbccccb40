#pragma once
// --expect=FILE: the lines a run prints, against the lines a file holds.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace asyncdemo {

// A file's text as lines: split at "\n" (a "\r" before it is dropped, as a
// file from Windows has one), without an empty last line for a final newline.
std::vector<std::string> lines_of(std::string_view text);

// Where two lists of lines first differ, as the first hunk of a unified diff
// (three lines of context, at most `max_lines` lines of it): "--- a_name",
// "+++ b_name", "@@ -3,2 +3,2 @@", " same", "-expected", "+printed". Empty
// when the lists are equal. Lines are shown with their invisible characters
// escaped.
std::string first_difference(const std::vector<std::string>& a, const std::vector<std::string>& b,
                             const std::string& a_name, const std::string& b_name,
                             std::size_t max_lines = 40);

} // namespace asyncdemo
