#include "asyncdemo/process/terminal_input.hpp"

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace asyncdemo {

namespace {

// One read's worth: a key or a few typed ahead, or a part of a piped script.
constexpr std::size_t chunk_size = 4096;

} // namespace

TerminalInput::TerminalInput(int fd, InterruptSource interrupts)
    : fd_(fd), irq_(interrupts), keys_(::isatty(fd) != 0) {
  if (keys_ && ::tcgetattr(fd_, &saved_) != 0) keys_ = false;
  if (!keys_) return;
  guard_.emplace(fd_, saved_);
  keys_mode_ = saved_;
  keys_mode_.c_lflag &= ~static_cast<tcflag_t>(ICANON | ECHO); // ISIG stays: Ctrl-C interrupts
  keys_mode_.c_cc[VMIN] = 1;
  keys_mode_.c_cc[VTIME] = 0;
  ::tcsetattr(fd_, TCSANOW, &keys_mode_);
}

TerminalInput::~TerminalInput() {
  if (guard_) ::tcsetattr(fd_, TCSANOW, &saved_);
}

bool TerminalInput::interrupted() const {
  if (!irq_.requested || irq_.requested->load(std::memory_order_relaxed) == 0) return false;
  if (irq_.noticed) irq_.noticed->store(1, std::memory_order_relaxed);
  return true;
}

bool TerminalInput::wait() const {
  for (;;) {
    if (interrupted()) return false;
    // Key mode again at each turn: after Ctrl-Z and fg the shell may have
    // put its own back (a key typed meanwhile waits in the line, then comes).
    if (keys_) ::tcsetattr(fd_, TCSANOW, &keys_mode_);
    pollfd fds[2] = {{fd_, POLLIN, 0}, {irq_.wake_fd, POLLIN, 0}};
    const int n = ::poll(fds, irq_.wake_fd >= 0 ? 2 : 1, 200);
    if (n < 0 && errno != EINTR) return true; // let read() say what is wrong
    if (interrupted()) return false;
    if (n > 0 && fds[0].revents != 0) return true;
  }
}

bool TerminalInput::fill() {
  if (!wait()) return false;
  pending_.resize(chunk_size);
  taken_ = 0;
  ssize_t n = 0;
  do
    n = ::read(fd_, pending_.data(), pending_.size());
  while (n < 0 && errno == EINTR && !interrupted());
  pending_.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
  if (n <= 0 && !interrupted()) eof_ = true;
  return n > 0;
}

TerminalInput::Got TerminalInput::read_key(std::string& key) {
  key.clear();
  if (taken_ == pending_.size()) {
    if (eof_) return Got::end;
    const bool got = fill();
    if (interrupted()) return Got::interrupted;
    if (!got) return Got::end;
  }
  const std::string_view rest(pending_.data() + taken_, pending_.size() - taken_);
  std::size_t n = 1;
  const auto c = static_cast<unsigned char>(rest[0]);
  if (c == 0x1b && rest.size() >= 3 && (rest[1] == '[' || rest[1] == 'O'))
    n = 3;
  else if (c >= 0xC0)
    n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
  n = std::min(n, rest.size());
  key.assign(rest.substr(0, n));
  taken_ += n;
  return Got::input;
}

TerminalInput::Got TerminalInput::read_line(Line& line) {
  for (;;) {
    // Each byte is looked at once: what is taken goes into the line (up to
    // max_line) or is dropped, never scanned again.
    if (taken_ < pending_.size()) {
      const std::string_view rest(pending_.data() + taken_, pending_.size() - taken_);
      const auto nl = rest.find('\n');
      const auto part = rest.substr(0, nl);
      const auto room = max_line - line_.text.size();
      line_.text.append(part.substr(0, room));
      line_.bytes += part.size();
      taken_ += nl == std::string_view::npos ? rest.size() : nl + 1;
      if (nl != std::string_view::npos) break;
      continue;
    }
    if (eof_) {
      if (line_.bytes == 0) return Got::end;
      break; // a last line without its \n
    }
    if (!fill() && interrupted()) return Got::interrupted;
  }
  line = std::move(line_);
  line_ = Line{};
  return Got::input;
}

} // namespace asyncdemo
