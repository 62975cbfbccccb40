#pragma once
// print_line: the seeds' print(), reported to the loop's observer with the
// time and the task that printed, so reports can show it live and tests can
// compare it. (Formatted printing, print("{} s", x), is the teaching
// layer's: asyncdemo/teach/print.hpp.)
#include "asyncdemo/duration.hpp"

#include <string>

namespace asyncdemo {

// Inside a loop: a print event. Outside one: a line on stdout.
void print_line(std::string text);
// The same, printed `ahead` past the loop's time: by a function that runs as
// if on a worker whose clock is ahead of the loop's (to_thread).
void print_line_ahead(Duration ahead, std::string text);

} // namespace asyncdemo
