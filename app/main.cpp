// asyncdemo's command line, wired: signals first, then the command line
// understood (lib/cli: the options, the grammar, the plan), then what it asks
// for printed or run, and the outcome turned into an exit status.
#include "asyncdemo/cli/interpret.hpp"
#include "asyncdemo/process/memory.hpp"
#include "asyncdemo/process/signals.hpp"
#include "asyncdemo/report/reporters.hpp"
#include "asyncdemo/run/session.hpp"
#include "asyncdemo/text/quote.hpp"

#include <cstdio>
#include <exception>
#include <new>
#include <string>
#include <variant>
#include <vector>

namespace {

using namespace asyncdemo;

constexpr int exit_failed = 1;
constexpr int exit_unmet = 3; // --expect or --min-speedup did not hold

// One line on stderr: what was wrong and what would be right, whatever it
// echoes (escaped). (fputs: a closed or full stderr must not turn a usage
// error into a crash.)
int usage_error(const std::string& message) {
  std::fputs(("asyncdemo: " + escape_like_repr(message) + "\n").c_str(), stderr);
  return cli::exit_usage;
}

int run(const cli::Run& r) {
  // Checked before anything runs: an unwritable --trace is refused now.
  auto reporters = make_reporters(r.plan, stdout);
  if (!reporters.error.empty()) return usage_error(reporters.error);
  std::fputs(cli::notes_text(r.plan).c_str(), stderr);
  switch (run_session(r.plan, reporters.pointers(), stderr, signals::source())) {
  case SessionOutcome::ok:
    return 0;
  case SessionOutcome::failed:
    return exit_failed;
  case SessionOutcome::interrupted:
    return signals::exit_status();
  case SessionOutcome::unmet:
    return exit_unmet;
  }
  return exit_failed;
}

int run_cli(const std::vector<std::string>& args) {
  const auto outcome = cli::interpret(args, Environment::of_process());
  if (const auto* usage = std::get_if<cli::Usage>(&outcome)) return usage_error(usage->message);
  if (const auto* print = std::get_if<cli::Print>(&outcome)) {
    std::fputs(print->text.c_str(), stdout);
    return print->status;
  }
  return run(std::get<cli::Run>(outcome));
}

} // namespace

// Whatever escapes is one line and exit 1, and a write error on stdout is
// reported (into a closed pipe SIGPIPE has already ended us quietly).
int main(int argc, char** argv) {
  // First of all: signals are handled, and descriptors 0-2 are open, for
  // the whole life of the process.
  signals::install();
  memory::install();
  int code = exit_failed;
  try {
    code = run_cli(std::vector<std::string>(argv + 1, argv + argc));
  } catch (const std::bad_alloc&) {
    std::fflush(stdout); // what was printed comes first
    std::fputs(("asyncdemo: out of memory: " + memory::why() + "\n").c_str(), stderr);
    return exit_failed;
  } catch (const std::exception& e) {
    std::fputs(("asyncdemo: error: " + escape_like_repr(e.what()) + "\n").c_str(), stderr);
    return exit_failed;
  }
  if (std::fflush(stdout) != 0 || std::ferror(stdout)) {
    std::fputs("asyncdemo: error: could not write the output\n", stderr);
    return exit_failed;
  }
  // A stop asked for at the very end still ends as one.
  if (code == 0 && signals::requested()) return signals::exit_status();
  return code;
}
