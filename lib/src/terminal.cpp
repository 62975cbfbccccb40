#include "asyncdemo/terminal.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <charconv>
#include <cstdlib>
#include <string_view>

namespace asyncdemo {

std::size_t terminal_width(std::FILE* out) {
  // COLUMNS first: the user (or a test) can always say how wide.
  if (const char* env = std::getenv("COLUMNS")) {
    const std::string_view text(env);
    std::size_t w = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), w);
    if (ec == std::errc() && ptr == text.data() + text.size() && w > 0 && w < 10000) return w;
  }
  winsize ws{};
  if (out && isatty(fileno(out)) && ioctl(fileno(out), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
    return ws.ws_col;
  return default_width;
}

} // namespace asyncdemo
