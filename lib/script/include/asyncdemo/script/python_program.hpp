#pragma once
// A Python program (docs/python-programs.md) as a Scenario: `asyncdemo run
// prog.py`. Read, parsed and compiled now (what is outside the subset is
// refused here, FILE:LINE:COLUMN); run as CPython runs it.
#include "asyncdemo/script/program.hpp"

#include <string>
#include <variant>

namespace asyncdemo::script {

std::variant<Scenario, LoadError> load_python(const std::string& path);
std::variant<Scenario, LoadError> load_python_text(std::string text, const std::string& file);

} // namespace asyncdemo::script
