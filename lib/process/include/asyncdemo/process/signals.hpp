#pragma once
// Signals, for the whole life of the process. SIGINT, SIGTERM and SIGHUP
// ask for the run to stop: the first cancels it (the loop sees the request
// at once, the session between runs) and the tool ends as an interrupted
// run does, with 128 + the signal's number; a second one stops the process
// at once. If the first is not noticed within a second (the output is
// blocked, say), the process stops then too. A stop that cannot wait
// removes the temporary files first: none is ever left behind.
//
// SIGXFSZ is ignored, so that a file-size limit is a write error, reported
// like any other; SIGPIPE keeps its default (a closed pipe ends us quietly).
#include "asyncdemo/loop.hpp"

#include <termios.h>

namespace asyncdemo::signals {

// Once, first thing in main: opens whatever of descriptors 0-2 is closed
// (read-only on /dev/null, so that a write to a closed stdout still fails
// and no file of ours ever lands on 0-2), then installs the handlers.
void install();

// The source the loop and the session read.
InterruptSource source() noexcept;
// Whether a stop was asked for, and the exit status it calls for (130 for
// SIGINT, 143 for SIGTERM, 129 for SIGHUP).
bool requested() noexcept;
int exit_status() noexcept;

// A temporary file to remove should the process stop at once. While the
// guard lives, the path is registered (a few at most at a time).
class TempFileGuard {
public:
  explicit TempFileGuard(const char* path) noexcept;
  ~TempFileGuard();
  TempFileGuard(const TempFileGuard&) = delete;
  TempFileGuard& operator=(const TempFileGuard&) = delete;

private:
  int slot_ = -1;
};

// A terminal whose settings must be put back should the process stop at
// once (--step reads keys one by one). While the guard lives, `fd`'s
// settings are restored from `saved` by a stop that cannot wait.
class TerminalGuard {
public:
  TerminalGuard(int fd, const struct termios& saved) noexcept;
  ~TerminalGuard();
  TerminalGuard(const TerminalGuard&) = delete;
  TerminalGuard& operator=(const TerminalGuard&) = delete;
};

} // namespace asyncdemo::signals
