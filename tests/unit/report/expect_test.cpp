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

TEST_CASE("expect: numbers within a tolerance, the words exact") {
  CHECK(same_within("ready in 6.012 s", "ready in 6.000 s", 0.05));
  CHECK_FALSE(same_within("ready in 6.1 s", "ready in 6.000 s", 0.05));
  // Decimal fractions in binary: 0.1 apart is within 0.1.
  CHECK(same_within("3.1", "3.0", 0.1));
  CHECK(same_within("a -0.01 b", "a 0.02 b", 0.05));
  CHECK(same_within("1e-3", "0.001", 0));
  // As many numbers, and the same words between them.
  CHECK_FALSE(same_within("ready in 6 s", "ready in 6 ms", 1));
  CHECK_FALSE(same_within("6 and 7", "6 and", 1));
  CHECK_FALSE(same_within("ready 6", "ready: 6", 1));
  // A digit inside a word is the word's: task12 is not task13.
  CHECK_FALSE(same_within("task12", "task13", 5));
  CHECK_FALSE(same_within("job-1", "job-2", 5));
  CHECK(same_within("(-1.0)", "(-1.02)", 0.05));
  CHECK(same_within("x-1", "x-1", 0));
  CHECK(same_within("", "", 0));
}

TEST_CASE("expect: a difference beside lines that are the same within the tolerance") {
  const SameLine within = [](const std::string& a, const std::string& b) {
    return same_within(a, b, 0.1);
  };
  CHECK(first_difference({"t 1.00", "done"}, {"t 1.05", "done"}, "w", "g", 40, within).empty());
  // Only what truly differs is marked; a line the same within the tolerance
  // is shown as printed.
  CHECK(first_difference({"t 1.00", "a", "t 2.00"}, {"t 1.05", "b", "t 2.02"}, "w", "g", 40,
                         within) == "--- w\n+++ g\n@@ -1,3 +1,3 @@\n t 1.05\n-a\n+b\n t 2.02\n");
  CHECK_FALSE(first_difference({"t 1.00"}, {"t 1.05"}, "w", "g").empty()); // exact by default
}
