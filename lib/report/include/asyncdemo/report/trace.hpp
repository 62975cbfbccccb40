#pragma once
// --trace=FILE: Chrome trace-event JSON, which Perfetto (ui.perfetto.dev) and
// chrome://tracing open. One process per mode, one track (thread) per task, a
// complete event ("ph": "X") per running, blocking, awaiting or ready span
// (a suspension named by what it waits on), an instant event ("ph": "i") per
// print. Above them the event loop's track: a slice per iteration and the
// idle time between them (from the recorder's snapshots). Flow events ("s"
// to "f") from what woke a task to its step. Times are microseconds.
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
