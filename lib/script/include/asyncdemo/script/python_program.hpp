#pragma once
// A Python program (docs/python-programs.md) as a Scenario: `asyncdemo run
// prog.py`. Read, parsed and compiled now (what is outside the subset is
// refused here, FILE:LINE:COLUMN); run as CPython runs it.
#include "asyncdemo/script/program.hpp"

#include <string>
#include <variant>

namespace asyncdemo::script {

std::variant<Scenario, LoadError> load_python(const std::string& path);
// `when` says when the program is compiled and its modes derived: now (a
// user's program: what is wrong is said before anything runs), or at its
// first run (the catalogue's, tested, which every start would pay for).
enum class Compile : bool { now, when_run };
std::variant<Scenario, LoadError> load_python_text(std::string text, const std::string& file,
                                                   Compile when = Compile::now);

} // namespace asyncdemo::script
