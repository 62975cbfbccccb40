#pragma once
// Scenario time: whole nanoseconds, so virtual-clock sums are exact.
#include <chrono>
#include <cmath>
#include <cstdint>

namespace asyncdemo {

using Duration = std::chrono::nanoseconds;

// Seconds (as the seeds write them) to a duration, rounded to a nanosecond.
inline Duration seconds(double s) {
  return Duration(static_cast<std::int64_t>(std::llround(s * 1e9)));
}

inline double to_seconds(Duration d) noexcept {
  return std::chrono::duration<double>(d).count();
}

} // namespace asyncdemo
