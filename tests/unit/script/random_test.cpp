// Random draws what CPython's random.Random(seed) draws; the expected
// numbers were printed by Python 3.11:
//   r = random.Random(seed); [r.randint(1, 10) for _ in range(5)],
//   r.randint(0, 1000000), r.random(), r.uniform(0.5, 3)
#include "asyncdemo/script/random.hpp"
#include "asyncdemo/teach/python.hpp"

#include <doctest/doctest.h>

#include <vector>

using asyncdemo::Random;

namespace {

void check_draws(std::uint64_t seed, std::vector<long long> ints, long long big, double unit,
                 double uniform) {
  Random r(seed);
  std::vector<long long> got;
  for (int i = 0; i < 5; ++i)
    got.push_back(r.randint(1, 10));
  CHECK(got == ints);
  CHECK(r.randint(0, 1000000) == big);
  CHECK(r.random() == unit);
  CHECK(r.uniform(0.5, 3) == uniform);
}

} // namespace

TEST_CASE("Random draws the numbers Python's random.Random draws") {
  check_draws(0, {7, 7, 1, 5, 9}, 509532, 0.4049341374504143, 2.4594964725869315);
  check_draws(2024, {8, 3, 10, 5, 4}, 930399, 0.7235148579633875, 2.3930427491034267);
  check_draws(7, {6, 3, 7, 1, 2}, 861168, 0.5358820043066892, 1.4142222922814638);
  // A seed wider than 32 bits keys the generator with two words.
  check_draws(1099511627781ULL, {9, 9, 5, 1, 9}, 795283, 0.8179643216302002, 2.4665813810406396);
}
