#include "asyncdemo/detail/pool.hpp"

#include <sys/mman.h>

#include <array>
#include <cstdint>
#include <mutex>
#include <new>
#include <vector>

namespace asyncdemo::detail {

namespace {

constexpr std::size_t granule = 16;
constexpr std::size_t max_pooled = 512;
// Chunks are huge-page sized and aligned: a million frames touch 2 MiB pages
// (one page fault and one TLB entry each) instead of 4 KiB ones.
constexpr std::size_t chunk_size = 2 * 1024 * 1024;

#if defined(__SANITIZE_ADDRESS__)
// Under AddressSanitizer every block goes to malloc, so that a use after
// free is still caught.
constexpr bool pooling = false;
#else
constexpr bool pooling = true;
#endif

// Every chunk ever carved, so that blocks a thread still holds at exit stay
// reachable (chunks are never returned: the lists reuse them).
std::mutex chunks_mutex;
std::vector<void*>& all_chunks() {
  static auto* chunks = new std::vector<void*>;
  return *chunks;
}

struct FreeBlock {
  FreeBlock* next;
};

struct ThreadPool {
  std::array<FreeBlock*, max_pooled / granule + 1> free{};
  char* bump = nullptr;
  std::size_t left = 0;

  void* carve(std::size_t bytes) {
    if (left < bytes) {
      bump = static_cast<char*>(::operator new (chunk_size, std::align_val_t{chunk_size}));
      madvise(bump, chunk_size, MADV_HUGEPAGE); // advice only: fine if refused
      left = chunk_size;
      std::lock_guard lock(chunks_mutex);
      all_chunks().push_back(bump);
    }
    void* p = bump;
    bump += bytes;
    left -= bytes;
    return p;
  }
};

thread_local ThreadPool t_pool;

std::size_t size_class(std::size_t size) noexcept {
  return (size + granule - 1) / granule;
}

} // namespace

void* pool_allocate(std::size_t size) {
  if (!pooling || size > max_pooled) return ::operator new(size);
  const auto c = size_class(size);
  auto& head = t_pool.free[c];
  if (FreeBlock* b = head) {
    head = b->next;
    return b;
  }
  return t_pool.carve(c * granule);
}

void pool_free(void* p, std::size_t size) noexcept {
  if (!p) return;
  if (!pooling || size > max_pooled) {
    ::operator delete(p);
    return;
  }
  auto& head = t_pool.free[size_class(size)];
  head = new (p) FreeBlock{head};
}

} // namespace asyncdemo::detail
