// quote(): what a message echoes, cut short whatever it was given.
#include "asyncdemo/text/quote.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace asyncdemo;

TEST_CASE("quote: escaped, cut after max_echoed bytes with the whole length said") {
  CHECK(quote("next") == "'next'");
  CHECK(quote("it's\n") == "'it\\'s\\n'");
  const std::string long_text(100, 'x');
  CHECK(quote(long_text) == "'" + std::string(max_echoed, 'x') + "…' (100 bytes)");
}

TEST_CASE("quote: of a text whose start alone was kept, the whole length is said") {
  CHECK(quote("ab", 5000) == "'ab…' (5000 bytes)");
  CHECK(quote(std::string(300, 'y'), 30'000'000) ==
        "'" + std::string(max_echoed, 'y') + "…' (30000000 bytes)");
  CHECK(quote("ab", 2) == "'ab'");
}
