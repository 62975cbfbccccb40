#include "asyncdemo/process/signals.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <climits>
#include <csignal>
#include <cstring>

namespace asyncdemo::signals {

namespace {

std::atomic<int> g_requested{0};
std::atomic<int> g_noticed{0};
std::atomic<int> g_count{0};
std::atomic<int> g_first{0};
int g_pipe[2] = {-1, -1};

// Temporary files, by slot: the path is written before the slot is marked
// in use, so a handler only ever reads whole paths.
constexpr std::size_t slots = 4;
struct Slot {
  std::atomic<bool> used{false};
  char path[PATH_MAX] = {};
};
std::array<Slot, slots> g_temps;

void remove_temps() noexcept {
  for (auto& s : g_temps)
    if (s.used.load(std::memory_order_acquire)) ::unlink(s.path);
}

// The terminal to put back (--step's keys), written before it is marked.
std::atomic<int> g_terminal_fd{-1};
struct termios g_terminal_saved {};

[[noreturn]] void stop_now(int sig) noexcept {
  remove_temps();
  if (const int fd = g_terminal_fd.load(); fd >= 0) ::tcsetattr(fd, TCSANOW, &g_terminal_saved);
  ::_exit(128 + sig);
}

// Async-signal-safe: atomics, write, alarm, unlink, tcsetattr, _exit.
void on_stop_signal(int sig) {
  const int saved = errno;
  if (g_count.fetch_add(1) > 0) stop_now(sig); // the second one
  g_first.store(sig);
  g_requested.store(1);
  if (g_pipe[1] >= 0) {
    const char byte = 1;
    [[maybe_unused]] const auto n = ::write(g_pipe[1], &byte, 1);
  }
  ::alarm(1); // the watchdog: see on_alarm
  errno = saved;
}

// A second after the first signal: if nothing has acted on it, the process
// is stuck (blocked writing output nobody reads, say) and stops here.
void on_alarm(int) {
  if (g_noticed.load() == 0) stop_now(g_first.load());
}

void ensure_open(int fd) {
  if (::fcntl(fd, F_GETFD) >= 0 || errno != EBADF) return;
  const int got = ::open("/dev/null", O_RDONLY);
  if (got >= 0 && got != fd) { // open takes the lowest free number: fd itself
    ::dup2(got, fd);
    ::close(got);
  }
}

void handle(int sig, void (*handler)(int)) {
  struct sigaction sa {};
  sa.sa_handler = handler;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART; // the rest of the program never sees EINTR
  ::sigaction(sig, &sa, nullptr);
}

} // namespace

void install() {
  for (int fd = 0; fd <= 2; ++fd)
    ensure_open(fd);
  if (::pipe2(g_pipe, O_NONBLOCK | O_CLOEXEC) != 0) g_pipe[0] = g_pipe[1] = -1;
  handle(SIGALRM, on_alarm);
  for (int sig : {SIGINT, SIGTERM, SIGHUP})
    handle(sig, on_stop_signal);
  std::signal(SIGXFSZ, SIG_IGN);
  std::signal(SIGPIPE, SIG_DFL);
}

InterruptSource source() noexcept {
  return InterruptSource{&g_requested, &g_noticed, g_pipe[0]};
}

bool requested() noexcept {
  return g_requested.load() != 0;
}

int exit_status() noexcept {
  const int sig = g_first.load();
  return sig ? 128 + sig : 130;
}

TempFileGuard::TempFileGuard(const char* path) noexcept {
  if (std::strlen(path) >= PATH_MAX) return;
  for (std::size_t i = 0; i < slots; ++i) {
    auto& s = g_temps[i];
    if (s.used.load()) continue;
    std::strcpy(s.path, path);
    s.used.store(true, std::memory_order_release);
    slot_ = static_cast<int>(i);
    return;
  }
}

TempFileGuard::~TempFileGuard() {
  if (slot_ >= 0) g_temps[static_cast<std::size_t>(slot_)].used.store(false);
}

TerminalGuard::TerminalGuard(int fd, const struct termios& saved) noexcept {
  g_terminal_saved = saved;
  g_terminal_fd.store(fd);
}

TerminalGuard::~TerminalGuard() {
  g_terminal_fd.store(-1);
}

} // namespace asyncdemo::signals
