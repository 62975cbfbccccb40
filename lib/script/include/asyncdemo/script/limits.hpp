#pragma once
// What a program may make, one limit a kind (docs/scenario-files.md,
// "Limits"). A file is untrusted: whatever it asks for, the run stays
// within these, and asking for more is refused in one line before anything
// of that size is allocated (a MemoryError, as Python's own when memory
// runs out).
#include <cstddef>
#include <cstdint>

namespace asyncdemo::script {

// A string holds at most this many bytes (so at most this many characters).
inline constexpr std::size_t max_str_bytes = 1'000'000;
inline constexpr std::size_t max_str_chars = max_str_bytes;
// A list holds at most this many items (a swarm's ten million results fit).
inline constexpr std::size_t max_list_len = 10'000'000;

} // namespace asyncdemo::script
