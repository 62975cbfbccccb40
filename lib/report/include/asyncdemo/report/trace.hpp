#pragma once
// --trace=FILE: Chrome trace-event JSON, which Perfetto (ui.perfetto.dev) and
// chrome://tracing open. One process per mode, one track (thread) per task, a
// complete event ("ph": "X") per running, blocking, awaiting or ready span,
// an instant event ("ph": "i") per print. Times are microseconds.
#include "asyncdemo/run/runner.hpp"

#include <string>
#include <vector>

namespace asyncdemo {

struct TracedRun {
  std::string title; // the process's name: "breakfast --mode=gather"
  const RunResult* run = nullptr;
};

// The document, on one line.
std::string trace_json(const std::vector<TracedRun>& runs);

} // namespace asyncdemo
