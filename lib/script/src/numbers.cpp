// Python's arithmetic (numbers.hpp), following CPython's Objects/longobject.c
// and floatobject.c where they decide a corner: floor division and modulo,
// pow's special values, round's half-even on the exact value.
#include "numbers.hpp"

#include "values.hpp"

#include "asyncdemo/script/wide.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>

namespace asyncdemo::num {

namespace {

using Limits = std::numeric_limits<std::int64_t>;

bool odd_integer(double v) {
  return std::fmod(std::fabs(v), 2.0) == 1.0;
}

double float_pow(double iv, double iw) {
  if (iw == 0) return 1.0;
  if (std::isnan(iv)) return iv;
  if (std::isnan(iw)) return iv == 1.0 ? 1.0 : iw;
  if (std::isinf(iw)) {
    iv = std::fabs(iv);
    if (iv == 1.0) return 1.0;
    return (iw > 0.0) == (iv > 1.0) ? std::fabs(iw) : 0.0;
  }
  if (std::isinf(iv)) {
    const bool odd = odd_integer(iw);
    if (iw > 0.0) return odd ? iv : std::fabs(iv);
    return odd ? std::copysign(0.0, iv) : 0.0;
  }
  if (iv == 0.0) {
    if (iw < 0.0) raise("ZeroDivisionError: 0.0 cannot be raised to a negative power");
    return odd_integer(iw) ? iv : 0.0;
  }
  bool negate = false;
  if (iv < 0.0) {
    if (iw != std::floor(iw))
      raise("ValueError: a negative number to a fractional power is a complex number, which "
            "this language does not have");
    iv = -iv;
    negate = odd_integer(iw);
  }
  if (iv == 1.0) return negate ? -1.0 : 1.0;
  const double r = std::pow(iv, iw);
  if (std::isinf(r)) raise("OverflowError: (34, 'Numerical result out of range')");
  return negate ? -r : r;
}

bool is_space(char32_t c) {
  return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1C && c <= 0x1F) || c == 0x85 ||
         c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 ||
         c == 0x202F || c == 0x205F || c == 0x3000;
}

// Text without the whitespace Python's str.strip() takes off.
std::string_view stripped(std::string_view text) {
  auto cp_at = [&](std::size_t i, std::size_t& n) -> char32_t {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      n = 1;
      return c;
    }
    if ((c & 0xE0) == 0xC0 && i + 1 < text.size()) {
      n = 2;
      return static_cast<char32_t>(((c & 0x1F) << 6) | (text[i + 1] & 0x3F));
    }
    if ((c & 0xF0) == 0xE0 && i + 2 < text.size()) {
      n = 3;
      return static_cast<char32_t>(((c & 0x0F) << 12) | ((text[i + 1] & 0x3F) << 6) |
                                   (text[i + 2] & 0x3F));
    }
    n = 1;
    return 0xFFFD;
  };
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t n = 1;
    if (!is_space(cp_at(start, n))) break;
    start += n;
  }
  std::size_t end = text.size();
  while (end > start) {
    // Step back over one UTF-8 character.
    std::size_t at = end - 1;
    while (at > start && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80)
      --at;
    std::size_t n = 1;
    if (!is_space(cp_at(at, n))) break;
    end = at;
  }
  return text.substr(start, end - start);
}

// Unicode's decimal digits (category Nd) as ASCII ones, as int() and
// float() read them: each script's digits are ten in a row from its zero.
std::string ascii_digits(std::string_view s) {
  static constexpr char32_t zeros[] = {
      0x660,  0x6F0,  0x7C0,  0x966,  0x9E6,  0xA66,  0xAE6,  0xB66,  0xBE6,
      0xC66,  0xCE6,  0xD66,  0xDE6,  0xE50,  0xED0,  0xF20,  0x1040, 0x1090,
      0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90, 0x1B50, 0x1BB0, 0x1C40,
      0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10};
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      out += s[i++];
      continue;
    }
    std::size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
    n = std::min(n, s.size() - i);
    char32_t cp = c & (n == 2 ? 0x1F : n == 3 ? 0x0F : 0x07);
    for (std::size_t k = 1; k < n; ++k)
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    char digit = 0;
    for (const auto zero : zeros)
      if (cp >= zero && cp < zero + 10) digit = static_cast<char>('0' + (cp - zero));
    if (digit)
      out += digit;
    else
      out.append(s.substr(i, n));
    i += n;
  }
  return out;
}

