#pragma once
// Seed 001's coroutines for pitfalls' variants: coffee and eggs, each with
// a preparation that holds the cook (time.sleep: blocking) and a wait that
// does not (asyncio.sleep). In C++ and in Python. (breakfast itself is a
// file, scenarios/breakfast.toml: pitfalls rewrites these per variant, which
// a file cannot.)
#include "asyncdemo/teach/scenario_kit.hpp"

#include <fmt/format.h>

#include <string>
#include <vector>

namespace asyncdemo::seed001 {

using namespace std::chrono_literals;

inline Coro<> make_coffee() {
  print("coffee: prepare ingredients");
  block(1s);
  print("coffee: waiting...");
  co_await sleep(5s); // pause: other tasks can run
  print("coffee: ready");
}

inline Coro<> fry_eggs() {
  print("eggs: prepare ingredients");
  block(1s);
  print("eggs: frying...");
  co_await sleep(3s); // pause: other tasks can run
  print("eggs: ready");
}

// Built outside the coroutine: g++ 12 cannot keep a braced list alive in a
// coroutine frame ("array used as initializer").
inline std::vector<Job<void>> jobs() {
  return {{"coffee", make_coffee}, {"eggs", fry_eggs}};
}

inline const std::vector<PyJob> python_jobs{{"coffee", "make_coffee()"}, {"eggs", "fry_eggs()"}};

// The two coroutines in Python, in the mode's form. With blocking_waits,
// the waits are time.sleep too: pitfalls' mistake. (A wait's comment says
// what awaiting it would let happen: sync mode, with no others to run, has
// none.)
inline std::string coroutines_python(const PyForm& form, bool blocking_waits = false) {
  const auto wait = [&](int secs) {
    const auto seconds = fmt::format("{} * SCALE", secs);
    if (form.blocking) return fmt::format("time.sleep({})", seconds);
    return blocking_waits
               ? fmt::format("time.sleep({0} * SCALE)  # the pitfall: awaiting asyncio.sleep({0}) "
                             "would let others run",
                             secs)
               : form.sleep(seconds) + "  # pause: other tasks can run";
  };
  return fmt::format(R"({0} make_coffee():
    print("coffee: prepare ingredients")
    time.sleep(1 * SCALE)
    print("coffee: waiting...")
    {1}
    print("coffee: ready")


{0} fry_eggs():
    print("eggs: prepare ingredients")
    time.sleep(1 * SCALE)
    print("eggs: frying...")
    {2}
    print("eggs: ready")


)",
                     form.def(), wait(5), wait(3));
}

} // namespace asyncdemo::seed001
