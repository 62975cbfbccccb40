// The list parameters of the catalogue scenarios: how they split, which
// numbers they take, and the Python literals their --python programs use.
#include "asyncdemo/teach/params.hpp"
#include "asyncdemo/teach/python.hpp"

#include <doctest/doctest.h>

#include <vector>

using namespace asyncdemo;

TEST_CASE("split_list keeps empty items, so checks can reject them") {
  CHECK(split_list("5,7,3,6") == std::vector<std::string>{"5", "7", "3", "6"});
  CHECK(split_list("First") == std::vector<std::string>{"First"});
  CHECK(split_list("") == std::vector<std::string>{""});
  CHECK(split_list("a,,b") == std::vector<std::string>{"a", "", "b"});
  CHECK(split_list("a,") == std::vector<std::string>{"a", ""});
}

TEST_CASE("parse_number and parse_whole take plain decimal text only") {
  CHECK(parse_number("1.5") == 1.5);
  CHECK(parse_number("-2") == -2.0);
  CHECK(parse_number("1e-3") == 0.001);
  for (const char* bad : {"", "x", "1.5s", " 1", "0x10", "nan", "inf", "1,5"})
    CHECK_MESSAGE(!parse_number(bad), bad);
  CHECK(parse_whole("20") == 20);
  CHECK(parse_whole("-1") == -1);
  for (const char* bad : {"", "1.5", "5!", "+3", "99999999999999999999"})
    CHECK_MESSAGE(!parse_whole(bad), bad);
}

TEST_CASE("Python literals read back as the values they were made from") {
  // Each expected text is what Python 3.11's repr() prints.
  CHECK(py_float(1.0) == "1.0");
  CHECK(py_float(0.5) == "0.5");
  CHECK(py_float(0.1 + 0.2) == "0.30000000000000004");
  CHECK(py_float(123456789.0) == "123456789.0");
  CHECK(py_str("First") == "\"First\"");
  CHECK(py_str("say \"hi\"\\") == R"("say \"hi\"\\")");
  CHECK(py_str("a\tb") == R"("a\tb")");
  CHECK(py_list(std::vector<long long>{5, 3, 4}) == "[5, 3, 4]");
  CHECK(py_list(std::vector<long long>{}) == "[]");
}
