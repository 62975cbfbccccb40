#include "asyncdemo/process/memory.hpp"

#include <fmt/format.h>

#include <sys/resource.h>

#include <atomic>
#include <cstdlib>
#include <new>

namespace asyncdemo::memory {

namespace {

std::atomic<void*> g_reserve{nullptr};
std::atomic<bool> g_exhausted{false};

void out_of_memory() {
  g_exhausted.store(true, std::memory_order_relaxed);
  std::free(g_reserve.exchange(nullptr));
  throw std::bad_alloc();
}

} // namespace

void install(std::size_t reserve) {
  if (reserve > 0 && !g_reserve.load()) g_reserve.store(std::malloc(reserve));
  std::set_new_handler(&out_of_memory);
}

bool exhausted() noexcept {
  return g_exhausted.load(std::memory_order_relaxed);
}

std::string why() {
  rlimit as{};
  if (getrlimit(RLIMIT_AS, &as) == 0 && as.rlim_cur != RLIM_INFINITY)
    return fmt::format("the address-space limit (ulimit -v) is {} MiB, and the run needed more; "
                       "give it more, or make the run smaller (fewer tasks, steps or prints)",
                       as.rlim_cur >> 20);
  return "the run needed more memory than the machine could give; make it smaller (fewer tasks, "
         "steps or prints), or give it more memory";
}

} // namespace asyncdemo::memory