// Digits with single underscores between them (Python's literal rule);
// the digits alone, or nothing.
std::optional<std::string> digits_of(std::string_view s) {
  if (s.empty() || s.front() == '_' || s.back() == '_') return std::nullopt;
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '_') {
      if (s[i - 1] == '_') return std::nullopt;
      continue;
    }
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
    out += s[i];
  }
  return out;
}

// The exact decimal expansion of |x| rounded half to even at 10^-ndigits.
double round_exact(double x, std::int64_t ndigits) {
  const auto exact = fmt::format("{:.1100f}", std::fabs(x)); // every digit a double has
  const auto point = exact.find('.');
  std::string digits = exact.substr(0, point) + exact.substr(point + 1);
  const auto int_len = static_cast<std::int64_t>(point);
  // Keep the digits up to 10^-ndigits: int_len + ndigits of them.
  const std::int64_t keep = int_len + ndigits;
  if (keep < 0) return std::copysign(0.0, x);
  if (keep >= static_cast<std::int64_t>(digits.size())) return x;
  const auto k = static_cast<std::size_t>(keep);
  const char first_dropped = digits[k];
  const bool rest_zero = digits.find_first_not_of('0', k + 1) == std::string::npos;
  const bool last_odd = k > 0 && (digits[k - 1] - '0') % 2 == 1;
  const bool up = first_dropped > '5' || (first_dropped == '5' && (!rest_zero || last_odd));
  std::string kept = digits.substr(0, k);
  if (kept.empty()) kept = "0";
  if (up) { // add one at the last kept place
    std::size_t i = kept.size();
    while (i > 0 && kept[i - 1] == '9')
      kept[--i] = '0';
    if (i == 0)
      kept.insert(kept.begin(), '1');
    else
      ++kept[i - 1];
  }
  // kept × 10^-ndigits
  const auto text = kept + "e" + std::to_string(-ndigits);
  double v = 0;
  std::from_chars(text.data(), text.data() + text.size(), v);
  return std::copysign(v, x);
}

} // namespace

void overflow() {
  raise("OverflowError: the result does not fit in 64 bits (this language's ints are 64-bit; "
        "Python's are not)");
}

std::int64_t add(std::int64_t x, std::int64_t y) {
  std::int64_t r = 0;
  if (__builtin_add_overflow(x, y, &r)) overflow();
  return r;
}

std::int64_t sub(std::int64_t x, std::int64_t y) {
  std::int64_t r = 0;
  if (__builtin_sub_overflow(x, y, &r)) overflow();
  return r;
}

std::int64_t mul(std::int64_t x, std::int64_t y) {
  std::int64_t r = 0;
  if (__builtin_mul_overflow(x, y, &r)) overflow();
  return r;
}

std::int64_t neg(std::int64_t x) {
  if (x == Limits::min()) overflow();
  return -x;
}

std::int64_t abs(std::int64_t x) {
  return x < 0 ? neg(x) : x;
}

std::int64_t floordiv(std::int64_t x, std::int64_t y) {
  if (y == 0) raise("ZeroDivisionError: integer division or modulo by zero");
  if (x == Limits::min() && y == -1) overflow();
  auto q = x / y;
  if (x % y != 0 && ((x % y < 0) != (y < 0))) --q;
  return q;
}

std::int64_t mod(std::int64_t x, std::int64_t y) {
  if (y == 0) raise("ZeroDivisionError: integer modulo by zero");
  if (y == -1) return 0; // (and INT64_MIN % -1 would trap)
  auto r = x % y;
  if (r != 0 && ((r < 0) != (y < 0))) r += y;
  return r;
}

double floordiv(double vx, double wx) {
  if (wx == 0) raise("ZeroDivisionError: float floor division by zero");
  double m = std::fmod(vx, wx);
  double d = (vx - m) / wx;
  if (m != 0) {
    if ((wx < 0) != (m < 0)) d -= 1.0;
  }
  if (d != 0) {
    double f = std::floor(d);
    if (d - f > 0.5) f += 1.0;
    return f;
  }
  return std::copysign(0.0, vx / wx);
}

double mod(double vx, double wx) {
  if (wx == 0) raise("ZeroDivisionError: float modulo");
  double m = std::fmod(vx, wx);
  if (m != 0) {
    if ((wx < 0) != (m < 0)) m += wx;
  } else {
    m = std::copysign(0.0, wx);
  }
  return m;
}

