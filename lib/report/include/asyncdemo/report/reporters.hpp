#pragma once
// Which reporters a plan gets: the one table that maps the plan's outputs
// (--format, --timeline, --trace) to reporters. A new output is a new file
// in lib/report/src and one line in this table (reporters.cpp).
#include "asyncdemo/run/reporter.hpp"

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

namespace asyncdemo {

struct Reporters {
  std::vector<std::unique_ptr<Reporter>> list; // in the order they write
  std::string error;                           // set, and list empty, when one cannot be made
  std::vector<Reporter*> pointers() const;
};

Reporters make_reporters(const RunPlan& plan, std::FILE* out);

} // namespace asyncdemo
