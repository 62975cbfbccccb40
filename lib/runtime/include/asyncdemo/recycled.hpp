#pragma once
// Recycled: pooled allocation for small objects made by the million (a
// Python program's frames, coroutines and tasks), from the free lists the
// runtime's own coroutine frames and task states use: no malloc header, and
// a block freed is the next of its size handed out.
#include "asyncdemo/detail/pool.hpp"

#include <cstddef>

namespace asyncdemo {

// A base that gives a class (and its subclasses) recycled operator new and
// delete.
using Recycled = detail::Pooled;

// For a class whose objects have a size of their own (a frame and its
// slots): freed with the size they were allocated with.
inline void* recycled_allocate(std::size_t size) {
  return detail::pool_allocate(size);
}
inline void recycled_free(void* p, std::size_t size) noexcept {
  detail::pool_free(p, size);
}

} // namespace asyncdemo
