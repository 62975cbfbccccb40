// Text fitted to a width: words and fields are never cut, columns are
// counted as a terminal shows them.
#include "asyncdemo/teach/python.hpp"
#include "asyncdemo/text/wrap.hpp"

#include <doctest/doctest.h>

using namespace asyncdemo;

TEST_CASE("columns: UTF-8 characters are one column, colour codes none") {
  CHECK(text_columns("1.67 × faster") == 13);
  CHECK(text_columns("002 §34.6.2") == 11);
  CHECK(text_columns("\x1b[1mgather\x1b[0m") == 6);
  CHECK(text_columns("") == 0);
}

TEST_CASE("wrap: between words, a long word on a line of its own") {
  CHECK(wrap("the quick brown fox", 9) == std::vector<std::string>{"the quick", "brown fox"});
  CHECK(wrap("  spaced   out  ", 80) == std::vector<std::string>{"spaced out"});
  CHECK(wrap("a verylongwordindeed b", 5) ==
        std::vector<std::string>{"a", "verylongwordindeed", "b"});
  CHECK(wrap("", 10).empty());
  CHECK(wrap_indented("one two three four", 20, "  - ", "    ") == "  - one two three\n    four");
}

TEST_CASE("fields break between fields, never inside one") {
  const std::vector<std::string> f{"gather", "6.000 s elapsed", "model 6.000 s (+0.1 ms, +0.00 %)",
                                   "1.67 × faster than sync"};
  CHECK(join_fitted(f, " · ", std::string::npos) ==
        "gather · 6.000 s elapsed · model 6.000 s (+0.1 ms, +0.00 %) · 1.67 × faster than sync");
  CHECK(join_fitted(f, " · ", 40) == "gather · 6.000 s elapsed\n"
                                     "  · model 6.000 s (+0.1 ms, +0.00 %)\n"
                                     "  · 1.67 × faster than sync");
  // Each line fits, but for a field wider than the width on its own.
  for (std::size_t width : {20u, 30u, 50u, 80u}) {
    const auto text = join_fitted(f, " · ", width);
    std::size_t start = 0;
    while (start <= text.size()) {
      auto end = text.find('\n', start);
      if (end == std::string::npos) end = text.size();
      CHECK(text_columns(std::string_view(text).substr(start, end - start)) <=
            std::max<std::size_t>(width, 36));
      start = end + 1;
    }
  }
}

TEST_CASE("python_comment: wrapped to 79 columns, indented") {
  const auto c = python_comment(
      std::string(30, 'a') + " " + std::string(30, 'b') + " " + std::string(30, 'c'), 4);
  CHECK(c == "    # " + std::string(30, 'a') + " " + std::string(30, 'b') + "\n    # " +
                 std::string(30, 'c') + "\n");
}
