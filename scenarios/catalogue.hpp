#pragma once
// The built-in scenario files (scenarios/*.toml), embedded in the binary at
// build time (cmake/Embed.cmake) and registered by catalogue.cpp.
#include <string>
#include <vector>

namespace asyncdemo::catalogue {

struct EmbeddedFile {
  const char* path; // "scenarios/breakfast.toml"
  const char* text;
};

const std::vector<EmbeddedFile>& embedded_files();

} // namespace asyncdemo::catalogue
