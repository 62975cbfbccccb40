#pragma once
// How a Python program's main composes its work (docs/python-programs.md,
// "Modes"): the coroutine asyncio.run runs is read for one of the five
// compositions of mode.hpp, and when it is the "jobs" shape (its only
// awaits are those of a few coroutine calls, gathered, made tasks, awaited
// one by one or looped over as_completed) the program of every other mode
// is derived from those calls, as a scenario file's modes are.
//
// Every pass here recurses at most as deep as the tree nests: blocks at most
// max_block_depth, expressions at most max_expr_height (the reader refuses
// deeper input), so no input grows the stack further.
#include "asyncdemo/script/ast.hpp"
#include "asyncdemo/teach/mode.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <variant>
#include <vector>

namespace asyncdemo::script::program_shape {

struct Shape {
  // The composition as written (no asyncio.run at all: sync).
  Mode own = Mode::sync;
  // The jobs shape: the other modes are derived from main's calls.
  bool jobs = false;
  // Why it is not, for a message ("main awaits a Queue's get (line 12) besides its jobs").
  std::string why_not_jobs;
  // Of the jobs shape: the modes that cannot be derived, and why.
  std::map<Mode, std::string> underivable;

  // The longest `range(N)` a loop or comprehension of the program goes
  // over while it makes coroutines or tasks (0 if none): a program that
  // may make that many tasks is run light (program.cpp).
  std::int64_t largest_range = 0;

  // The modes it runs in: its own, then those derived (every_mode's order).
  std::vector<Mode> modes() const;
};

Shape analyze(Block& program);

// The program of `mode` (one of shape.modes(), not the own one): `program`
// (the tree of the same source analyze read) transformed. `file` names the
// program in the comment the derived program starts with.
Block derive(Block program, Mode mode, const std::string& file);

} // namespace asyncdemo::script::program_shape