double true_divide(std::int64_t a, std::int64_t b) {
  if (b == 0) raise("ZeroDivisionError: division by zero");
  if (a == 0) return b < 0 ? -0.0 : 0.0;
  constexpr std::int64_t exact = std::int64_t{1} << 53;
  if (a > -exact && a < exact && b > -exact && b < exact)
    return static_cast<double>(a) / static_cast<double>(b); // both exact: one rounding
  // As CPython's long_true_divide: the quotient to 55 bits and a sticky bit,
  // then rounded once, half to even.
  const bool negative = (a < 0) != (b < 0);
  const u128 n = a < 0 ? u128(0) - static_cast<u128>(static_cast<i128>(a)) : static_cast<u128>(a);
  const u128 d = b < 0 ? u128(0) - static_cast<u128>(static_cast<i128>(b)) : static_cast<u128>(b);
  auto bits = [](u128 v) {
    int k = 0;
    for (; v != 0; v >>= 1)
      ++k;
    return k;
  };
  int k = 54 - (bits(n) - bits(d)); // n * 2^k / d has 54 or 55 bits
  u128 m = 0;
  bool sticky = false;
  for (;; ++k) {
    if (k >= 0) {
      m = (n << k) / d;
      sticky = (n << k) % d != 0;
    } else {
      m = n / (d << -k);
      sticky = n % (d << -k) != 0;
    }
    if (m >= (u128(1) << 54)) break;
  }
  if (m >= (u128(1) << 55)) {
    sticky = sticky || (m & 1);
    m >>= 1;
    --k;
  }
  // m: 55 bits; keep 53, round on the two below and the sticky bit.
  const auto low = static_cast<unsigned>(m & 3);
  m >>= 2;
  if (low > 2 || (low == 2 && (sticky || (m & 1)))) ++m;
  const double r = std::ldexp(static_cast<double>(m), -(k - 2));
  return negative ? -r : r;
}

double div(double x, double y) {
  if (y == 0) raise("ZeroDivisionError: float division by zero");
  return x / y;
}

Object power(const Object& base, const Object& exp) {
  const auto x = as_number(base), y = as_number(exp);
  if (x.kind() == Object::Kind::integer && y.kind() == Object::Kind::integer) {
    const auto b = x.integer(), e = y.integer();
    if (e < 0) {
      if (b == 0) raise("ZeroDivisionError: 0.0 cannot be raised to a negative power");
      return Object(float_pow(static_cast<double>(b), static_cast<double>(e)));
    }
    if (b == 0) return Object(std::int64_t{e == 0 ? 1 : 0});
    if (b == 1) return Object(std::int64_t{1});
    if (b == -1) return Object(std::int64_t{e % 2 == 0 ? 1 : -1});
    if (e >= 64) overflow(); // |b| >= 2: more than 64 bits, known before any is worked out
    std::int64_t result = 1, square = b;
    for (auto k = e;;) {
      if (k & 1) result = mul(result, square);
      k >>= 1;
      if (k == 0) break;
      square = mul(square, square);
    }
    return Object(result);
  }
  return Object(float_pow(x.number(), y.number()));
}

int compare(std::int64_t x, double y) {
  if (std::isnan(y)) return 2;
  constexpr double two63 = 9223372036854775808.0;
  if (y >= two63) return -1;
  if (y < -two63) return 1;
  const double f = std::floor(y);
  const auto fi = static_cast<std::int64_t>(f); // exact: |f| <= 2^63, and -2^63 fits
  if (x < fi) return -1;
  if (x > fi) return 1;
  return y > f ? -1 : 0;
}

