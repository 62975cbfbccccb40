#pragma once
// Where a running program is in its source: the program --python prints
// (a .py file's own text). The interpreter that runs it tells; a view of the
// loop keeps (the run layer's Recorder): the line each task is at, the
// chain of awaits that led there, and the lines each iteration ran
// (--step's and --html's source pane, -v's and the JSON events' lines).
#include <functional>
#include <string>
#include <vector>

namespace asyncdemo {

// One frame of the code running now: its function, and the line it is at
// (from 1, in the program --python prints).
struct SourceFrame {
  std::string function;
  int line = 0;
  friend bool operator==(const SourceFrame&, const SourceFrame&) = default;
};

class SourceTrace {
public:
  // The frames of the code running now, outermost first: a task's own
  // coroutine, then each coroutine it awaits inline (and each plain function
  // called), innermost last. Empty when no code of the program runs.
  using Probe = std::function<std::vector<SourceFrame>()>;

  virtual ~SourceTrace() = default;
  // The interpreter, as it starts (and an empty probe as it ends).
  virtual void set_probe(Probe probe) = 0;
  // A line of the program begins to run.
  virtual void line_ran(int line) = 0;
};

} // namespace asyncdemo
