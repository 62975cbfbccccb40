#pragma once
// SleepQueue<T>: every pending sleep of a loop, earliest first; one timer
// (or the virtual clock's jump) serves them all. Equal deadlines keep the
// order they were set in (docs/design.md, rule 4). Public so that a model
// worked out without a loop (lib/script/src/model.cpp) orders its own
// sleepers exactly as the loop orders its tasks.
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

namespace asyncdemo {

template <class Task> class SleepQueue {
public:
  // 16 bytes: a swarm queues a million. For the loop, an entry is stale once
  // its task no longer sleeps until its deadline; a task never has a stale
  // entry with the deadline it sleeps until (see remove).
  struct Sleeper {
    std::chrono::nanoseconds deadline;
    Task* task; // the loop's: referenced while queued
  };

  void push(std::chrono::nanoseconds deadline, Task* task) {
    auto& b = bucket(deadline.count() >> bucket_shift);
    const Sleeper s{deadline, task};
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
    // The coming sleepers' tasks are somewhere in a million: start fetching
    // them now, a few wake-ups ahead (the profile's top cache miss).
    for (auto i : {std::size_t{1}, prefetch_ahead})
      if (b.next + i < b.items.size()) __builtin_prefetch(b.items[b.next + i].task);
    if (b.next == b.items.size()) erase(buckets_.begin());
    return s;
  }

  // Calls f(sleeper) for every entry, stale ones included, in no set order
  // (for a view of the loop: not on any hot path).
  template <class F> void for_each(F&& f) const {
    for (const auto& [key, b] : buckets_)
      for (auto i = b.next; i < b.items.size(); ++i)
        f(b.items[i]);
  }

  // Calls f(first, last) for each bucket's entries, stale ones included,
  // earliest bucket first (within one, in no set order), until f returns
  // false: the earliest few sleepers without a walk through all of them.
  template <class F> void for_each_bucket(F&& f) const {
    for (const auto& [key, b] : buckets_)
      if (!f(b.items.data() + b.next, b.items.data() + b.items.size())) return;
  }

  // Takes out every entry of `task` at `deadline`, keeping the others'
  // order; returns how many (their references are the caller's to release).
  // A scan of one bucket: only for a task cancelled out of a sleep (rare).
  std::size_t remove(std::chrono::nanoseconds deadline, const Task* task) {
    const auto it = buckets_.find(deadline.count() >> bucket_shift);
    if (it == buckets_.end()) return 0;
    auto& b = it->second;
    const auto from = b.items.begin() + static_cast<std::ptrdiff_t>(b.next);
    const auto end = std::remove_if(from, b.items.end(), [&](const Sleeper& s) {
      return s.task == task && s.deadline == deadline;
    });
    const auto n = static_cast<std::size_t>(b.items.end() - end);
    b.items.erase(end, b.items.end());
    size_ -= n;
    if (b.next == b.items.size()) erase(it);
    return n;
  }

private:
  struct Bucket {
    std::vector<Sleeper> items;
    std::size_t next = 0; // items before it have been popped
    bool sorted = false;
  };
  using Buckets = std::map<std::int64_t, Bucket>;
  static constexpr int bucket_shift = 20; // 2^20 ns: about a millisecond per bucket
  static constexpr std::size_t prefetch_ahead = 4;
  // Pushes land in random buckets: a direct-mapped cache of the tree's
  // nodes (which never move) saves a walk of ten levels per sleep.
  struct Slot {
    std::int64_t key = 0;
    Bucket* bucket = nullptr;
  };
  static constexpr std::size_t cache_size = 4096; // 4 s of deadlines at 1 ms
  // Made only once there are many buckets: a small program's loop (and its
  // first sleep) does not pay for clearing 64 KiB.
  static constexpr std::size_t cache_from = 64;
  Slot* slot(std::int64_t key) {
    if (cache_.empty()) {
      if (buckets_.size() < cache_from) return nullptr;
      cache_.resize(cache_size);
    }
    return &cache_[static_cast<std::size_t>(key) & (cache_size - 1)];
  }

  // A lambda, not a function: the sorts inline it.
  static constexpr auto earlier = [](const Sleeper& a, const Sleeper& b) noexcept {
    return a.deadline < b.deadline;
  };
  Bucket& bucket(std::int64_t key) {
    auto* s = slot(key);
    if (!s) return buckets_[key];
    if (s->bucket && s->key == key) return *s->bucket;
    s->key = key;
    return *(s->bucket = &buckets_[key]);
  }
  void erase(typename Buckets::iterator it) {
    if (!cache_.empty()) {
      auto* s = slot(it->first);
      if (s->bucket == &it->second) s->bucket = nullptr;
    }
    buckets_.erase(it);
  }
  Bucket& front() {
    auto& b = buckets_.begin()->second;
    if (!b.sorted) {
      std::stable_sort(b.items.begin(), b.items.end(), earlier);
      b.sorted = true;
    }
    return b;
  }

  Buckets buckets_;
  std::vector<Slot> cache_;
  std::size_t size_ = 0;
};

} // namespace asyncdemo
