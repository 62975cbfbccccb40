#pragma once
// Durations and ratios written for people, the same way everywhere:
// "6.000 s", "+0.102 ms, +0.00 %", "1.67 ×".
#include "asyncdemo/duration.hpp"

#include <string>

namespace asyncdemo {

std::string format_seconds(Duration d, int decimals = 3);
// How far a measured time is from its model: "+0.102 ms, +0.00 %"; the
// percentage is "n/a" when the model is 0 s.
std::string format_overhead(Duration measured, Duration model);
std::string format_ratio(double r); // "1.67 ×"

} // namespace asyncdemo
