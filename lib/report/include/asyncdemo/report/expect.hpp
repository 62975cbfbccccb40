#pragma once
// --expect=FILE: the lines a run prints, against the lines a file holds.
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace asyncdemo {

// A file's text as lines: split at "\n" (a "\r" before it is dropped, as a
// file from Windows has one), without an empty last line for a final newline.
std::vector<std::string> lines_of(std::string_view text);

// Whether two lines are the same: equal, or (same_within) equal but for
// their numbers, each within `tolerance` of the other's ("ready in 3.01 s"
// and "ready in 3.00 s" within 0.05). A number is decimal digits with an
// optional fraction and exponent, and a minus sign that does not follow a
// letter, a digit or a closing bracket; digits in a word ("task12",
// "job-1") are the word's, compared exactly.
using SameLine = std::function<bool(const std::string&, const std::string&)>;
bool same_within(std::string_view a, std::string_view b, double tolerance);

// Where two lists of lines first differ, as the first hunk of a unified diff
// (three lines of context, at most `max_lines` lines of it): "--- a_name",
// "+++ b_name", "@@ -3,2 +3,2 @@", " same", "-expected", "+printed". Empty
// when the lists are the same (`same`: equal, unless given). Lines are
// shown with their invisible characters escaped.
std::string first_difference(const std::vector<std::string>& a, const std::vector<std::string>& b,
                             const std::string& a_name, const std::string& b_name,
                             std::size_t max_lines = 40, const SameLine& same = {});

} // namespace asyncdemo
