#pragma once
// Python's arithmetic on the language's numbers (private to the language).
// Floats are doubles, as Python's. Ints are 64-bit: Python's never
// overflow, so a result past 64 bits is an OverflowError that says so,
// never a wrapped value or undefined behaviour. A size is checked before
// anything of that size is made: 2 ** 10**18 is refused at once.
#include "asyncdemo/script/object.hpp"

#include <cstdint>
#include <optional>
#include <string_view>

namespace asyncdemo::num {

// An int result that does not fit: OverflowError.
[[noreturn]] void overflow();

std::int64_t add(std::int64_t x, std::int64_t y);
std::int64_t sub(std::int64_t x, std::int64_t y);
std::int64_t mul(std::int64_t x, std::int64_t y);
std::int64_t neg(std::int64_t x);
std::int64_t abs(std::int64_t x);
// Floor division and modulo, the remainder with the divisor's sign.
std::int64_t floordiv(std::int64_t x, std::int64_t y);
std::int64_t mod(std::int64_t x, std::int64_t y);

double floordiv(double x, double y);
double mod(double x, double y);
double div(double x, double y); // `/` of floats
// `/` of two ints: the exact quotient, rounded once (as CPython's).
double true_divide(std::int64_t a, std::int64_t b);

// x ** y for ints and floats, as Python's (a negative int exponent gives a
// float; an int power by squaring, its size checked first).
Object power(const Object& x, const Object& y);

// Exactly, as Python compares an int with a float (2**53 + 1 != 2.0**53).
int compare(std::int64_t x, double y); // -1, 0, 1; nan: 2 (unordered)

// round(x) and round(x, ndigits), half to even on the exact value.
Object round(const Object& x, const std::optional<std::int64_t>& ndigits);

// int(text) and float(text) as Python reads them: surrounding whitespace, a
// sign, underscores between digits; nothing if it is not one (past 64 bits:
// OverflowError).
std::optional<std::int64_t> parse_int(std::string_view text);
std::optional<double> parse_float(std::string_view text);

// int(x) of a float: truncated (inf: OverflowError, nan: ValueError).
std::int64_t to_int(double x);

} // namespace asyncdemo::num
