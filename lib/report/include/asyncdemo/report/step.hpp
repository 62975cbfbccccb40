#pragma once
// --step: a run shown iteration by iteration in the terminal. After each
// iteration it shows the time, the caption, what ran, the ready queue, the
// timers and the output so far, fitted to the width, and waits for a
// command: Enter or space for the next iteration, b for the one before, c to
// run to the end, q to quit. Past the last iteration the loop has stopped:
// Enter then shows the summary, b the last iteration again. On a terminal
// each is one key; otherwise one command a line (so that it can be
// scripted; a line too long to be a command is an unknown one), and the end
// of input is c.
//
// Back is free: the run was recorded whole on the virtual clock before the
// first frame is shown (docs/design.md, "Seeing the loop").
#include "asyncdemo/loop.hpp"
#include "asyncdemo/run/plan.hpp"
#include "asyncdemo/run/runner.hpp"

#include <cstddef>
#include <cstdio>
#include <memory>
#include <string>

namespace asyncdemo {

enum class StepCommand { next, back, finish, quit, interrupted, unknown };

// What was typed, for the echo or the refusal of an unknown command. A line
// too long to be a command is kept to its first bytes.
struct Typed {
  std::string text;
  std::size_t bytes = 0; // the whole of it: more than text's when it was cut
};

// Where the commands come from.
class StepInput {
public:
  virtual ~StepInput() = default;
  // The next command, and what was typed.
  virtual StepCommand read(Typed& typed) = 0;
  // Whether it is a person at a terminal (keys) rather than a script (lines).
  virtual bool keys() const = 0;
};

// Keys from fd when it is a terminal, else lines. An interrupt (the source's
// wake_fd becoming readable) ends a wait for input at once.
std::unique_ptr<StepInput> step_input(int fd, InterruptSource interrupts);
// Lines from a string, for tests.
std::unique_ptr<StepInput> step_script(std::string lines);

enum class StepEnd { finished, quit, interrupted };

// Walks the frames of `run` (recorded with snapshots) on `out`, `width`
// columns wide, reading commands from `in`; in colour if `style` says so.
// `program`: the program --python prints for the run's mode, shown beside
// the loop (empty: no source pane).
StepEnd step_through(const RunResult& run, StepInput& in, std::FILE* out, std::size_t width,
                     bool out_is_terminal = false, Style style = {}, std::string program = {});

} // namespace asyncdemo
