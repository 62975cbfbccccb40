#include "../test_support.hpp"
#include "asyncdemo/asyncdemo.hpp"

#include <doctest/doctest.h>

using namespace asyncdemo;
using namespace std::chrono_literals;

namespace {
Coro<void> make_coffee() {
  print("coffee: prepare ingredients");
  block(1s);
  print("coffee: waiting...");
  co_await sleep(5s);
  print("coffee: ready");
}
Coro<void> fry_eggs() {
  print("eggs: prepare ingredients");
  block(1s);
  print("eggs: frying...");
  co_await sleep(3s);
  print("eggs: ready");
}
Coro<void> main_gather() {
  auto start = now();
  co_await gather(make_coffee(), fry_eggs());
  print("breakfast is ready in {:.3f} s", to_seconds(now() - start));
}
} // namespace

// What CPython prints for seed 001's gather version.
TEST_CASE("breakfast gather on the virtual clock prints CPython's order in 6 s") {
  test::RecordedLoop loop;
  loop.run(main_gather());
  CHECK(loop.recorder().printed_lines() ==
        std::vector<std::string>{"coffee: prepare ingredients", "coffee: waiting...",
                                 "eggs: prepare ingredients", "eggs: frying...", "eggs: ready",
                                 "coffee: ready", "breakfast is ready in 6.000 s"});
  CHECK(loop.now() == 6s);
}
