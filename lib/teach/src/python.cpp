#include "asyncdemo/teach/python.hpp"

#include "asyncdemo/teach/scenario.hpp"
#include "asyncdemo/text/wrap.hpp"

#include <fmt/format.h>

namespace asyncdemo {

namespace {

void replace_all(std::string& s, std::string_view from, std::string_view to) {
  for (auto at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
}

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
  std::string out = fmt::format("asyncdemo {} --mode={}", s.name, to_string(ctx.mode));
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
  std::string out =
      fmt::format("# The asyncio program that `{}` mirrors.\n"
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
                  command_line(s, ctx), threading ? "import threading\n" : "", scale);
  if (s.random) out += fmt::format("\nrandom.seed({})\n", ctx.seed);
  return out + "\n";
}

} // namespace

std::string python_program(const Scenario& s, const Context& ctx) {
  const auto src = s.python(ctx);
  std::string body = src.code;
  if (!src.wrapped.empty())
    body += fmt::format("\n\ndef main():\n"
                        "    print(\"Main - Starting\")\n"
                        "    asyncio.run({})\n"
                        "    print(\"Main - Done\")\n",
                        src.wrapped);
  if (ctx.mode == Mode::sync) body = python_blocking(body);
  std::string footer = src.footer;
  if (footer.empty()) {
    // A plain main() (the seeds' wrapper, or any main in sync mode) is
    // called; an async one is run by asyncio.
    const bool plain = !src.wrapped.empty() || ctx.mode == Mode::sync;
    footer = plain ? "\n\nif __name__ == \"__main__\":\n    main()\n"
                   : "\n\nif __name__ == \"__main__\":\n    asyncio.run(main())\n";
  }
  // A sync program's locks are threading's (python_blocking).
  const bool threading = body.find("threading.") != std::string::npos;
  return header(s, ctx, src.scale, threading) + body + footer;
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
  }
  return out; // own modes have no asyncio form: their scenario writes its own program
}

std::string python_blocking(std::string_view async_source) {
  std::string s(async_source);
  replace_all(s, "async def ", "def ");
  // A sleep that now blocks: its comment said what awaiting it lets happen.
  constexpr std::string_view sleep_call = "await asyncio.sleep(";
  for (auto at = s.find(sleep_call); at != std::string::npos; at = s.find(sleep_call, at)) {
    s.replace(at, sleep_call.size(), "time.sleep(");
    const auto eol = s.find('\n', at);
    const auto hash = s.find("  #", at);
    if (hash != std::string::npos && hash < eol) s.erase(hash, eol - hash);
  }
  // asyncio.to_thread(time.sleep, d) is the call itself; `async with` a
  // lock is `with` a threading one (a plain program has no event loop).
  replace_all(s, "await asyncio.to_thread(time.sleep, ", "time.sleep(");
  replace_all(s, "async with ", "with ");
  for (const char* cls : {"Lock(", "Semaphore(", "BoundedSemaphore("})
    replace_all(s, std::string("asyncio.") + cls, std::string("threading.") + cls);
  // A plain program has no loop and no other tasks: what a time.sleep's
  // comment says about them (holds the loop, would let others run) is untrue.
  constexpr std::string_view block_call = "time.sleep(";
  for (auto at = s.find(block_call); at != std::string::npos; at = s.find(block_call, at + 1)) {
    const auto eol = s.find('\n', at);
    const auto hash = s.find("  #", at);
    if (hash != std::string::npos && hash < eol) s.erase(hash, eol - hash);
  }
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

std::string python_comment(std::string_view text, int indent) {
  const std::string lead = std::string(static_cast<std::size_t>(indent), ' ') + "# ";
  std::string out;
  for (const auto& line : wrap(text, 79 - lead.size()))
    out += lead + line + "\n";
  return out;
}

std::string py_str(std::string_view text) {
  std::string out = "\"";
  for (const unsigned char c : text) {
    if (c == '\\' || c == '"')
      out += fmt::format("\\{}", static_cast<char>(c));
    else if (c < 0x20 || c == 0x7f)
      out += fmt::format("\\x{:02x}", c);
    else
      out += static_cast<char>(c);
  }
  return out + "\"";
}

std::string py_float(double v) {
  std::string s = fmt::format("{}", v);
  if (s.find_first_of(".en") == std::string::npos) s += ".0";
  return s;
}

} // namespace asyncdemo
