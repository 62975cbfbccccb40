// --step's commands from a script piped in: what each line says, and a line
// of megabytes refused in one short line, as any unknown command is.
#include "asyncdemo/process/terminal_input.hpp"
#include "asyncdemo/report/step.hpp"
#include "asyncdemo/run/runner.hpp"
#include "asyncdemo/text/quote.hpp"

#include "../test_support.hpp"

#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>

using namespace asyncdemo;

TEST_CASE("step: a script's lines are commands; a line of megabytes is an unknown one") {
  const std::string huge = "next" + std::string(4 << 20, 'x');
  test::PipedText piped(" n \nb\r\n" + huge + "\ncontinue\nquit\nwhat\n");
  auto in = step_input(piped.fd(), {});
  CHECK_FALSE(in->keys());
  Typed typed;
  CHECK(in->read(typed) == StepCommand::next);
  CHECK(in->read(typed) == StepCommand::back);
  CHECK(in->read(typed) == StepCommand::unknown);
  CHECK(typed.text == huge.substr(0, TerminalInput::max_line)); // kept: what a message may quote
  CHECK(typed.bytes == huge.size());
  CHECK(in->read(typed) == StepCommand::finish);
  CHECK(in->read(typed) == StepCommand::quit);
  CHECK(in->read(typed) == StepCommand::unknown);
  CHECK(typed.text == "what");
  CHECK(in->read(typed) == StepCommand::finish); // the end of input: to the end
  CHECK(typed.text.empty());
}

TEST_CASE("step: an overlong line is refused in one short line, then the steps go on") {
  const auto* s = Registry::instance().find("breakfast");
  REQUIRE(s != nullptr);
  const auto run = model_run(*s, s->default_params(), Mode::gather, default_seed, {}, true);
  test::PipedText piped(std::string(1 << 20, 'y') + "\nq\n");
  auto in = step_input(piped.fd(), {});
  char* text = nullptr;
  std::size_t size = 0;
  std::FILE* out = ::open_memstream(&text, &size);
  REQUIRE(out != nullptr);
  const auto end = step_through(run, *in, out, 80);
  std::fclose(out);
  const std::string shown(text, size);
  std::free(text);
  CHECK(end == StepEnd::quit);
  CHECK(shown.size() < 20'000); // a frame or two, not the megabyte
  std::istringstream lines(shown);
  for (std::string line; std::getline(lines, line);)
    CHECK(line.size() < 200);
  // Echoed and refused as any unknown command, its length said in full.
  const auto quoted = "'" + std::string(max_echoed, 'y') + "…' (1048576 bytes)";
  CHECK(shown.find("› " + quoted + "\n") != std::string::npos);
  CHECK(shown.find(quoted + "\nis not a command") != std::string::npos);
}
