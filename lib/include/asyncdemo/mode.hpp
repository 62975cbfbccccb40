#pragma once
// The execution modes of DESIGN.md: how a scenario's jobs are run.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace asyncdemo {

// threads is not an asyncio mode: one std::thread per job, each blocking
// (swarm's comparison of seed 002: tasks are lighter than threads).
enum class Mode : std::uint8_t { sync, await_, create_task, gather, as_completed, threads };

// The five asyncio modes (threads is not one of them).
inline constexpr std::array<Mode, 5> every_mode{Mode::sync, Mode::await_, Mode::create_task,
                                                Mode::gather, Mode::as_completed};

// Which mode a comparison names when several are equally fast: the
// idiomatic one, gather first.
inline constexpr std::array<Mode, 5> tie_preference{Mode::gather, Mode::as_completed,
                                                    Mode::create_task, Mode::await_, Mode::sync};

std::string_view to_string(Mode m) noexcept;
// Accepts the names above, threads, and their dashed spellings (create-task).
std::optional<Mode> parse_mode(std::string_view text) noexcept;
// "sync, await, gather"
std::string join(const std::vector<Mode>& modes);

} // namespace asyncdemo
