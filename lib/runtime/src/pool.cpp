#include "asyncdemo/detail/pool.hpp"

#include <sys/mman.h>

#include <array>
#include <atomic>
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

struct ThreadPool;

// Each chunk begins with its owner: a block freed on another thread is
// told apart by its chunk's first word (chunks are aligned to their size).
struct ChunkHeader {
  ThreadPool* owner;
};
constexpr std::size_t header_size = 64; // a cache line, so blocks stay aligned

struct ThreadPool {
  std::array<FreeBlock*, max_pooled / granule + 1> free{};
  char* bump = nullptr;
  std::size_t left = 0;
  std::size_t live = 0;       // blocks handed out and not yet freed
  std::vector<char*> chunks;  // this thread's, in the order carved
  std::size_t next_chunk = 0; // the one carve takes when the current is used up
  // A block crossed threads: live counts are no longer this pool's alone,
  // so it never starts over (set by this thread, or by the one that freed).
  std::atomic<bool> shared{false};

  void* carve(std::size_t bytes) {
    if (left < bytes) {
      if (next_chunk < chunks.size()) {
        bump = chunks[next_chunk];
      } else {
        bump = static_cast<char*>(::operator new (chunk_size, std::align_val_t{chunk_size}));
        madvise(bump, chunk_size, MADV_HUGEPAGE); // advice only: fine if refused
        new (bump) ChunkHeader{this};
        chunks.push_back(bump);
        std::lock_guard lock(chunks_mutex);
        all_chunks().push_back(bump);
      }
      ++next_chunk;
      bump += header_size;
      left = chunk_size - header_size;
    }
    void* p = bump;
    bump += bytes;
    left -= bytes;
    return p;
  }

  // Every block is back: carve from the first chunk again. The free lists
  // hold a finished run's blocks in the order its tasks ended (random, for a
  // swarm); the next run (the real one after its model, the next of --runs)
  // would lay its frames out in that order and miss the cache at every step.
  void start_over() noexcept {
    free.fill(nullptr);
    bump = nullptr;
    left = 0;
    next_chunk = 0;
  }
};

// A thread's pool outlives the thread: a block it carved may be freed after
// it ends, and its chunk's header still names it. Kept reachable here.
std::vector<ThreadPool*>& all_pools() {
  static auto* pools = new std::vector<ThreadPool*>;
  return *pools;
}

thread_local ThreadPool* t_pool_ptr = nullptr;

// Apart from the fast path, so that every allocation does not pay for a
// call that saves six registers.
[[gnu::noinline]] ThreadPool& first_pool_of_this_thread() {
  t_pool_ptr = new ThreadPool;
  std::lock_guard lock(chunks_mutex);
  all_pools().push_back(t_pool_ptr);
  return *t_pool_ptr;
}

inline ThreadPool& this_threads_pool() {
  if (ThreadPool* pool = t_pool_ptr) [[likely]]
    return *pool;
  return first_pool_of_this_thread();
}

std::size_t size_class(std::size_t size) noexcept {
  return (size + granule - 1) / granule;
}

} // namespace

void* pool_allocate(std::size_t size) {
  if (!pooling || size > max_pooled) return ::operator new(size);
  auto& t_pool = this_threads_pool();
  const auto c = size_class(size);
  auto& head = t_pool.free[c];
  ++t_pool.live;
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
  auto& t_pool = this_threads_pool();
  const auto* chunk =
      reinterpret_cast<const ChunkHeader*>(reinterpret_cast<std::uintptr_t>(p) & ~(chunk_size - 1));
  if (chunk->owner != &t_pool) { // kept here, as before; neither pool counts on its live
    chunk->owner->shared.store(true, std::memory_order_relaxed);
    t_pool.shared.store(true, std::memory_order_relaxed);
  } else if (--t_pool.live == 0 && !t_pool.shared.load(std::memory_order_relaxed)) {
    t_pool.start_over();
    return;
  }
  auto& head = t_pool.free[size_class(size)];
  head = new (p) FreeBlock{head};
}

} // namespace asyncdemo::detail
