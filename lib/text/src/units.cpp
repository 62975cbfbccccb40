#include "asyncdemo/text/units.hpp"

#include <fmt/format.h>

#include <cmath>

namespace asyncdemo {

std::string format_seconds(Duration d, int decimals) {
  return fmt::format("{:.{}f} s", to_seconds(d), decimals);
}

std::string format_overhead(Duration measured, Duration model) {
  const double over = to_seconds(measured - model);
  const auto amount = std::fabs(over) < 1.0 ? fmt::format("{:+.3f} ms", over * 1e3)
                                            : fmt::format("{:+.3f} s", over);
  // A percentage of nothing means nothing: a 0 s model has none.
  if (model.count() <= 0) return amount + ", n/a";
  return fmt::format("{}, {:+.2f} %", amount, 100.0 * over / to_seconds(model));
}

std::string format_ratio(double r) {
  return fmt::format("{:.2f} ×", r);
}

} // namespace asyncdemo
