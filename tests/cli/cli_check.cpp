// cli_check: what asyncdemo would answer to each of many command lines, in
// one process, without running any scenario. The hostile-input test
// (hostile_inputs.py) sends it every case it makes, and checks a sample of
// them against the binary itself.
//
// stdin, one record per command line: "N\n", then its N arguments (after
// the program's name), each as "LENGTH\n" and LENGTH bytes.
// stdout, one record per command line: "KIND STATUS OUT ERR\n", then OUT
// bytes of what the binary would print on stdout and ERR bytes of what it
// would print on stderr, where KIND is
//   usage  refused (status 2, one line on stderr);
//   print  text instead of a run (--help, list, show, --python, ...);
//   run    accepted: planned, and its reporters made (their files checked),
//          as the binary does before it runs; nothing is run (status 0);
//   error  an exception, as the binary reports it (status 1).
#include "asyncdemo/cli/interpret.hpp"
#include "asyncdemo/report/reporters.hpp"

#include <cstdio>
#include <exception>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace {

using namespace asyncdemo;

struct Answer {
  const char* kind;
  int status;
  std::string out, err;
};

Answer usage(const std::string& message) {
  return {"usage", cli::exit_usage, "", "asyncdemo: " + message + "\n"};
}

// What the binary (app/main.cpp) does with a command line, short of running it.
Answer answer(const std::vector<std::string>& args) {
  try {
    const auto outcome = cli::interpret(args, Environment::of_process());
    if (const auto* u = std::get_if<cli::Usage>(&outcome)) return usage(u->message);
    if (const auto* p = std::get_if<cli::Print>(&outcome)) return {"print", p->status, p->text, ""};
    // The reporters are made (and so their files checked) but never driven:
    // nothing reaches stdout.
    const auto& plan = std::get<cli::Run>(outcome).plan;
    const auto reporters = make_reporters(plan, stdout);
    if (!reporters.error.empty()) return usage(reporters.error);
    return {"run", 0, "", cli::notes_text(plan)};
  } catch (const std::exception& e) {
    return {"error", 1, "", "asyncdemo: error: " + std::string(e.what()) + "\n"};
  }
}

std::optional<std::size_t> read_count() {
  std::size_t n = 0;
  int c = 0;
  bool digits = false;
  while ((c = std::getchar()) != EOF && c != '\n') {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + static_cast<std::size_t>(c - '0');
    digits = true;
  }
  if (!digits) return std::nullopt;
  return n;
}

std::optional<std::vector<std::string>> read_record() {
  const auto n = read_count();
  if (!n) return std::nullopt;
  std::vector<std::string> args;
  for (std::size_t i = 0; i < *n; ++i) {
    const auto length = read_count();
    if (!length) return std::nullopt;
    std::string arg(*length, '\0');
    if (std::fread(arg.data(), 1, arg.size(), stdin) != arg.size()) return std::nullopt;
    args.push_back(std::move(arg));
  }
  return args;
}

void write(const std::string& text) {
  std::fwrite(text.data(), 1, text.size(), stdout);
}

} // namespace

int main() {
  std::size_t records = 0;
  while (true) {
    if (std::feof(stdin)) break;
    const int next = std::getchar();
    if (next == EOF) break;
    std::ungetc(next, stdin);
    const auto args = read_record();
    if (!args) {
      std::fprintf(stderr,
                   "cli_check: record %zu is not 'N\\n' then N times 'LENGTH\\n' and "
                   "LENGTH bytes\n",
                   records + 1);
      return 2;
    }
    const auto a = answer(*args);
    write(std::string(a.kind) + " " + std::to_string(a.status) + " " +
          std::to_string(a.out.size()) + " " + std::to_string(a.err.size()) + "\n");
    write(a.out);
    write(a.err);
    ++records;
  }
  if (std::fflush(stdout) != 0) {
    std::fputs("cli_check: could not write the answers\n", stderr);
    return 1;
  }
  return 0;
}
