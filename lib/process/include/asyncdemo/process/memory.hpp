#pragma once
// Running out of memory, for the whole process: one path to one honest line.
//
// install() sets memory aside and a new-handler. When an allocation fails,
// the handler gives that memory back (so that what unwinds, destructors
// that allocate a little, can still run), notes that memory ran out, and
// throws std::bad_alloc. The runtime ends a run at a bad_alloc (never a
// task's exception for the program to catch), the run layer lets it through
// (even one a program swallowed: exhausted() says so), and main says it:
// "asyncdemo: out of memory: ...", exit status 1, whatever the output.
#include <cstddef>
#include <string>

namespace asyncdemo::memory {

// The memory set aside: enough for the destructors of the largest
// documents (nlohmann's frees an array through a list of its items).
inline constexpr std::size_t reserve_bytes = std::size_t{32} << 20;

void install(std::size_t reserve = reserve_bytes);

// Whether an allocation has failed since install().
bool exhausted() noexcept;

// What the line says after "out of memory: ": what ran out, and what
// would help.
std::string why();

} // namespace asyncdemo::memory
