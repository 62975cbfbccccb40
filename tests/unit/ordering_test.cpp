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

TEST_CASE("breakfast gather on the virtual clock") {
  Loop loop;
  loop.run(main_gather());
  auto lines = loop.recorder().printed_lines();
  for (auto& l : lines)
    MESSAGE(l);
  CHECK(loop.now() == 6s);
}
