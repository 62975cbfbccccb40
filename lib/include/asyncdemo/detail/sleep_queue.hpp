#pragma once
// The sleep queue: every pending sleep of a loop, earliest first; one timer
// (or the virtual clock's jump) serves them all. Equal deadlines keep the
// order they were set in (DESIGN rule 4).
//
// Sleeps are kept in buckets of about a millisecond of deadlines. A push
// appends to its bucket; a bucket is sorted (stably, so ties keep their
// order) only when it becomes the earliest one. A million random sleeps cost
// a thousand small sorts instead of a million sift-downs through a heap that
// does not fit in the cache.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <map>
#include <vector>

namespace asyncdemo::detail {

class TaskBase;

struct Sleeper {
  std::chrono::nanoseconds deadline;
  TaskBase* task;    // referenced while queued
  std::uint64_t gen; // the sleep's number; stale once the task moved on
};

class SleepQueue {
public:
  void push(std::chrono::nanoseconds deadline, TaskBase* task, std::uint64_t gen) {
    auto& b = bucket(deadline.count() >> bucket_shift);
    const Sleeper s{deadline, task, gen};
    if (b.sorted) // already draining: its place among the rest, after equal deadlines
      b.items.insert(std::upper_bound(b.items.begin() + static_cast<std::ptrdiff_t>(b.next),
                                      b.items.end(), s, earlier),
                     s);
    else
      b.items.push_back(s);
    ++size_;
  }
  bool empty() const noexcept { return size_ == 0; }
  std::size_t size() const noexcept { return size_; }
  // The earliest sleeper (the queue must not be empty).
  const Sleeper& top() {
    auto& b = front();
    return b.items[b.next];
  }
  Sleeper pop() {
    auto& b = front();
    const Sleeper s = b.items[b.next++];
    --size_;
    // The next sleeper's task is somewhere in a million: start fetching it
    // now, while this one's wake-up runs (the profile's top cache miss).
    if (b.next + 1 < b.items.size()) __builtin_prefetch(b.items[b.next + 1].task);
    if (b.next < b.items.size()) __builtin_prefetch(b.items[b.next].task);
    if (b.next == b.items.size()) {
      if (last_ == &b) last_ = nullptr;
      buckets_.erase(buckets_.begin());
    }
    return s;
  }

private:
  struct Bucket {
    std::vector<Sleeper> items;
    std::size_t next = 0; // items before it have been popped
    bool sorted = false;
  };
  static constexpr int bucket_shift = 20; // 2^20 ns: about a millisecond per bucket

  static bool earlier(const Sleeper& a, const Sleeper& b) noexcept {
    return a.deadline < b.deadline;
  }
  Bucket& bucket(std::int64_t key) {
    // Consecutive sleeps often share a bucket: skip the tree walk then.
    if (last_ && last_key_ == key) return *last_;
    last_key_ = key;
    return *(last_ = &buckets_[key]);
  }
  Bucket& front() {
    auto& b = buckets_.begin()->second;
    if (!b.sorted) {
      std::stable_sort(b.items.begin(), b.items.end(), earlier);
      b.sorted = true;
    }
    return b;
  }

  std::map<std::int64_t, Bucket> buckets_;
  Bucket* last_ = nullptr;
  std::int64_t last_key_ = 0;
  std::size_t size_ = 0;
};

} // namespace asyncdemo::detail
