#pragma once
// A session: what `asyncdemo <scenario>` does once its plan is made. Each
// mode first runs on the virtual clock (instantly: its exact model time, and
// the widths that keep the live lines aligned), then for real, once or
// --runs times, then the modes are compared. Every step is handed to the
// plan's reporters (reporter.hpp), which write the outputs.
//
// An interrupt (process/signals.hpp) is honoured at every moment: during a run
// the loop cancels its tasks; before a run, or between two, the session
// stops there. Either way the reporters see an interrupted run, and the
// outcome says so.
#include "asyncdemo/run/plan.hpp"
#include "asyncdemo/run/reporter.hpp"

#include <cstdio>
#include <vector>

namespace asyncdemo {

SessionOutcome run_session(const RunPlan& plan, const std::vector<Reporter*>& reporters,
                           std::FILE* err, InterruptSource interrupts = {});

} // namespace asyncdemo
