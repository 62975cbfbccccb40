#pragma once
// Random: the numbers Python's random.Random(seed) draws, drawn in C++.
// Seeded the way CPython seeds its Mersenne Twister (init_by_array over the
// seed's 32-bit words), with randint and random() built as CPython builds
// them, so a scenario and its --python program print the same numbers.
#include "asyncdemo/script/wide.hpp"

#include <array>
#include <cstdint>

namespace asyncdemo {

class Random {
public:
  explicit Random(std::uint64_t seed);

  std::uint32_t next_u32() noexcept; // genrand_uint32
  // random.getrandbits(k), for 0 < k <= 32, and for any k up to 128.
  std::uint32_t getrandbits(int k) noexcept;
  u128 getrandbits_wide(int k) noexcept;
  // random.randint(a, b): a <= n <= b, a <= b (any two ints: the width may be 2^64).
  std::int64_t randint(std::int64_t a, std::int64_t b) noexcept;
  // random.random(): [0, 1) with 53 bits.
  double random() noexcept;
  // random.uniform(a, b)
  double uniform(double a, double b) noexcept { return a + (b - a) * random(); }
  // random._randbelow(n): 0 <= k < n (what choice and randint draw with).
  std::uint64_t randbelow(std::uint64_t limit) noexcept;
  u128 randbelow_wide(u128 limit) noexcept;

private:
  static constexpr int n = 624;
  std::array<std::uint32_t, n> mt_{};
  int index_ = n + 1;

  void init_genrand(std::uint32_t s) noexcept;
  void twist() noexcept;
};

} // namespace asyncdemo
