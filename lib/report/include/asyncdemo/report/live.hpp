#pragma once
// The live lines: each print as it happens, with its time and its task.
#include "asyncdemo/run/plan.hpp"
#include "asyncdemo/run/recorder.hpp"

#include <cstdio>

namespace asyncdemo {

// Prints each print event as it happens: time, task, text. Widths come from
// the model run, so the columns line up from the first line on. Verbose, it
// also prints the loop's view of every other event (created, started,
// suspended on what, resumed, done), dimmed and marked with "·". Warnings
// ("coroutine 'sleep' was never awaited") go to err, where CPython writes
// them: the learner sees them in place, and stdout stays what print() printed.
class LivePrinter {
public:
  LivePrinter(std::FILE* out, Style style, Duration longest, std::size_t name_width,
              bool verbose = false, std::FILE* err = stderr);
  void operator()(const RecordedEvent& e, const Recorder& rec);

  // The task column's width that fits every line of a model run.
  static std::size_t name_width_for(const Recorder& model, bool verbose = false);

private:
  std::FILE* out_;
  std::FILE* err_;
  Style style_;
  int time_width_;
  std::size_t name_width_;
  bool verbose_;
};

} // namespace asyncdemo
