#include "asyncdemo/script/random.hpp"

#include <bit>
#include <vector>

namespace asyncdemo {

// CPython's Modules/_randommodule.c: init_genrand, init_by_array,
// genrand_uint32; Lib/random.py: _randbelow_with_getrandbits, random().
void Random::init_genrand(std::uint32_t s) noexcept {
  mt_[0] = s;
  for (int i = 1; i < n; ++i)
    mt_[i] = 1812433253U * (mt_[i - 1] ^ (mt_[i - 1] >> 30)) + static_cast<std::uint32_t>(i);
  index_ = n;
}

Random::Random(std::uint64_t seed) {
  // random.seed(int) keys the generator with the seed's 32-bit words, low
  // first; zero is one word.
  std::vector<std::uint32_t> key;
  do {
    key.push_back(static_cast<std::uint32_t>(seed));
    seed >>= 32;
  } while (seed != 0);

  init_genrand(19650218U);
  const int len = static_cast<int>(key.size());
  int i = 1, j = 0;
  for (int k = n > len ? n : len; k > 0; --k) {
    mt_[i] = (mt_[i] ^ ((mt_[i - 1] ^ (mt_[i - 1] >> 30)) * 1664525U)) + key[j] +
             static_cast<std::uint32_t>(j);
    ++i;
    ++j;
    if (i >= n) {
      mt_[0] = mt_[n - 1];
      i = 1;
    }
    if (j >= len) j = 0;
  }
  for (int k = n - 1; k > 0; --k) {
    mt_[i] = (mt_[i] ^ ((mt_[i - 1] ^ (mt_[i - 1] >> 30)) * 1566083941U)) -
             static_cast<std::uint32_t>(i);
    ++i;
    if (i >= n) {
      mt_[0] = mt_[n - 1];
      i = 1;
    }
  }
  mt_[0] = 0x80000000U;
  index_ = n;
}

void Random::twist() noexcept {
  constexpr std::uint32_t upper = 0x80000000U, lower = 0x7fffffffU, matrix = 0x9908b0dfU;
  for (int k = 0; k < n; ++k) {
    const std::uint32_t y = (mt_[k] & upper) | (mt_[(k + 1) % n] & lower);
    mt_[k] = mt_[(k + 397) % n] ^ (y >> 1) ^ ((y & 1U) ? matrix : 0U);
  }
  index_ = 0;
}

std::uint32_t Random::next_u32() noexcept {
  if (index_ >= n) twist();
  std::uint32_t y = mt_[index_++];
  y ^= y >> 11;
  y ^= (y << 7) & 0x9d2c5680U;
  y ^= (y << 15) & 0xefc60000U;
  y ^= y >> 18;
  return y;
}

std::uint32_t Random::getrandbits(int k) noexcept {
  return next_u32() >> (32 - k);
}

u128 Random::getrandbits_wide(int k) noexcept {
  // CPython's getrandbits: 32-bit words, least significant first, the last
  // one cut to what is left.
  u128 r = 0;
  for (int shift = 0; k > 0; shift += 32, k -= 32) {
    std::uint32_t word = next_u32();
    if (k < 32) word >>= (32 - k);
    r |= static_cast<u128>(word) << shift;
  }
  return r;
}

std::uint64_t Random::randbelow(std::uint64_t limit) noexcept {
  return static_cast<std::uint64_t>(randbelow_wide(limit));
}

u128 Random::randbelow_wide(u128 limit) noexcept {
  // Rejection sampling over just enough bits, as Python's _randbelow does.
  int k = 0;
  for (auto v = limit; v != 0; v >>= 1)
    ++k;
  auto draw = [&] { return k <= 32 ? u128{getrandbits(k)} : getrandbits_wide(k); };
  auto r = draw();
  while (r >= limit)
    r = draw();
  return r;
}

std::int64_t Random::randint(std::int64_t a, std::int64_t b) noexcept {
  // b - a + 1 may be 2^64: in 128 bits.
  const auto width = static_cast<u128>(static_cast<i128>(b) - a + 1);
  return static_cast<std::int64_t>(static_cast<i128>(a) + static_cast<i128>(randbelow_wide(width)));
}

double Random::random() noexcept {
  const std::uint32_t a = next_u32() >> 5, b = next_u32() >> 6;
  return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0);
}

} // namespace asyncdemo
