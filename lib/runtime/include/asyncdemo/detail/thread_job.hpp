#pragma once
// ThreadJob: one call of to_thread, as the worker thread runs it, and
// Workers: the threads of the loop's default executor (CPython's
// ThreadPoolExecutor: at most its size, by default min(32, cores + 4),
// made as they are needed; the loop hands them a job only when one is free).
//
// Blocking calls inside the job (block(), time.sleep) hold its worker, not
// the loop. On the real clock they sleep for real; on the virtual clock
// they only add up, and the loop delivers the job's result when that much
// virtual time has passed.
#include "asyncdemo/duration.hpp"

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace asyncdemo::detail {

class ThreadJob {
public:
  virtual ~ThreadJob() = default;
  // On the worker: runs the work, keeping its value or its exception.
  void run_on_worker(bool virtual_clock, double speed) noexcept;
  // A blocking call inside the work (block(d) on this thread).
  void block(Duration d);
  // Virtual clock: how long the work's blocking calls took.
  Duration blocked() const noexcept { return blocked_; }
  std::exception_ptr error;

protected:
  virtual void work() = 0;

private:
  bool virtual_ = false;
  double speed_ = 1.0;
  Duration blocked_{};
};

// The job this worker thread is running, if any.
ThreadJob* current_thread_job() noexcept;

class Workers {
public:
  explicit Workers(std::size_t max_threads);
  ~Workers(); // lets every thread finish its work, and joins it
  Workers(const Workers&) = delete;
  Workers& operator=(const Workers&) = delete;
  void submit(std::function<void()> work);

private:
  void serve();
  std::mutex m_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  std::vector<std::thread> threads_;
  std::size_t idle_ = 0;
  std::size_t max_;
  bool stopping_ = false;
};

// CPython's default: min(32, os.cpu_count() + 4).
std::size_t default_workers() noexcept;

} // namespace asyncdemo::detail
