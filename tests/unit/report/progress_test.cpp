#include "asyncdemo/report/progress.hpp"
#include "asyncdemo/text/wrap.hpp"

#include <doctest/doctest.h>

using namespace asyncdemo;

TEST_CASE("progress: the estimate follows the models, corrected by the runs so far") {
  // Three runs planned at 1 s, 1 s and 2 s of wall time.
  RunsEstimate e({1.0, 1.0, 2.0});
  CHECK(e.fraction(0, 0.0) == doctest::Approx(0.0));
  CHECK(e.seconds_left(0.0) == doctest::Approx(4.0));
  CHECK(e.fraction(0, 0.5) == doctest::Approx(0.125));
  CHECK(e.seconds_left(0.5) == doctest::Approx(3.5));
  // The first run took twice its plan: the rest is expected to, too.
  e.ended(0, 2.0);
  CHECK(e.seconds_left(0.0) == doctest::Approx(6.0));
  CHECK(e.fraction(1, 0.0) == doctest::Approx(0.25));
  CHECK(e.fraction(1, 1.0) == doctest::Approx(0.375)); // half of run 1, at the observed pace
  CHECK(e.fraction(1, 100.0) == doctest::Approx(0.5)); // never past the run's share
  e.ended(1, 2.0);
  e.ended(2, 4.0);
  CHECK(e.seconds_left(0.0) == doctest::Approx(0.0));
  CHECK(e.fraction(3, 0.0) == doctest::Approx(1.0));
}

TEST_CASE("progress: a model of 0 s gives no division by zero") {
  RunsEstimate e({0.0, 0.0});
  CHECK(e.fraction(0, 1.0) == doctest::Approx(0.0));
  CHECK(e.seconds_left(1.0) == doctest::Approx(0.0));
}

TEST_CASE("progress: the line fits its width, the bar filled by the fraction") {
  const auto line = progress_line("gather 2/3", 0.5, 3.25, 80);
  CHECK(line.rfind("gather 2/3  [", 0) == 0);
  CHECK(line.find("3.2 s left") != std::string::npos);
  const auto open = line.find('['), close = line.find(']');
  const auto bar = line.substr(open + 1, close - open - 1);
  CHECK(bar.size() == 40);
  CHECK(bar == std::string(20, '#') + std::string(20, '.'));
  for (std::size_t w : {40u, 50u, 60u})
    CHECK(text_columns(progress_line("as_completed 10/10", 1.0, 123.4, w)) <= w);
  CHECK(progress_line("x", 0.0, std::nullopt, 80).find("left") == std::string::npos);
}
