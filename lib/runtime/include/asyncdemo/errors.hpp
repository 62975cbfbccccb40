#pragma once
// The exceptions asyncio users know, with the same meaning.
#include <exception>
#include <stdexcept>
#include <string>

namespace asyncdemo {

// asyncio.CancelledError: raised inside a task at the await where it is
// cancelled, and by result()/exception() of a cancelled task.
class CancelledError : public std::exception {
public:
  const char* what() const noexcept override { return "CancelledError"; }
};

// asyncio.InvalidStateError: result() or exception() of a task not yet done.
class InvalidStateError : public std::logic_error {
public:
  using std::logic_error::logic_error;
};

// Every task waits and nothing can wake any of them.
class DeadlockError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

bool is_cancelled_error(const std::exception_ptr& e) noexcept;

namespace detail {
// Raises CancelledError (out of line: the awaits that may raise it stay small).
[[noreturn]] void throw_cancelled();
} // namespace detail

// An exception's message as Python would print it: what(), or "None" for
// no exception.
std::string describe(const std::exception_ptr& e);

} // namespace asyncdemo
