#include "asyncdemo/errors.hpp"

#include <atomic>
#include <new>
#include <typeinfo>

namespace asyncdemo {

namespace {
std::atomic<bool> cancel_messages_made{false};
}

CancelledError::CancelledError(std::string message)
    : message_(std::make_shared<const std::string>(std::move(message))) {
  cancel_messages_made.store(true, std::memory_order_relaxed);
}

bool detail::cancelled_with_message(const std::exception_ptr& e) noexcept {
  if (!e || !cancel_messages_made.load(std::memory_order_relaxed)) return false;
  try {
    std::rethrow_exception(e);
  } catch (const CancelledError& c) {
    return c.message() != nullptr;
  } catch (...) {
    return false;
  }
}

void detail::throw_cancelled(const std::string* message) {
  if (message) throw CancelledError(*message);
  throw CancelledError{};
}

namespace {
std::string with_count(const std::string& message, std::size_t n) {
  return message + " (" + std::to_string(n) + (n == 1 ? " sub-exception)" : " sub-exceptions)");
}
} // namespace

// str() of an ExceptionGroup counts its sub-exceptions, as Python's does.
ExceptionGroup::ExceptionGroup(std::string message, std::vector<std::exception_ptr> exceptions)
    : Error("ExceptionGroup", with_count(message, exceptions.size())),
      exceptions_(std::move(exceptions)), group_message_(std::move(message)) {}

bool is_cancelled_error(const std::exception_ptr& e) noexcept {
  if (!e) return false;
#if defined(__GLIBCXX__)
  // The exception's type without throwing it again: a million cancelled
  // tasks would otherwise spend a second unwinding each.
  if (const auto* type = e.__cxa_exception_type(); type && *type == typeid(CancelledError))
    return true;
#endif
  try {
    std::rethrow_exception(e);
  } catch (const CancelledError&) {
    return true;
  } catch (...) {
    return false;
  }
}

bool is_out_of_memory(const std::exception_ptr& e) noexcept {
  if (!e) return false;
#if defined(__GLIBCXX__)
  if (const auto* type = e.__cxa_exception_type(); type && *type == typeid(std::bad_alloc))
    return true;
#endif
  try {
    std::rethrow_exception(e);
  } catch (const std::bad_alloc&) {
    return true;
  } catch (...) {
    return false;
  }
}

std::string describe(const std::exception_ptr& e) {
  if (!e) return "None";
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& x) {
    return x.what();
  } catch (...) {
    return "unknown exception";
  }
}

std::string python_line(const std::exception_ptr& e) {
  if (!e) return "None";
  try {
    std::rethrow_exception(e);
  } catch (const Error& x) {
    return x.message().empty() ? x.type() : x.type() + ": " + x.message();
  } catch (const CancelledError& c) {
    const auto* m = c.message();
    return m && !m->empty() ? "asyncio.exceptions.CancelledError: " + *m
                            : "asyncio.exceptions.CancelledError";
  } catch (const std::exception& x) {
    return x.what();
  } catch (...) {
    return "unknown exception";
  }
}

namespace {
// A str's repr: single quotes, unless it holds one and no double quote.
std::string repr_of(const std::string& s) {
  const char q = s.find('\'') != std::string::npos && s.find('"') == std::string::npos ? '"' : '\'';
  std::string out(1, q);
  for (const char c : s) {
    if (c == '\\' || c == q) out += '\\';
    out += c;
  }
  return out + q;
}
// The class name alone: asyncio.queues.QueueEmpty is QueueEmpty().
std::string short_type(const std::string& type) {
  const auto dot = type.rfind('.');
  return dot == std::string::npos ? type : type.substr(dot + 1);
}
} // namespace

std::string python_repr(const std::exception_ptr& e) {
  if (!e) return "None";
  try {
    std::rethrow_exception(e);
  } catch (const ExceptionGroup& g) {
    std::string subs;
    for (const auto& x : g.exceptions())
      subs += (subs.empty() ? "" : ", ") + python_repr(x);
    return "ExceptionGroup(" + repr_of(g.group_message()) + ", [" + subs + "])";
  } catch (const Error& x) {
    return short_type(x.type()) + "(" + (x.message().empty() ? "" : repr_of(x.message())) + ")";
  } catch (const CancelledError& c) {
    return c.message() ? "CancelledError(" + repr_of(*c.message()) + ")" : "CancelledError()";
  } catch (const std::exception& x) {
    return x.what();
  } catch (...) {
    return "unknown exception";
  }
}

std::string raised_at(const std::exception_ptr& e) {
  try {
    if (e) std::rethrow_exception(e);
  } catch (const RaisedAt& raised) {
    return raised.where();
  } catch (...) {
  }
  return {};
}

std::string python_error(const std::exception_ptr& e) {
  auto out = python_line(e);
  for (const auto& line : python_group_lines(e))
    out += "\n" + line;
  return out;
}

std::vector<std::string> python_group_lines(const std::exception_ptr& e) {
  std::vector<std::string> out;
  if (!e) return out;
  try {
    std::rethrow_exception(e);
  } catch (const ExceptionGroup& g) {
    // CPython's drawing of the tree, without the frames.
    const auto& subs = g.exceptions();
    for (std::size_t i = 0; i < subs.size(); ++i) {
      const auto n = std::to_string(i + 1);
      out.push_back(std::string(i == 0 ? "+-+" : "  +") + "---------------- " + n +
                    " ----------------");
      out.push_back("  | " + python_line(subs[i]));
      for (const auto& line : python_group_lines(subs[i]))
        out.push_back("  | " + line);
    }
    out.push_back("  +------------------------------------");
  } catch (...) {
  }
  return out;
}

} // namespace asyncdemo
