#pragma once
// One entry of the loop's ready queue: asyncio's Handle, a callback to run
// once. Plain function pointers keep it small and allocation-free.
#include <cstdint>

namespace asyncdemo::detail {

class FutureBase;
using CallbackFn = void (*)(FutureBase& fut, void* ctx);
using DropFn = void (*)(void* ctx);

struct Handle {
  void (*run)(const Handle&) = nullptr;
  FutureBase* fut = nullptr; // holds a reference while queued
  void* ctx = nullptr;
  CallbackFn fn = nullptr;
  DropFn drop = nullptr; // releases ctx after the run, or if never run
};

} // namespace asyncdemo::detail
