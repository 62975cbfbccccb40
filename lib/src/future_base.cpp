#include "asyncdemo/detail/future_base.hpp"

#include "asyncdemo/loop.hpp"

#include <algorithm>
#include <cstdio>
#include <utility>

namespace asyncdemo {

bool is_cancelled_error(const std::exception_ptr& e) noexcept {
  if (!e) return false;
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

namespace asyncdemo::detail {

namespace {
// A callback that throws is reported and the loop goes on, as asyncio's
// default exception handler does ("Exception in callback ...").
void run_callback(const Handle& h) {
  try {
    h.fn(*h.fut, h.ctx);
  } catch (...) {
    std::fprintf(stderr, "Exception in callback: %s\n", describe(std::current_exception()).c_str());
  }
}
} // namespace

FutureBase::~FutureBase() {
  drop_callbacks();
}

std::vector<FutureBase::Callback> FutureBase::take_callbacks() {
  std::vector<Callback> out;
  if (first_.fn) out.push_back(std::exchange(first_, Callback{}));
  if (more_) {
    for (auto& c : *more_)
      out.push_back(c.cb);
    more_.reset();
  }
  return out;
}

void FutureBase::drop_callbacks() noexcept {
  if (first_.fn) {
    const auto c = std::exchange(first_, Callback{});
    if (c.drop) c.drop(c.ctx);
  }
  if (more_) {
    const auto more = std::move(more_);
    for (auto& c : *more)
      if (c.cb.drop) c.cb.drop(c.cb.ctx);
  }
}

void FutureBase::check_result() const {
  switch (state_) {
  case State::pending:
    throw InvalidStateError("Result is not ready.");
  case State::cancelled:
    throw CancelledError{};
  case State::failed:
    std::rethrow_exception(exception_);
  case State::finished:
    break;
  }
}

std::exception_ptr FutureBase::exception() const {
  if (state_ == State::pending) throw InvalidStateError("Exception is not set.");
  if (state_ == State::cancelled) throw CancelledError{};
  return exception_;
}

bool FutureBase::cancel() {
  return mark_cancelled();
}

bool FutureBase::mark_cancelled() {
  if (done()) return false;
  state_ = State::cancelled;
  schedule_callbacks();
  on_done();
  return true;
}

std::uint64_t FutureBase::add_done_callback(CallbackFn fn, void* ctx, DropFn drop) {
  const auto id = next_callback_id_++;
  if (done())
    loop_->call_soon(Handle{&run_callback, this, ctx, fn, drop});
  else if (!first_.fn && !more_) {
    first_ = Callback{fn, ctx, drop};
    first_id_ = id;
  } else {
    if (!more_) more_ = std::make_unique<std::vector<MoreCallback>>();
    more_->push_back(MoreCallback{Callback{fn, ctx, drop}, id});
  }
  return id;
}

std::size_t FutureBase::remove_done_callback(std::uint64_t id) {
  if (first_.fn && first_id_ == id) {
    const auto c = std::exchange(first_, Callback{});
    if (c.drop) c.drop(c.ctx);
    return 1;
  }
  if (!more_) return 0;
  auto it = std::find_if(more_->begin(), more_->end(),
                         [id](const MoreCallback& c) { return c.id == id; });
  if (it == more_->end()) return 0;
  const auto c = it->cb;
  more_->erase(it);
  if (c.drop) c.drop(c.ctx);
  return 1;
}

void FutureBase::set_result() {
  if (done()) throw InvalidStateError("invalid state: the future is already done");
  state_ = State::finished;
  schedule_callbacks();
  on_done();
}

void FutureBase::set_exception(std::exception_ptr e) {
  if (done()) throw InvalidStateError("invalid state: the future is already done");
  exception_ = std::move(e);
  state_ = State::failed;
  schedule_callbacks();
  on_done();
}

void FutureBase::schedule_callbacks() {
  // Each callback becomes its own ready handle, in the order added.
  if (first_.fn && !more_) { // the common case, without a vector
    const auto c = std::exchange(first_, Callback{});
    loop_->call_soon(Handle{&run_callback, this, c.ctx, c.fn, c.drop});
    return;
  }
  for (auto& c : take_callbacks())
    loop_->call_soon(Handle{&run_callback, this, c.ctx, c.fn, c.drop});
}

} // namespace asyncdemo::detail
