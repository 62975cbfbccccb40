#pragma once
// Writes a Script (script.hpp) as the asyncio program it is: its Python
// twin, for the context's mode and parameters (python_program adds the
// header and the closing lines).
#include "asyncdemo/script/program.hpp"
#include "asyncdemo/teach/python.hpp"

namespace asyncdemo::script {

PythonSource python_of(const Script& s, const Context& ctx);

} // namespace asyncdemo::script
