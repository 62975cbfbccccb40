#pragma once
// with(cm, body()): `async with cm: return await body()` for a Lock, a
// Semaphore or a BoundedSemaphore. The body runs inline, in this task;
// the place is given back however it ends (an exception, a cancellation).
#include "asyncdemo/coro.hpp"

#include <exception>
#include <optional>
#include <type_traits>

namespace asyncdemo {

template <class CM, class T> Coro<T> with(CM& cm, Coro<T> body) {
  co_await cm.acquire();
  std::exception_ptr error;
  std::optional<Value<T>> value;
  try {
    value.emplace(co_await std::move(body));
  } catch (...) {
    error = std::current_exception();
  }
  cm.release();
  if (error) std::rethrow_exception(error);
  if constexpr (!std::is_void_v<T>) co_return std::move(*value);
}

} // namespace asyncdemo
