#pragma once
// Recycled small allocations for coroutine frames and task states. A swarm
// of a million tasks allocates and frees millions of blocks of a handful of
// sizes; a free list per size class hands them back without malloc's header
// or its locking. Blocks are freed to the list of the thread that frees them.
#include <cstddef>

namespace asyncdemo::detail {

void* pool_allocate(std::size_t size);
void pool_free(void* p, std::size_t size) noexcept;

// A base that gives a class (and its subclasses: the size comes from the
// deleting destructor) pooled operator new and delete.
struct Pooled {
  static void* operator new(std::size_t size) { return pool_allocate(size); }
  static void operator delete(void* p, std::size_t size) noexcept { pool_free(p, size); }
};

} // namespace asyncdemo::detail
