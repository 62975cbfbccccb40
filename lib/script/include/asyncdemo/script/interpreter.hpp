#pragma once
// Runs a Script (script.hpp) as coroutines on the running loop, in the
// context's mode, with its parameters and seed.
#include "asyncdemo/coro.hpp"
#include "asyncdemo/script/program.hpp"

#include <memory>
#include <optional>
#include <unordered_map>

namespace asyncdemo::script {

// `lines`: where each step (an Instr, or main's own part: python_writer's
// origins) is in the program --python prints, for a view that follows the
// run (Context::source); empty: none is followed.
Coro<> run_script(std::shared_ptr<const Script> script, const Context& ctx,
                  std::unordered_map<const void*, int> lines = {});

// The run's model time (its time on the virtual clock), worked out without
// running it, for the shapes model_worked_out takes; nothing for the rest,
// or when ctx.stop is set meanwhile. Throws ScriptError as the run would.
bool model_worked_out(const Script& s);
std::optional<Duration> model_time(std::shared_ptr<const Script> script, const Context& ctx);

} // namespace asyncdemo::script
