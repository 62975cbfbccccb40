// A sleep that is never awaited warns as CPython does, and one that is
// awaited (or moved and then awaited) does not.
#include "../test_support.hpp"
#include "asyncdemo/asyncdemo.hpp"

#include <doctest/doctest.h>

#include <utility>

using namespace asyncdemo;
using namespace std::chrono_literals;

namespace {

std::vector<std::string> warnings(const test::RecordedLoop& loop) {
  std::vector<std::string> out;
  for (const auto& e : loop.recorder().events())
    if (e.kind == EventKind::warning) out.push_back(e.text);
  return out;
}

Coro<> forgets_await() {
  print("before");
  static_cast<void>(sleep(1s)); // asyncio.sleep(1) without await
  print("after");
  co_return;
}

Coro<> awaits_a_moved_sleep() {
  auto first = sleep(1s);
  auto second = std::move(first);
  co_await std::move(second);
  print("slept");
}

} // namespace

TEST_CASE("a sleep never awaited warns at once, in its task, and does not pause") {
  test::RecordedLoop loop;
  loop.run(forgets_await());
  CHECK(warnings(loop) ==
        std::vector<std::string>{"RuntimeWarning: coroutine 'sleep' was never awaited"});
  CHECK(test::printed(loop) == "before\nafter\n");
  CHECK(loop.now() == Duration::zero());
  // The warning comes between the two prints, from the main task.
  const auto& events = loop.recorder().events();
  std::vector<EventKind> kinds;
  for (const auto& e : events)
    if (e.kind == EventKind::print || e.kind == EventKind::warning) kinds.push_back(e.kind);
  CHECK(kinds == std::vector<EventKind>{EventKind::print, EventKind::warning, EventKind::print});
  CHECK(std::string(to_string(EventKind::warning)) == "warning");
}

TEST_CASE("a sleep never awaited three times warns once, as CPython's warnings filter shows it") {
  // async def forgets(): print("x"); asyncio.sleep(1)
  // await forgets(); await forgets(); await forgets()
  // CPython 3.11 prints x three times, and the RuntimeWarning once (on stderr).
  test::RecordedLoop loop;
  loop.run([]() -> Coro<> {
    for (int i = 0; i < 3; ++i)
      co_await forgets_await();
  }());
  CHECK(warnings(loop) ==
        std::vector<std::string>{"RuntimeWarning: coroutine 'sleep' was never awaited"});
  CHECK(test::printed(loop) == "before\nafter\nbefore\nafter\nbefore\nafter\n");
}

TEST_CASE("an awaited sleep does not warn, even after a move") {
  test::RecordedLoop loop;
  loop.run(awaits_a_moved_sleep());
  CHECK(warnings(loop).empty());
  CHECK(loop.now() == 1s);
}
