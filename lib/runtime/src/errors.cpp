#include "asyncdemo/errors.hpp"

#include <typeinfo>

namespace asyncdemo {

void detail::throw_cancelled() {
  throw CancelledError{};
}

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

} // namespace asyncdemo
