#pragma once
// A session: what `asyncdemo <scenario>` does once its options are valid.
// Each mode first runs on the virtual clock (instantly: its exact model time,
// and the widths that keep the live lines aligned), then for real with its
// lines printed as they happen, then the summary or the comparison table.
#include "asyncdemo/report.hpp"
#include "asyncdemo/runner.hpp"
#include "asyncdemo/scenario.hpp"

#include <cstdio>
#include <vector>

namespace asyncdemo {

struct SessionOptions {
  std::vector<Mode> modes;
  ClockKind clock = ClockKind::real;
  double speed = 1.0;
  std::uint64_t seed = default_seed;
  Style style;
};

enum class SessionOutcome { ok, failed, interrupted };

SessionOutcome run_session(const Scenario& s, const Params& params, const SessionOptions& opts,
                           std::FILE* out, std::FILE* err);

} // namespace asyncdemo
