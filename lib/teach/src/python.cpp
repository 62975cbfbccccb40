#include "asyncdemo/teach/python.hpp"

#include "asyncdemo/teach/scenario.hpp"
#include "asyncdemo/text/quote.hpp"
#include "asyncdemo/text/wrap.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace asyncdemo {

namespace {

// A value as a shell word: as it is when it is plain, else in single quotes.
std::string shell_word(std::string_view v) {
  if (!v.empty() && v.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                        "0123456789,._+-:/=") == std::string_view::npos)
    return std::string(v);
  std::string out = "'";
  for (char c : v)
    out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string call_list(const std::vector<PyJob>& jobs, std::string_view prefix) {
  std::string out;
  for (const auto& j : jobs)
    out += fmt::format("{}{}{}", out.empty() ? "" : ", ", prefix, j.call);
  return out;
}

// The command line this program mirrors: the scenario, the mode, and the
// parameters and seed as they were given (the others have their defaults).
std::string command_line(const Scenario& s, const Context& ctx) {
  std::string out =
      fmt::format("asyncdemo {} --mode={}", s.user_file ? "run " + shell_word(s.file) : s.name,
                  to_string(ctx.mode));
  for (const auto& p : s.params) {
    if (!ctx.params.given(p.name)) continue;
    const auto& value = ctx.params.get(p.name);
    if (!p.flag)
      out += fmt::format(" --{}={}", p.name, shell_word(value));
    else if (value == "true")
      out += fmt::format(" --{}", p.name);
  }
  if (s.random && ctx.params.given("seed")) out += fmt::format(" --seed={}", ctx.seed);
  return out;
}

std::string header(const Scenario& s, const Context& ctx, double scale, bool threading) {
  std::string out = fmt::format(
      "# The asyncio program that `{}` mirrors.\n"
      "# Run it with python3: it prints the same lines in the same order.\n"
      "import asyncio\n"
      "import random\n"
      "{}"
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
      // A comment is one line, whatever the file is called.
      escape_like_repr(command_line(s, ctx)), threading ? "import threading\n" : "", scale);
  if (s.random) out += fmt::format("\nrandom.seed({})\n", ctx.seed);
  return out + "\n";
}

} // namespace

std::string python_program(const Scenario& s, const Context& ctx) {
  const auto src = s.python(ctx);
  if (src.verbatim) return src.code;
  std::string body = src.code;
  const auto form = py_form(ctx.mode);
  // The seeds' plain main() runs the coroutine; in sync mode it calls the
  // plain function.
  if (!src.wrapped.empty())
    body += fmt::format("\n\ndef main():\n"
                        "    print(\"Main - Starting\")\n"
                        "    {}\n"
                        "    print(\"Main - Done\")\n",
                        form.blocking ? src.wrapped : fmt::format("asyncio.run({})", src.wrapped));
  std::string footer = src.footer;
  if (footer.empty()) {
    // A plain main() (the seeds' wrapper, or any main in sync mode) is
    // called; an async one is run by asyncio.
    const bool plain = !src.wrapped.empty() || form.blocking;
    footer = plain ? "\n\nif __name__ == \"__main__\":\n    main()\n"
                   : "\n\nif __name__ == \"__main__\":\n    asyncio.run(main())\n";
  }
  return header(s, ctx, src.scale, src.threading) + body + footer;
}

int python_code_line(const Scenario& s, const Context& ctx, const PythonSource& src) {
  if (src.verbatim) return 1;
  const auto head = header(s, ctx, src.scale, src.threading);
  return 1 + static_cast<int>(std::count(head.begin(), head.end(), '\n'));
}

PyForm py_form(Mode mode) {
  return PyForm{composition_of(mode).blocking};
}

std::string python_run_jobs(Mode mode, const std::vector<PyJob>& jobs) {
  using C = Composition::Collect;
  if (!is_asyncio_mode(mode)) return {}; // own modes: their scenario writes its own program
  const auto how = composition_of(mode);
  if (!how.tasks)
    return fmt::format("    results = [{}]\n", call_list(jobs, py_form(mode).await_()));
  std::string out;
  switch (how.collect) {
  case C::each_call:
  case C::each_task:
    for (std::size_t i = 0; i < jobs.size(); ++i)
      out += fmt::format("    task{} = asyncio.create_task({}, name=\"{}\")\n", i + 1, jobs[i].call,
                         jobs[i].name);
    out += "    results = [";
    for (std::size_t i = 0; i < jobs.size(); ++i)
      out += fmt::format("{}await task{}", i ? ", " : "", i + 1);
    return out + "]\n";
  case C::gather:
    return fmt::format("    results = await asyncio.gather({})\n", call_list(jobs, ""));
  case C::as_completed:
    out = "    tasks = [\n";
    for (const auto& j : jobs)
      out += fmt::format("        asyncio.create_task({}, name=\"{}\"),\n", j.call, j.name);
    return out + "    ]\n"
                 "    results = []\n"
                 "    for next_done in asyncio.as_completed(tasks):\n"
                 "        results.append(await next_done)\n";
  }
  return out;
}

std::string python_comment(std::string_view text, int indent) {
  const std::string lead = std::string(static_cast<std::size_t>(indent), ' ') + "# ";
  std::string out;
  for (const auto& line : wrap(text, 79 - lead.size()))
    out += lead + line + "\n";
  return out;
}

std::string py_str(std::string_view text) {
  std::string out;
  for (const char c : text)
    if (c == '\\' || c == '"')
      out += std::string("\\") + c;
    else
      out += c;
  // Whatever repr escapes for being invisible: the program may be shown on a terminal.
  return "\"" + escape_like_repr(out) + "\"";
}

std::string py_float(double v) {
  std::string s = fmt::format("{}", v);
  if (s.find_first_of(".en") == std::string::npos) s += ".0";
  return s;
}

} // namespace asyncdemo
