#pragma once
// One entry of the loop's ready queue: asyncio's Handle, a callback to run
// once. A swarm queues a million of them at once (each new task's first
// step), so an entry is one word: what to run, tagged with its kind in the
// low bits of the pointer (every target is allocated 16-byte aligned).
#include <cstdint>

namespace asyncdemo::detail {

class FutureBase;
using CallbackFn = void (*)(FutureBase& fut, void* ctx);
using DropFn = void (*)(void* ctx);

// A done callback: fn(fut, ctx), then drop(ctx) (if any) once it ran or was
// removed.
struct Callback {
  CallbackFn fn = nullptr; // null: an empty slot
  void* ctx = nullptr;
  DropFn drop = nullptr;
};

// A callback that does not fit in a future's inline slot, queued on its own.
struct CallbackNode;

struct Handle {
  enum Kind : std::uintptr_t {
    step = 0,           // a TaskBase: Task.__step
    timer = 1,          // a TaskBase: the sleep it waits on is due
    first_callback = 2, // a FutureBase: its inline done callback
    callback = 3,       // a CallbackNode
    timer_callback = 4, // a TimerHandle: loop.call_at's (or call_soon's) callback
  };
  static constexpr std::uintptr_t kind_mask = 7;

  static Handle make(Kind k, const void* target) noexcept {
    return Handle{reinterpret_cast<std::uintptr_t>(target) | k};
  }
  Kind kind() const noexcept { return static_cast<Kind>(word & kind_mask); }
  template <class T> T* target() const noexcept { return reinterpret_cast<T*>(word & ~kind_mask); }

  std::uintptr_t word = 0;
};

} // namespace asyncdemo::detail
