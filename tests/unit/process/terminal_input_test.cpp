// Input for a prompt, in-process: a script's lines over a pipe (a line of
// any length read in linear time and kept to max_line bytes), and keys on a
// pseudo-terminal (key mode while the input lives, the settings given back).
#include "asyncdemo/process/terminal_input.hpp"

#include "../test_support.hpp"

#include <doctest/doctest.h>

#include <pty.h>
#include <termios.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

using namespace asyncdemo;

namespace {

using test::PipedText;
using Got = TerminalInput::Got;

} // namespace

TEST_CASE("terminal input: lines from a pipe, a last one without its end, then the end") {
  PipedText piped("n\n\n  back \r\nlast");
  TerminalInput in(piped.fd(), {});
  CHECK_FALSE(in.keys());
  TerminalInput::Line line;
  REQUIRE(in.read_line(line) == Got::input);
  CHECK(line.text == "n");
  REQUIRE(in.read_line(line) == Got::input);
  CHECK(line.text.empty());
  REQUIRE(in.read_line(line) == Got::input);
  CHECK(line.text == "  back \r");
  REQUIRE(in.read_line(line) == Got::input);
  CHECK(line.text == "last");
  CHECK_FALSE(line.cut());
  CHECK(in.read_line(line) == Got::end);
  CHECK(in.read_line(line) == Got::end);
}

TEST_CASE("terminal input: a line of megabytes is cut at max_line, the rest dropped") {
  // 8 MB in one line: read once through (it took minutes when each read
  // searched the whole line again), keeping max_line bytes of it.
  const std::string long_line = "n" + std::string(8 << 20, 'x');
  PipedText piped(long_line + "\nq\n" + std::string(TerminalInput::max_line, 'y') + "\n");
  TerminalInput in(piped.fd(), {});
  TerminalInput::Line line;
  REQUIRE(in.read_line(line) == Got::input);
  CHECK(line.cut());
  CHECK(line.bytes == long_line.size());
  CHECK(line.text == long_line.substr(0, TerminalInput::max_line));
  REQUIRE(in.read_line(line) == Got::input); // the next line is whole
  CHECK(line.text == "q");
  CHECK_FALSE(line.cut());
  REQUIRE(in.read_line(line) == Got::input); // max_line bytes exactly: not cut
  CHECK(line.text.size() == TerminalInput::max_line);
  CHECK_FALSE(line.cut());
  CHECK(in.read_line(line) == Got::end);
}

TEST_CASE("terminal input: an interrupt ends the wait for a line") {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  int wake[2];
  REQUIRE(::pipe(wake) == 0);
  std::atomic<int> requested{0};
  std::atomic<int> noticed{0};
  {
    TerminalInput in(fds[0], InterruptSource{&requested, &noticed, wake[0]});
    REQUIRE(::write(fds[1], "half a li", 9) == 9); // no end of line: it waits
    // As a signal handler does: the request, then the wake-up.
    std::thread interrupter([&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      requested.store(1);
      [[maybe_unused]] const auto n = ::write(wake[1], "x", 1);
    });
    TerminalInput::Line line;
    CHECK(in.read_line(line) == Got::interrupted);
    interrupter.join();
    CHECK(noticed.load() == 1);
  }
  for (int fd : {fds[0], fds[1], wake[0], wake[1]})
    ::close(fd);
}

TEST_CASE("terminal input: keys on a terminal, one at a time, its settings given back") {
  int master = -1;
  int slave = -1;
  REQUIRE(::openpty(&master, &slave, nullptr, nullptr, nullptr) == 0);
  termios before{};
  REQUIRE(::tcgetattr(slave, &before) == 0);
  {
    TerminalInput in(slave, {});
    REQUIRE(in.keys());
    termios during{};
    REQUIRE(::tcgetattr(slave, &during) == 0);
    CHECK((during.c_lflag & (ICANON | ECHO)) == 0);
    const std::string typed = "b\x1b[Cé q";
    REQUIRE(::write(master, typed.data(), typed.size()) == static_cast<ssize_t>(typed.size()));
    std::string key;
    for (const char* want : {"b", "\x1b[C", "é", " ", "q"}) {
      REQUIRE(in.read_key(key) == Got::input);
      CHECK(key == want);
    }
  }
  termios after{};
  REQUIRE(::tcgetattr(slave, &after) == 0);
  CHECK(after.c_lflag == before.c_lflag);
  ::close(slave);
  ::close(master);
}
