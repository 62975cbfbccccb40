// What this process may still take of the machine (resources.hpp): memory,
// threads; read from /proc, getrlimit and the cgroup.
#include "asyncdemo/process/resources.hpp"

#include <pthread.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <limits>
#include <string>

namespace asyncdemo {

namespace {

std::size_t read_first_number(const std::string& path) {
  std::ifstream in(path);
  std::size_t v = 0;
  if (in >> v) return v;
  return std::numeric_limits<std::size_t>::max();
}

// MemAvailable from /proc/meminfo, in bytes.
std::size_t available_memory() {
  std::ifstream in("/proc/meminfo");
  std::string key;
  std::size_t kib = 0;
  std::string unit;
  while (in >> key >> kib >> unit)
    if (key == "MemAvailable:") return kib * 1024;
  return static_cast<std::size_t>(sysconf(_SC_AVPHYS_PAGES)) *
         static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
}

std::size_t page_size() {
  return static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
}

// The address space mapped now (what ulimit -v counts).
std::size_t mapped_bytes() {
  std::ifstream in("/proc/self/statm");
  std::size_t size = 0;
  in >> size;
  return size * page_size();
}

// This process's cgroup (v2), as a directory under /sys/fs/cgroup.
std::string cgroup_dir() {
  std::ifstream in("/proc/self/cgroup");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("0::", 0) == 0) return "/sys/fs/cgroup" + line.substr(3);
  return {};
}

// What the cgroup and its parents still allow of `limit_file` (memory.max,
// pids.max) given `usage_file` (memory.current, pids.current).
std::size_t cgroup_room(const char* limit_file, const char* usage_file) {
  std::size_t room = std::numeric_limits<std::size_t>::max();
  for (std::string dir = cgroup_dir(); dir.size() > std::string("/sys/fs/cgroup").size();
       dir = dir.substr(0, dir.rfind('/'))) {
    const auto limit = read_first_number(dir + "/" + limit_file); // "max" reads as no number
    if (limit == std::numeric_limits<std::size_t>::max()) continue;
    const auto used = read_first_number(dir + "/" + usage_file);
    const auto left =
        used != std::numeric_limits<std::size_t>::max() && limit > used ? limit - used : 0;
    room = std::min(room, left);
  }
  return room;
}

// The stack a new thread maps (pthread's default: ulimit -s, usually 8 MiB).
std::size_t thread_stack_bytes() {
  pthread_attr_t attr;
  std::size_t size = 8u << 20;
  if (pthread_getattr_default_np(&attr) == 0) {
    pthread_attr_getstacksize(&attr, &size);
    pthread_attr_destroy(&attr);
  }
  return size + page_size(); // and its guard page
}

void consider(Limit& best, std::size_t count, const char* reason) {
  if (count < best.count) best = Limit{count, reason};
}

} // namespace

std::size_t resident_bytes() {
  std::ifstream in("/proc/self/statm");
  std::size_t size = 0, resident = 0;
  in >> size >> resident;
  return resident * page_size();
}

std::size_t peak_resident_bytes() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<std::size_t>(u.ru_maxrss) * 1024;
}

Limit memory_limit() {
  Limit best{available_memory(), "the memory available (MemAvailable)"};
  rlimit as{};
  if (getrlimit(RLIMIT_AS, &as) == 0 && as.rlim_cur != RLIM_INFINITY) {
    const auto used = mapped_bytes();
    consider(best, as.rlim_cur > used ? static_cast<std::size_t>(as.rlim_cur) - used : 0,
             "the address-space limit (ulimit -v)");
  }
  consider(best, cgroup_room("memory.max", "memory.current"), "the cgroup's memory.max");
  return best;
}

Limit thread_limit() {
  // Each limit, less what is in use already (threads now running, counted
  // by /proc/loadavg's fourth field, "running/total").
  std::size_t running = 0;
  {
    std::ifstream in("/proc/loadavg");
    std::string a, b, c, d;
    if (in >> a >> b >> c >> d) {
      const auto slash = d.find('/');
      if (slash != std::string::npos) running = std::stoul(d.substr(slash + 1));
    }
  }
  Limit best{std::numeric_limits<std::size_t>::max(), ""};
  auto less_running = [&](std::size_t limit) { return limit > running ? limit - running : 0; };
  consider(best, less_running(read_first_number("/proc/sys/kernel/threads-max")),
           "kernel.threads-max");
  consider(best, less_running(read_first_number("/proc/sys/kernel/pid_max")), "kernel.pid_max");
  // Each thread maps its stack and a guard page.
  consider(best, read_first_number("/proc/sys/vm/max_map_count") / 2, "vm.max_map_count");
  rlimit nproc{};
  if (getrlimit(RLIMIT_NPROC, &nproc) == 0 && nproc.rlim_cur != RLIM_INFINITY)
    consider(best, less_running(static_cast<std::size_t>(nproc.rlim_cur)), "ulimit -u");
  consider(best, cgroup_room("pids.max", "pids.current"), "the cgroup's pids.max");
  // Each stack is mapped whole: the address-space limit counts all of it.
  rlimit as{};
  if (getrlimit(RLIMIT_AS, &as) == 0 && as.rlim_cur != RLIM_INFINITY) {
    const auto used = mapped_bytes();
    const auto left = as.rlim_cur > used ? static_cast<std::size_t>(as.rlim_cur) - used : 0;
    consider(best, left / thread_stack_bytes(), "the address-space limit (ulimit -v)");
  }
  // A thread costs its touched stack, its kernel stack and bookkeeping: 64 KiB
  // is on the safe side.
  const auto memory = memory_limit();
  if (memory.count / (64 * 1024) < best.count)
    best = Limit{memory.count / (64 * 1024), memory.reason};
  return best;
}

} // namespace asyncdemo
