#include "asyncdemo/teach/units.hpp"

#include <fmt/format.h>

#include <cmath>

namespace asyncdemo {

std::string format_seconds(Duration d, int decimals) {
  return fmt::format("{:.{}f} s", to_seconds(d), decimals);
}

std::string format_overhead(Duration measured, Duration model) {
  const double over = to_seconds(measured - model);
  const double pct = model.count() > 0 ? 100.0 * over / to_seconds(model) : 0.0;
  if (std::fabs(over) < 1.0) return fmt::format("{:+.3f} ms, {:+.2f} %", over * 1e3, pct);
  return fmt::format("{:+.3f} s, {:+.2f} %", over, pct);
}

std::string format_ratio(double r) {
  return fmt::format("{:.2f} ×", r);
}

} // namespace asyncdemo
