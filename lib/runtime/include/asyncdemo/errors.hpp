#pragma once
// The exceptions asyncio users know, with the same meaning, and how Python
// would print them.
#include <exception>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace asyncdemo {

// asyncio.CancelledError: raised inside a task at the await where it is
// cancelled, and by result()/exception() of a cancelled task.
class CancelledError : public std::exception {
public:
  CancelledError() = default;
  // Task.cancel(msg)'s message, carried by the error the cancellation
  // raises (CancelledError('stop')); none is not the same as "".
  explicit CancelledError(std::string message);
  const char* what() const noexcept override { return "CancelledError"; }
  const std::string* message() const noexcept { return message_.get(); }

private:
  std::shared_ptr<const std::string> message_;
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

// Where in a program an exception was raised, "FILE:LINE" (a Python
// program's) or "FILE:LINE:COLUMN" (a scenario file's step), or "": what a
// traceback's last entry says. Error and an interpreter's own exceptions
// share it, so that the run can say it whatever raised.
class RaisedAt {
public:
  const std::string& where() const noexcept { return where_; }
  void set_where(std::string where) { where_ = std::move(where); }

protected:
  RaisedAt() = default;
  RaisedAt(const RaisedAt&) = default;
  RaisedAt& operator=(const RaisedAt&) = default;
  ~RaisedAt() = default;

private:
  std::string where_;
};

// A Python exception: the name its traceback prints (ValueError,
// asyncio.queues.QueueEmpty) and its message, str(exc).
class Error : public std::exception, public RaisedAt {
public:
  Error(std::string type, std::string message)
      : type_(std::move(type)), message_(std::move(message)) {}
  const char* what() const noexcept override { return message_.c_str(); }
  const std::string& type() const noexcept { return type_; }
  const std::string& message() const noexcept { return message_; }

private:
  std::string type_;
  std::string message_;
};

// TimeoutError: what wait_for and asyncio.timeout raise at the deadline.
struct TimeoutError : Error {
  explicit TimeoutError(std::string message = {}) : Error("TimeoutError", std::move(message)) {}
};
struct ValueError : Error {
  explicit ValueError(std::string message) : Error("ValueError", std::move(message)) {}
};
struct RuntimeError : Error {
  explicit RuntimeError(std::string message) : Error("RuntimeError", std::move(message)) {}
};
// asyncio.QueueEmpty and asyncio.QueueFull (get_nowait, put_nowait).
struct QueueEmpty : Error {
  QueueEmpty() : Error("asyncio.queues.QueueEmpty", {}) {}
};
struct QueueFull : Error {
  QueueFull() : Error("asyncio.queues.QueueFull", {}) {}
};

// ExceptionGroup: several failures raised together (a TaskGroup's).
class ExceptionGroup : public Error {
public:
  ExceptionGroup(std::string message, std::vector<std::exception_ptr> exceptions);
  const std::vector<std::exception_ptr>& exceptions() const noexcept { return exceptions_; }
  // The message it was made with (str() adds the count).
  const std::string& group_message() const noexcept { return group_message_; }

private:
  std::vector<std::exception_ptr> exceptions_;
  std::string group_message_;
};

bool is_cancelled_error(const std::exception_ptr& e) noexcept;
// Whether e is std::bad_alloc: memory ran out. No program's exception: the
// loop ends the run with it (a task that caught it, or a callback that
// reported it, would carry on without the memory it needed).
bool is_out_of_memory(const std::exception_ptr& e) noexcept;

namespace detail {
// Raises CancelledError (out of line: the awaits that may raise it stay small).
[[noreturn]] void throw_cancelled(const std::string* message = nullptr);
// Whether `e` is a CancelledError with a message (cheap while no program
// has made one: a million cancelled tasks ask it).
bool cancelled_with_message(const std::exception_ptr& e) noexcept;
} // namespace detail

// An exception's message as Python would print it, str(exc): what(), or
// "None" for no exception.
std::string describe(const std::exception_ptr& e);

// The last line of the traceback Python would print for it: "ValueError:
// boom", "TimeoutError", "asyncio.exceptions.CancelledError" (an exception
// of another kind: its what(), which then says it all).
std::string python_line(const std::exception_ptr& e);

// How CPython's traceback ends for it: python_line, then, for a group,
// its sub-exceptions drawn as CPython draws them (one text, lines apart).
std::string python_error(const std::exception_ptr& e);
// Where a program raised `e` (RaisedAt::where()), or "".
std::string raised_at(const std::exception_ptr& e);

// repr(exc): "ValueError('boom')", "ExceptionGroup('unhandled errors in a
// TaskGroup', [ValueError('boom')])", "CancelledError()".
std::string python_repr(const std::exception_ptr& e);

// The lines under that one for an exception group, as CPython draws its
// sub-exceptions (each "  | ValueError: boom"); none for other exceptions.
std::vector<std::string> python_group_lines(const std::exception_ptr& e);

} // namespace asyncdemo
