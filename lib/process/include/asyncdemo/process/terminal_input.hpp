#pragma once
// Input from a descriptor for a prompt (--step's commands): keys on a
// terminal, lines otherwise. A terminal is in key mode (no line editing, no
// echo) for as long as the input lives, not just while a key is awaited: a
// key pressed while the program prints is neither echoed nor held back
// until Enter. An interrupt (the source's wake_fd becoming readable) ends a
// wait for input at once.
//
// Reading costs time in proportion to what was sent and keeps a bounded
// amount of it: a line is kept up to max_line bytes, the rest of it read and
// dropped (a 30 MB line must not take a minute, nor 30 MB).
#include "asyncdemo/loop.hpp"
#include "asyncdemo/process/signals.hpp"

#include <termios.h>

#include <cstddef>
#include <optional>
#include <string>

namespace asyncdemo {

class TerminalInput {
public:
  // What a command line may hold: a command is a word or two.
  static constexpr std::size_t max_line = 256;

  enum class Got { input, end, interrupted };

  struct Line {
    std::string text;      // without its end (\n); at most max_line bytes
    std::size_t bytes = 0; // the whole line's length: more than text's when it was cut
    bool cut() const noexcept { return bytes > text.size(); }
  };

  TerminalInput(int fd, InterruptSource interrupts);
  ~TerminalInput();
  TerminalInput(const TerminalInput&) = delete;
  TerminalInput& operator=(const TerminalInput&) = delete;

  // Whether the input is a terminal in key mode (else it is read in lines).
  bool keys() const noexcept { return keys_; }

  // Key mode: the next key typed (an arrow's escape sequence, a UTF-8
  // character, or one byte). Keys typed ahead wait their turn.
  Got read_key(std::string& key);
  // Line mode: the next line. At the end of input a last line without its
  // \n is a line too; then `end`.
  Got read_line(Line& line);

private:
  bool interrupted() const;
  // Until there is input (true) or an interrupt (false).
  bool wait() const;
  // Reads what is there into pending_: false at the end of input (or an
  // error), and on an interrupt (interrupted() then says so).
  bool fill();

  int fd_;
  InterruptSource irq_;
  bool keys_;
  termios saved_{}, keys_mode_{};
  std::optional<signals::TerminalGuard> guard_; // while the terminal is in key mode
  bool eof_ = false;
  // Read, not yet taken, from pending_[taken_]: never more than one read's
  // worth, whatever was sent.
  std::string pending_;
  std::size_t taken_ = 0;
  Line line_; // the line being read (kept across an interrupted read_line)
};

} // namespace asyncdemo
