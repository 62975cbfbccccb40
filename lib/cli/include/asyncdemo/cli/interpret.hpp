#pragma once
// A command line, understood: what asyncdemo would do with it, short of
// running anything. The binary (app/main.cpp) prints or runs the outcome;
// the tests ask for it in-process (tests/unit/cli/, tests/cli/cli_check.cpp).
#include "asyncdemo/run/plan.hpp"
#include "asyncdemo/teach/scenario.hpp"

#include <memory>
#include <string>
#include <variant>
#include <vector>

namespace asyncdemo::cli {

inline constexpr int exit_usage = 2;

// Bad usage: one line on stderr, "asyncdemo: " then this, and exit 2.
// interpret() makes it one line whatever it echoes (a file's name with a
// newline in it): every control and invisible character escaped.
struct Usage {
  std::string message;
};

// Text for stdout, and the exit status: --help, --version, list, show,
// --generate, --python's program, the usage of asyncdemo alone. Text for
// people (help, list) comes out of interpret() with every control and
// invisible character escaped but the newlines (a file's summary and
// parameters' help are someone else's text); a program's or a format's
// text (--python, show, --generate, list --format=json or csv) is as made.
struct Print {
  std::string text;
  int status = 0;
  bool for_people = true;
};

// A run, planned and checked (but for the reporters' own checks of their
// files, which make_reporters makes).
struct Run {
  std::shared_ptr<const Scenario> file; // the scenario of asyncdemo run FILE: plan.scenario's
  RunPlan plan;
};

using Outcome = std::variant<Usage, Print, Run>;

// `args`: the arguments after the program's name. `env`: the process's
// surroundings (the width of help and list, colour, the plan's defaults).
Outcome interpret(const std::vector<std::string>& args, const Environment& env);

// What a run's plan inferred (RunPlan::notes), as the binary prints it on
// stderr before the run: "asyncdemo: " and the note, a line each.
std::string notes_text(const RunPlan& plan);

} // namespace asyncdemo::cli
