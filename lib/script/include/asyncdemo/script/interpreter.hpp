#pragma once
// Runs a Script (script.hpp) as coroutines on the running loop, in the
// context's mode, with its parameters and seed.
#include "asyncdemo/coro.hpp"
#include "asyncdemo/script/program.hpp"

#include <memory>
#include <optional>

namespace asyncdemo::script {

Coro<> run_script(std::shared_ptr<const Script> script, const Context& ctx);

// The run's model time (its time on the virtual clock), worked out without
// running it, for the shapes model_worked_out takes; nothing for the rest,
// or when ctx.stop is set meanwhile. Throws ScriptError as the run would.
bool model_worked_out(const Script& s);
std::optional<Duration> model_time(std::shared_ptr<const Script> script, const Context& ctx);

} // namespace asyncdemo::script
