// "Did you mean": the distance on three rows is the whole table's, and a
// huge argument is turned down without being compared letter by letter.
#include "asyncdemo/text/suggest.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>
#include <random>
#include <string>
#include <vector>

using namespace asyncdemo;

namespace {

// Optimal string alignment over the whole table, as written in the books.
std::size_t table_distance(const std::string& a, const std::string& b) {
  const auto eq = [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  };
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i)
    d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j)
    d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i)
    for (std::size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min(
          {d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (eq(a[i - 1], b[j - 1]) ? 0 : 1)});
      if (i > 1 && j > 1 && eq(a[i - 1], b[j - 2]) && eq(a[i - 2], b[j - 1]))
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.size()][b.size()];
}

} // namespace

TEST_CASE("did you mean: the distance is the whole table's") {
  std::mt19937 random(7); // fixed: the same words every run
  const std::string letters = "abcAB-";
  const auto word = [&] {
    std::string w(random() % 9, ' ');
    for (auto& c : w)
      c = letters[random() % letters.size()];
    return w;
  };
  for (int k = 0; k < 2000; ++k) {
    const auto a = word(), b = word();
    CAPTURE(a);
    CAPTURE(b);
    CHECK(edit_distance(a, b) == table_distance(a, b));
  }
  CHECK(edit_distance("", "") == 0);
  CHECK(edit_distance("abc", "") == 3);
  CHECK(edit_distance("", "ab") == 2);
  CHECK(edit_distance("ca", "abc") == 3); // optimal string alignment: not 2
}

TEST_CASE("did you mean: a name far longer or shorter than every known one is near none") {
  const std::vector<std::string> known{"mode", "clock", "min-speedup", "export-markdown"};
  CHECK_FALSE(closest(std::string(128 * 1024, 'x'), known).has_value());
  CHECK_FALSE(closest(std::string(128 * 1024, 'm'), known).has_value());
  // A prefix is near, however much shorter.
  CHECK(closest("expo", known) == "export-markdown");
  CHECK(closest("mdoe", known) == "mode");
  CHECK(closest("clocks", known) == "clock");
  CHECK_FALSE(closest("x", known).has_value());
}
