#include "asyncdemo/detail/future_base.hpp"

#include "asyncdemo/loop.hpp"

#include <algorithm>
#include <cstdio>
#include <utility>

namespace asyncdemo::detail {

namespace {
// A callback that throws is reported and the loop goes on, as asyncio's
// default exception handler does ("Exception in callback ...").
void run_reporting(const Callback& c, FutureBase& fut) {
  try {
    c.fn(fut, c.ctx);
  } catch (...) {
    if (is_out_of_memory(std::current_exception())) throw; // the run ends: see errors.hpp
    std::fprintf(stderr, "Exception in callback: %s\n", describe(std::current_exception()).c_str());
  }
}

void drop(const Callback& c) noexcept {
  if (c.drop) c.drop(c.ctx);
}
} // namespace

Loop& FutureBase::loop() const noexcept {
  return *Loop::current();
}

FutureBase::~FutureBase() {
  drop_callbacks();
}

FutureBase::Rare& FutureBase::rare() {
  if (!rare_) rare_ = std::make_unique<Rare>();
  return *rare_;
}

void FutureBase::drop_callbacks() noexcept {
  if (first_.fn) drop(std::exchange(first_, Callback{}));
  if (rare_ && !rare_->more.empty()) {
    const auto more = std::move(rare_->more);
    rare_->more.clear();
    for (auto& c : more)
      drop(c.cb);
  }
}

void FutureBase::check_result() const {
  switch (state_) {
  case State::pending:
    throw InvalidStateError("Result is not ready.");
  case State::cancelled:
    throw_cancelled_error();
  case State::failed:
    rare_->retrieved = true;
    std::rethrow_exception(rare_->exception);
  case State::finished:
    break;
  }
}

std::exception_ptr FutureBase::exception() const {
  if (state_ == State::pending) throw InvalidStateError("Exception is not set.");
  if (state_ == State::cancelled) throw_cancelled_error();
  mark_retrieved();
  return rare_ ? rare_->exception : nullptr;
}

void FutureBase::throw_cancelled_error() const {
  if (!rare_) throw_cancelled();
  if (rare_->cancelled_exc) std::rethrow_exception(std::exchange(rare_->cancelled_exc, nullptr));
  throw_cancelled(rare_->cancel_message ? &*rare_->cancel_message : nullptr);
}

std::exception_ptr FutureBase::cancelled_error() const {
  try {
    throw_cancelled_error();
  } catch (...) {
    return std::current_exception();
  }
}

Suspension FutureBase::awaited_as(std::vector<TaskId>&) const {
  if (const auto* name = task_name())
    return Suspension{Suspension::Kind::task, {}, task_id(), *name};
  return Suspension{};
}

bool FutureBase::cancel(const std::string* message) {
  return mark_cancelled(message);
}

bool FutureBase::mark_cancelled(const std::string* message) {
  if (done()) {
    mark_retrieved(); // Future.cancel() clears __log_traceback even then
    return false;
  }
  if (message) rare().cancel_message = *message;
  state_ = State::cancelled;
  schedule_callbacks();
  on_done();
  return true;
}

namespace {
void queue_node(Loop& loop, FutureBase& fut, const Callback& c) {
  fut.add_ref();
  LoopInternals(loop).call_soon(Handle::make(Handle::callback, new CallbackNode{{}, &fut, c}));
}
} // namespace

void FutureBase::add_done_callback(CallbackFn fn, void* ctx, DropFn drop) {
  if (done())
    queue_node(loop(), *this, Callback{fn, ctx, drop});
  else if (!first_.fn && (!rare_ || rare_->more.empty()))
    first_ = Callback{fn, ctx, drop};
  else
    rare().more.push_back(MoreCallback{Callback{fn, ctx, drop}, 0});
}

std::uint64_t FutureBase::add_removable_callback(CallbackFn fn, void* ctx, DropFn drop) {
  auto& r = rare();
  const auto id = r.next_callback_id++;
  if (done())
    queue_node(loop(), *this, Callback{fn, ctx, drop});
  else
    r.more.push_back(MoreCallback{Callback{fn, ctx, drop}, id});
  return id;
}

std::size_t FutureBase::remove_done_callback(std::uint64_t id) {
  if (!rare_ || id == 0) return 0;
  auto& more = rare_->more;
  auto it =
      std::find_if(more.begin(), more.end(), [id](const MoreCallback& c) { return c.id == id; });
  if (it == more.end()) return 0;
  const auto c = it->cb;
  more.erase(it);
  drop(c);
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
  rare().exception = std::move(e);
  state_ = State::failed;
  schedule_callbacks();
  on_done();
}

void FutureBase::schedule_callbacks() {
  // Each callback becomes its own ready handle, in the order added; the
  // inline one is queued from where it is.
  auto& loop = this->loop();
  if (first_.fn) LoopInternals(loop).call_soon(Handle::make(Handle::first_callback, this));
  if (rare_ && !rare_->more.empty()) {
    const auto more = std::move(rare_->more);
    rare_->more.clear();
    for (auto& c : more)
      queue_node(loop, *this, c.cb);
  }
}

void FutureBase::run_first_callback() {
  // Taken out first: the callback may add others, which then queue at once.
  const auto c = std::exchange(first_, Callback{});
  if (!c.fn) return;
  struct Drop {
    const Callback& c;
    ~Drop() { drop(c); }
  } guard{c};
  run_reporting(c, *this);
}

void FutureBase::drop_first_callback() noexcept {
  drop(std::exchange(first_, Callback{}));
}

void FutureBase::run_node(CallbackNode* node) {
  struct Free {
    CallbackNode* n;
    ~Free() { drop_node(n); }
  } guard{node};
  run_reporting(node->cb, *node->fut);
}

void FutureBase::drop_node(CallbackNode* node) noexcept {
  drop(node->cb);
  node->fut->release();
  delete node;
}

} // namespace asyncdemo::detail
