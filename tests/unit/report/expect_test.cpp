// --expect's comparison: the first difference of two lists of lines, as a
// unified diff's first hunk.
#include "asyncdemo/report/expect.hpp"

#include <doctest/doctest.h>

using namespace asyncdemo;

TEST_CASE("expect: a file's lines, with or without a final newline, from Windows too") {
  CHECK(lines_of("a\nb\n") == std::vector<std::string>{"a", "b"});
  CHECK(lines_of("a\nb") == std::vector<std::string>{"a", "b"});
  CHECK(lines_of("a\r\n\r\nb\r\n") == std::vector<std::string>{"a", "", "b"});
  CHECK(lines_of("").empty());
  CHECK(lines_of("\n") == std::vector<std::string>{""});
}

TEST_CASE("expect: equal lines have no difference") {
  CHECK(first_difference({"a", "b"}, {"a", "b"}, "want", "got").empty());
  CHECK(first_difference({}, {}, "want", "got").empty());
}

TEST_CASE("expect: the first difference, with three lines of context") {
  const std::vector<std::string> want{"1", "2", "3", "4", "5", "6", "7", "8", "9"};
  auto got = want;
  got[5] = "six";
  CHECK(first_difference(want, got, "want.txt", "breakfast --mode=gather") ==
        "--- want.txt\n"
        "+++ breakfast --mode=gather\n"
        "@@ -3,7 +3,7 @@\n"
        " 3\n 4\n 5\n-6\n+six\n 7\n 8\n 9\n");
  // Two lines swapped: one moves, the rest is context.
  CHECK(first_difference({"a", "b", "c"}, {"b", "a", "c"}, "w", "g") ==
        "--- w\n+++ g\n@@ -1,3 +1,3 @@\n-a\n b\n+a\n c\n");
}

TEST_CASE("expect: lines missing or extra at the end; an empty side") {
  CHECK(first_difference({"a", "b"}, {"a"}, "w", "g") == "--- w\n+++ g\n@@ -1,2 +1,1 @@\n a\n-b\n");
  CHECK(first_difference({"a"}, {"a", "b"}, "w", "g") == "--- w\n+++ g\n@@ -1,1 +1,2 @@\n a\n+b\n");
  CHECK(first_difference({}, {"x"}, "w", "g") == "--- w\n+++ g\n@@ -0,0 +1,1 @@\n+x\n");
}

TEST_CASE("expect: only the first hunk, cut, with invisible characters escaped") {
  std::vector<std::string> want, got;
  for (int i = 0; i < 100; ++i) {
    want.push_back("w" + std::to_string(i));
    got.push_back("g" + std::to_string(i));
  }
  const auto diff = first_difference(want, got, "w", "g", 10);
  CHECK(diff.find("… (190 more lines)\n") != std::string::npos);
  CHECK(first_difference({"a\x1b[31m"}, {"a"}, "w", "g").find("-a\\x1b[31m\n") !=
        std::string::npos);
}
