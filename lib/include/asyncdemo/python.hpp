#pragma once
// --python: the asyncio program a scenario mirrors, as text a learner can
// read and run with python3. Scenarios write their coroutines in Python
// once (async form); these helpers add the common header, build main() for
// each mode the way run_jobs runs it, and derive the blocking (sync) form.
#include "asyncdemo/mode.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace asyncdemo {

// A job as Python calls it: make_coffee() for the job named "coffee".
struct PyJob {
  std::string name;
  std::string call;
};

// The program's top: what it mirrors, the imports, SCALE (real seconds per
// scenario second, so it runs fast), now() in scenario seconds, and
// random.seed(seed) when the scenario draws random numbers. The usual scale
// keeps deadlines 1 s apart 50 ms apart for real: more than a busy machine's
// scheduling jitter, which could otherwise reorder them. A scenario whose
// deadlines are closer can ask for a slower one.
inline constexpr double default_python_scale = 0.05;
std::string python_header(std::string_view command, std::optional<std::uint64_t> seed,
                          double scale = default_python_scale);

// The statements of main() that run the jobs in this mode, indented four
// spaces, leaving the results (in run_jobs' order) in `results`.
std::string python_run_jobs(Mode mode, const std::vector<PyJob>& jobs);

// The blocking form of async code, for sync mode: `async def` becomes `def`,
// `await asyncio.sleep(` becomes `time.sleep(`, other awaits are dropped, and
// asyncio.run(x()) becomes x().
std::string python_blocking(std::string_view async_source);

// The program's last lines: run main() (asyncio.run, or a call in sync mode).
std::string python_footer(Mode mode);

} // namespace asyncdemo
