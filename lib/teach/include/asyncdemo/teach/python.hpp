#pragma once
// The Python twin (--python): the asyncio program a scenario mirrors, as
// text a learner can read and run with python3. A scenario writes its
// program for the mode (PythonSource), the words that differ between an
// async program and sync mode's plain one chosen by PyForm, never by
// editing text; python_program (scenario.hpp) adds the header with the
// exact command line, SCALE and now(), and the lines that run it. These
// helpers write the parts scenarios share.
#include "asyncdemo/teach/mode.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace asyncdemo {

// Real seconds per scenario second in the program. The usual scale keeps
// deadlines 1 s apart 50 ms apart for real: more than a busy machine's
// scheduling jitter, which could otherwise reorder them. A scenario whose
// deadlines are closer can ask for a slower one.
inline constexpr double default_python_scale = 0.05;

struct PythonSource {
  PythonSource(std::string code_, std::string wrapped_ = {}, double scale_ = default_python_scale,
               std::string footer_ = {})
      : code(std::move(code_)), wrapped(std::move(wrapped_)), scale(scale_),
        footer(std::move(footer_)) {}

  // The definitions, async form, ending with the coroutine that is run.
  std::string code;
  // "": the code's own `async def main()` runs under asyncio.run. A call
  // ("do_something()"): the seeds' plain main() wraps it, printing
  // "Main - Starting", then asyncio.run(call), then "Main - Done".
  std::string wrapped;
  double scale = default_python_scale;
  // Replaces the usual closing lines (`if __name__ == "__main__": ...`).
  std::string footer;
  // The program uses threading (sync mode's locks): the header imports it.
  bool threading = false;
  // The code is a whole program (a .py file's own text): no header, no
  // closing lines.
  bool verbatim = false;
  // Where the code's statements came from (a scenario file's steps), with
  // the line of the code each begins on: how a run finds its lines.
  std::vector<std::pair<const void*, int>> origins;
};

// The words of a program that sync mode writes otherwise: its functions are
// plain (`def`), a wait blocks (`time.sleep`), a call is not awaited.
struct PyForm {
  bool blocking = false;
  std::string_view def() const { return blocking ? "def" : "async def"; }
  std::string_view await_() const { return blocking ? "" : "await "; }
  // asyncio.sleep(seconds), awaited; time.sleep(seconds) in sync mode.
  std::string sleep(std::string_view seconds) const {
    return blocking ? fmt::format("time.sleep({})", seconds)
                    : fmt::format("await asyncio.sleep({})", seconds);
  }
};
PyForm py_form(Mode mode);

// A job as Python calls it: make_coffee() for the job named "coffee".
struct PyJob {
  std::string name;
  std::string call;
};

// The statements of main() that run the jobs as the mode composes them
// (composition_of), indented four spaces, leaving the results (in
// run_jobs' order) in `results`.
std::string python_run_jobs(Mode mode, const std::vector<PyJob>& jobs);

// `text` as Python comment lines ("# ..."), indented `indent` spaces and
// wrapped to 79 columns, each ending in a newline.
std::string python_comment(std::string_view text, int indent);

// A Python string literal that reads back as `text`.
std::string py_str(std::string_view text);

// A number as Python's repr writes it: the shortest text that reads back as
// the same double ("1.0", "0.1").
std::string py_float(double v);

// A list of numbers as Python prints it: [5, 3, 4].
template <class Range> std::string py_list(const Range& numbers) {
  return fmt::format("[{}]", fmt::join(numbers, ", "));
}

} // namespace asyncdemo
