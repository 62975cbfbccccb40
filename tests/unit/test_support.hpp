#pragma once
// Helpers shared by the unit tests.
#include "asyncdemo/asyncdemo.hpp"

#include <stdexcept>
#include <string>
#include <vector>

namespace asyncdemo::test {

// One string, so that a failed CHECK shows both listings in full.
inline std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines)
    out += l + "\n";
  return out;
}

inline std::string printed(const Loop& loop) {
  return joined(loop.recorder().printed_lines());
}

// Python's spelling of a bool.
inline const char* py(bool b) {
  return b ? "True" : "False";
}

// Seconds since the loop started, as the Python programs' loop.time() deltas.
inline double el() {
  return to_seconds(now());
}

// Python's ValueError.
struct ValueError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

} // namespace asyncdemo::test
