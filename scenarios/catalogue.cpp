// Registers every built-in scenario file (.toml) and Python program (.py,
// docs/python-programs.md) as a scenario, like swarm registers itself. A
// built-in file that does not load is a bug of ours: it stops the program
// at start-up, and the tests see it at once.
#include "catalogue.hpp"

#include "asyncdemo/script/program.hpp"
#include "asyncdemo/script/python_program.hpp"

#include <stdexcept>
#include <string_view>
#include <variant>

namespace {

using namespace asyncdemo;

struct RegisterFiles {
  RegisterFiles() {
    for (const auto& f : catalogue::embedded_files()) {
      if (std::string_view(f.path).ends_with(".py")) {
        auto program =
            script::load_python_text(std::string(f.text), f.path, script::Compile::when_run);
        if (const auto* error = std::get_if<script::LoadError>(&program))
          throw std::logic_error("a built-in program does not load: " + error->message);
        Registry::instance().add(std::get<Scenario>(std::move(program)));
        continue;
      }
      auto loaded = script::load_text(f.text, f.path);
      if (const auto* error = std::get_if<script::LoadError>(&loaded))
        throw std::logic_error("a built-in scenario file does not load: " + error->message);
      Registry::instance().add(script::scenario_of(std::get<0>(std::move(loaded))));
    }
  }
} const register_files;

} // namespace
