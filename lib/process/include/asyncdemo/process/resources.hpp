#pragma once
// What this process may still take of the machine: bytes of memory,
// threads. A count that would not fit is refused before anything is made
// (a swarm's tasks, a file's jobs), naming the limit that says so.
#include <cstddef>
#include <string>

namespace asyncdemo {

// How much of something this process may still take, and the limit that
// says so ("kernel.pid_max", "ulimit -v", "the cgroup's memory.max", ...).
struct Limit {
  std::size_t count = 0;
  std::string reason;
};
// Bytes of memory this process may still use: the tightest of the memory
// available, its address-space limit (ulimit -v) and its cgroup's limit.
Limit memory_limit();
// How many threads this machine can still start.
Limit thread_limit();

// Memory of this process: resident now, and the peak so far (getrusage).
std::size_t resident_bytes();
std::size_t peak_resident_bytes();

} // namespace asyncdemo
