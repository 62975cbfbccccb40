#pragma once
// The execution modes: how a scenario's jobs are run (docs/design.md,
// "Modes"). asyncio's five are shared by every scenario; a scenario may add
// modes of its own (swarm's threads), numbered from first_own_mode and named
// when the scenario registers.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace asyncdemo {

enum class Mode : std::uint8_t { sync, await_, create_task, gather, as_completed };

// The five asyncio modes, in the order they are compared.
inline constexpr std::array<Mode, 5> every_mode{Mode::sync, Mode::await_, Mode::create_task,
                                                Mode::gather, Mode::as_completed};

// A scenario's own modes are Mode{first_own_mode + k}.
inline constexpr Mode first_own_mode = static_cast<Mode>(16);
inline constexpr bool is_asyncio_mode(Mode m) noexcept {
  return static_cast<std::uint8_t>(m) < static_cast<std::uint8_t>(first_own_mode);
}
// Names an own mode (the registry does, for each scenario's own modes).
void name_own_mode(Mode m, std::string name);

// Which mode a comparison names when several are equally fast: the
// idiomatic one, gather first; own modes come after these.
inline constexpr std::array<Mode, 5> tie_preference{Mode::gather, Mode::as_completed,
                                                    Mode::create_task, Mode::await_, Mode::sync};

// How a mode composes a scenario's jobs: the one description that running
// them (run_jobs, a file's interpreter), modelling them and writing them
// as Python all read.
//
//   sync          a(); b()                      (every sleep blocks instead)
//   await         await a(); await b()
//   create_task   ta = create_task(a()); tb = create_task(b()); await ta; await tb
//   gather        await gather(a(), b())
//   as_completed  for f in as_completed([a(), b()]): await f
struct Composition {
  // How the results come back: each job awaited (called, in sync) in turn,
  // each task awaited in turn, all at once in job order, or as they finish.
  enum class Collect : std::uint8_t { each_call, each_task, gather, as_completed };
  bool blocking = false; // plain functions: every sleep blocks, nothing else can run
  bool tasks = false;    // every job becomes a task before the first is awaited
  Collect collect = Collect::each_call;
};

// An asyncio mode's composition (an own mode has none: its scenario runs it).
constexpr Composition composition_of(Mode m) noexcept {
  using C = Composition::Collect;
  switch (m) {
  case Mode::sync:
    return {true, false, C::each_call};
  case Mode::await_:
    return {false, false, C::each_call};
  case Mode::create_task:
    return {false, true, C::each_task};
  case Mode::gather:
    return {false, true, C::gather};
  case Mode::as_completed:
    return {false, true, C::as_completed};
  }
  return {};
}

std::string_view to_string(Mode m) noexcept;
// Accepts the names above (and own modes' names), with dashes for
// underscores (create-task).
std::optional<Mode> parse_mode(std::string_view text) noexcept;
// "sync, await, gather"
std::string join(const std::vector<Mode>& modes);

} // namespace asyncdemo
