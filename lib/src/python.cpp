#include "asyncdemo/python.hpp"

#include <fmt/format.h>

#include <stdexcept>

namespace asyncdemo {

namespace {

void replace_all(std::string& s, std::string_view from, std::string_view to) {
  for (auto at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
}

std::string call_list(const std::vector<PyJob>& jobs, std::string_view prefix) {
  std::string out;
  for (const auto& j : jobs)
    out += fmt::format("{}{}{}", out.empty() ? "" : ", ", prefix, j.call);
  return out;
}

} // namespace

std::string python_header(std::string_view command, std::optional<std::uint64_t> seed,
                          double scale) {
  std::string out =
      fmt::format("# The asyncio program that `asyncdemo {}` mirrors.\n"
                  "# Run it with python3: it prints the same lines in the same order.\n"
                  "import asyncio\n"
                  "import random\n"
                  "import time\n"
                  "\n"
                  "# Real seconds per scenario second: 1 runs at the tutorial's own pace.\n"
                  "SCALE = {}\n"
                  "START = time.perf_counter()\n"
                  "\n"
                  "\n"
                  "def now():\n"
                  "    \"\"\"Scenario seconds since the program started.\"\"\"\n"
                  "    return (time.perf_counter() - START) / SCALE\n"
                  "\n",
                  command, scale);
  if (seed) out += fmt::format("\nrandom.seed({})\n", *seed);
  return out + "\n";
}

std::string python_run_jobs(Mode mode, const std::vector<PyJob>& jobs) {
  std::string out;
  switch (mode) {
  case Mode::sync:
    return fmt::format("    results = [{}]\n", call_list(jobs, ""));
  case Mode::await_:
    return fmt::format("    results = [{}]\n", call_list(jobs, "await "));
  case Mode::create_task:
    for (std::size_t i = 0; i < jobs.size(); ++i)
      out += fmt::format("    task{} = asyncio.create_task({}, name=\"{}\")\n", i + 1, jobs[i].call,
                         jobs[i].name);
    out += "    results = [";
    for (std::size_t i = 0; i < jobs.size(); ++i)
      out += fmt::format("{}await task{}", i ? ", " : "", i + 1);
    return out + "]\n";
  case Mode::gather:
    return fmt::format("    results = await asyncio.gather({})\n", call_list(jobs, ""));
  case Mode::as_completed:
    out = "    tasks = [\n";
    for (const auto& j : jobs)
      out += fmt::format("        asyncio.create_task({}, name=\"{}\"),\n", j.call, j.name);
    return out + "    ]\n"
                 "    results = []\n"
                 "    for next_done in asyncio.as_completed(tasks):\n"
                 "        results.append(await next_done)\n";
  case Mode::threads: // no asyncio form: the scenario writes its own program
    throw std::logic_error("python_run_jobs: threads mode has no asyncio form");
  }
  return out;
}

std::string python_blocking(std::string_view async_source) {
  std::string s(async_source);
  replace_all(s, "async def ", "def ");
  replace_all(s, "await asyncio.sleep(", "time.sleep(");
  replace_all(s, "await ", "");
  // asyncio.run(x()) becomes x(): drop the call and its closing bracket.
  constexpr std::string_view run = "asyncio.run(";
  for (auto at = s.find(run); at != std::string::npos; at = s.find(run, at)) {
    int depth = 1;
    std::size_t close = at + run.size();
    for (; close < s.size() && depth > 0; ++close)
      depth += s[close] == '(' ? 1 : s[close] == ')' ? -1 : 0;
    if (depth == 0) s.erase(close - 1, 1);
    s.erase(at, run.size());
  }
  return s;
}

std::string python_footer(Mode mode) {
  return mode == Mode::sync ? "\n\nif __name__ == \"__main__\":\n    main()\n"
                            : "\n\nif __name__ == \"__main__\":\n    asyncio.run(main())\n";
}

} // namespace asyncdemo
