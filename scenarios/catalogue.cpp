// Registers every built-in scenario file as a scenario, like the compiled
// ones register themselves. A built-in file that does not load is a bug of
// ours: it stops the program at start-up, and the tests see it at once.
#include "catalogue.hpp"

#include "asyncdemo/script/program.hpp"

#include <stdexcept>
#include <variant>

namespace {

using namespace asyncdemo;

struct RegisterFiles {
  RegisterFiles() {
    for (const auto& f : catalogue::embedded_files()) {
      auto loaded = script::load_text(f.text, f.path);
      if (const auto* error = std::get_if<script::LoadError>(&loaded))
        throw std::logic_error("a built-in scenario file does not load: " + error->message);
      Registry::instance().add(script::scenario_of(std::get<0>(std::move(loaded))));
    }
  }
} const register_files;

} // namespace
