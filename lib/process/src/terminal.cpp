#include "asyncdemo/process/terminal.hpp"

#include "asyncdemo/text/parse.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdlib>

namespace asyncdemo {

std::optional<std::size_t> known_width(std::FILE* out) {
  // COLUMNS first: the user (or a test) can always say how wide.
  if (const char* env = std::getenv("COLUMNS")) {
    const auto w = parse_whole<std::size_t>(env);
    if (w && *w > 0 && *w < 10000) return *w;
  }
  winsize ws{};
  if (out && isatty(fileno(out)) && ioctl(fileno(out), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
    return ws.ws_col;
  return std::nullopt;
}

std::size_t terminal_width(std::FILE* out) {
  return known_width(out).value_or(default_width);
}

} // namespace asyncdemo
