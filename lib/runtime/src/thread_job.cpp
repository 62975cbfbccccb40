#include "asyncdemo/detail/thread_job.hpp"

#include <algorithm>
#include <chrono>

namespace asyncdemo::detail {

namespace {
thread_local ThreadJob* t_job = nullptr;
} // namespace

ThreadJob* current_thread_job() noexcept {
  return t_job;
}

void ThreadJob::run_on_worker(bool virtual_clock, double speed) noexcept {
  virtual_ = virtual_clock;
  speed_ = speed;
  t_job = this;
  try {
    work();
  } catch (...) {
    error = std::current_exception();
  }
  t_job = nullptr;
}

void ThreadJob::block(Duration d) {
  if (d <= Duration::zero()) return;
  if (virtual_) {
    blocked_ += d;
    return;
  }
  std::this_thread::sleep_for(std::chrono::nanoseconds(
      static_cast<std::int64_t>(static_cast<long double>(d.count()) / speed_)));
}

std::size_t default_workers() noexcept {
  return std::min<std::size_t>(32, std::max(1U, std::thread::hardware_concurrency()) + 4);
}

Workers::Workers(std::size_t max_threads) : max_(std::max<std::size_t>(1, max_threads)) {}

Workers::~Workers() {
  {
    std::lock_guard lock(m_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& t : threads_)
    t.join();
}

void Workers::submit(std::function<void()> work) {
  std::unique_lock lock(m_);
  queue_.push_back(std::move(work));
  // As ThreadPoolExecutor does: a new thread only when none is idle.
  if (idle_ < queue_.size() && threads_.size() < max_) threads_.emplace_back([this] { serve(); });
  lock.unlock();
  cv_.notify_one();
}

void Workers::serve() {
  std::unique_lock lock(m_);
  for (;;) {
    ++idle_;
    cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    --idle_;
    if (queue_.empty()) return; // stopping, and nothing left to do
    auto work = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    work();
    lock.lock();
  }
}

} // namespace asyncdemo::detail
