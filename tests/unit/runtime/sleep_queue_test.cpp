// The sleep queue: every pending sleep of a loop, earliest first, equal
// deadlines in the order they were set (docs/design.md, rule 4).
#include "asyncdemo/duration.hpp"
#include "asyncdemo/sleep_queue.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <vector>

using namespace asyncdemo;

namespace {

// The queue never follows its task pointers: the test numbers them instead.
struct FakeTask;
using FakeSleepers = SleepQueue<FakeTask>;
FakeTask* fake_task(std::size_t i) {
  return reinterpret_cast<FakeTask*>((i + 1) * 16);
}
std::size_t fake_index(const FakeTask* t) {
  return reinterpret_cast<std::uintptr_t>(t) / 16 - 1;
}

} // namespace

TEST_CASE(
    "sleep queue: earliest first, equal deadlines in push order, also into a draining bucket") {
  FakeSleepers q;
  std::vector<Duration> deadlines;
  for (int i = 0; i < 500; ++i)
    deadlines.push_back(Duration((i * 7919) % 37 * 300'000)); // many ties, ~11 buckets
  for (std::size_t i = 0; i < deadlines.size(); ++i)
    q.push(deadlines[i], fake_task(i));
  // Start draining, then push more: some land in the bucket being drained.
  std::vector<std::pair<Duration, std::size_t>> got;
  for (int i = 0; i < 50; ++i) {
    const auto s = q.pop();
    got.emplace_back(s.deadline, fake_index(s.task));
  }
  const auto now = got.back().first;
  for (std::uint32_t i = 0; i < 100; ++i) {
    deadlines.push_back(now + Duration(i % 5 * 100'000));
    q.push(deadlines.back(), fake_task(deadlines.size() - 1));
  }
  while (!q.empty()) {
    const auto s = q.pop();
    got.emplace_back(s.deadline, fake_index(s.task));
  }
  REQUIRE(got.size() == deadlines.size());
  // Deadline order; among equal deadlines, push order (the task's number).
  CHECK(std::is_sorted(got.begin(), got.end()));
  for (const auto& [d, i] : got)
    CHECK(deadlines[i] == d);
}

TEST_CASE("sleep queue: remove takes out one task's entries at one deadline, keeping the order") {
  FakeSleepers q;
  const auto at = Duration(5'000'000);
  q.push(at, fake_task(0));
  q.push(at, fake_task(1));
  q.push(at + Duration(1), fake_task(1)); // same task, same bucket, other deadline: stays
  q.push(at, fake_task(2));
  q.push(Duration(1'000), fake_task(3)); // an earlier bucket
  (void)q.top();                         // sorts the front bucket
  CHECK(q.remove(at, fake_task(1)) == 1);
  CHECK(q.remove(at, fake_task(1)) == 0);
  CHECK(q.remove(Duration(7), fake_task(0)) == 0); // no such bucket
  REQUIRE(q.size() == 4);
  std::vector<std::size_t> order;
  while (!q.empty())
    order.push_back(fake_index(q.pop().task));
  CHECK(order == std::vector<std::size_t>{3, 0, 2, 1});
  // The last entry of a bucket: the bucket goes too.
  q.push(at, fake_task(4));
  CHECK(q.remove(at, fake_task(4)) == 1);
  CHECK(q.empty());
}