Object round(const Object& v, const std::optional<std::int64_t>& ndigits) {
  const auto x = as_number(v);
  if (x.kind() == Object::Kind::integer) {
    if (!ndigits || *ndigits >= 0) return x;
    if (*ndigits < -18) return Object(std::int64_t{0});
    std::int64_t p = 1;
    for (std::int64_t i = 0; i < -*ndigits; ++i)
      p *= 10;
    const auto n = x.integer();
    const auto rem = mod(n, p);
    const auto q = floordiv(n, p);
    i128 down = static_cast<i128>(q) * p;
    const auto twice = static_cast<u128>(rem) * 2;
    if (twice > static_cast<u128>(p) || (twice == static_cast<u128>(p) && (q & 1))) down += p;
    if (down > std::numeric_limits<std::int64_t>::max() ||
        down < std::numeric_limits<std::int64_t>::min())
      overflow();
    return Object(static_cast<std::int64_t>(down));
  }
  const double d = x.real();
  if (!ndigits) {
    double r = std::round(d);
    if (std::fabs(d - r) == 0.5) r = 2.0 * std::round(d / 2.0);
    return Object(to_int(r));
  }
  if (!std::isfinite(d) || d == 0.0) return Object(d);
  if (*ndigits > 323) return Object(d);
  if (*ndigits < -308) return Object(0.0 * d);
  return Object(round_exact(d, *ndigits));
}

std::optional<std::int64_t> parse_int(std::string_view text) {
  const auto ascii = ascii_digits(stripped(text));
  std::string_view s = ascii;
  bool negative = false;
  if (!s.empty() && (s.front() == '+' || s.front() == '-')) {
    negative = s.front() == '-';
    s.remove_prefix(1);
  }
  const auto digits = digits_of(s);
  if (!digits) return std::nullopt;
  // Magnitude first (as unsigned: -2**63 fits though 2**63 does not).
  std::uint64_t m = 0;
  for (const char c : *digits) {
    if (m > (std::numeric_limits<std::uint64_t>::max() - 9) / 10) overflow();
    m = m * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (negative) {
    if (m > static_cast<std::uint64_t>(Limits::max()) + 1) overflow();
    return static_cast<std::int64_t>(std::uint64_t{0} - m);
  }
  if (m > static_cast<std::uint64_t>(Limits::max())) overflow();
  return static_cast<std::int64_t>(m);
}

std::optional<double> parse_float(std::string_view text) {
  const auto ascii = ascii_digits(stripped(text));
  std::string_view s = ascii;
  bool negative = false;
  if (!s.empty() && (s.front() == '+' || s.front() == '-')) {
    negative = s.front() == '-';
    s.remove_prefix(1);
  }
  std::string lower;
  for (const char c : s)
    lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  if (lower == "inf" || lower == "infinity")
    return negative ? -std::numeric_limits<double>::infinity()
                    : std::numeric_limits<double>::infinity();
  if (lower == "nan") return std::numeric_limits<double>::quiet_NaN();
  // digits [. digits] [e [sign] digits], the digits with underscores between.
  const auto e_at = lower.find('e');
  const std::string_view mantissa = std::string_view(lower).substr(0, e_at);
  std::string clean;
  const auto point = mantissa.find('.');
  const auto int_part = mantissa.substr(0, point);
  const auto frac_part =
      point == std::string_view::npos ? std::string_view() : mantissa.substr(point + 1);
  if (int_part.empty() && frac_part.empty()) return std::nullopt;
  if (!int_part.empty()) {
    const auto d = digits_of(int_part);
    if (!d) return std::nullopt;
    clean += *d;
  } else {
    clean += '0';
  }
  if (point != std::string_view::npos) {
    clean += '.';
    if (!frac_part.empty()) {
      const auto d = digits_of(frac_part);
      if (!d) return std::nullopt;
      clean += *d;
    }
  }
  if (e_at != std::string::npos) {
    auto e = std::string_view(lower).substr(e_at + 1);
    clean += 'e';
    if (!e.empty() && (e.front() == '+' || e.front() == '-')) {
      clean += e.front();
      e.remove_prefix(1);
    }
    const auto d = digits_of(e);
    if (!d) return std::nullopt;
    clean += *d;
  }
  double v = 0;
  const auto [p, ec] = std::from_chars(clean.data(), clean.data() + clean.size(), v);
  if (p != clean.data() + clean.size()) return std::nullopt;
  if (ec == std::errc::result_out_of_range) // past the doubles: strtod says inf or 0
    v = std::strtod(clean.c_str(), nullptr);
  return negative ? -v : v;
}

std::int64_t to_int(double x) {
  if (std::isinf(x)) raise("OverflowError: cannot convert float infinity to integer");
  if (std::isnan(x)) raise("ValueError: cannot convert float NaN to integer");
  const double t = std::trunc(x);
  if (t >= 9223372036854775808.0 || t < -9223372036854775808.0) overflow();
  return static_cast<std::int64_t>(t);
}

} // namespace asyncdemo::num
