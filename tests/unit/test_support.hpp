#pragma once
// Helpers shared by the unit tests.
#include "asyncdemo/asyncdemo.hpp"
#include "asyncdemo/run/recorder.hpp"
#include "asyncdemo/teach/print.hpp"

#include <doctest/doctest.h>

#include <unistd.h>

#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace asyncdemo::test {

// A loop with a recorder attached: what the tests read back.
class RecordedLoop {
public:
  explicit RecordedLoop(LoopConfig config = {}, bool follow_unnamed = true)
      : recorder_(follow_unnamed), loop_(observed(config, recorder_)) {}

  template <class T> Value<T> run(Coro<T> main, std::string name = "main") {
    return loop_.run(std::move(main), std::move(name));
  }
  Duration now() const noexcept { return loop_.now(); }
  std::size_t pending_tasks() const noexcept { return loop_.pending_tasks(); }
  Loop& loop() noexcept { return loop_; }
  Recorder& recorder() noexcept { return recorder_; }
  const Recorder& recorder() const noexcept { return recorder_; }

private:
  static LoopConfig observed(LoopConfig c, Recorder& r) {
    c.observer = &r;
    return c;
  }
  Recorder recorder_;
  Loop loop_;
};

// One string, so that a failed CHECK shows both listings in full.
inline std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines)
    out += l + "\n";
  return out;
}

inline std::string printed(const RecordedLoop& loop) {
  return joined(loop.recorder().printed_lines());
}

// Python's spelling of a bool.
inline const char* py(bool b) {
  return b ? "True" : "False";
}

// Seconds since the loop started, as the Python programs' loop.time() deltas.
inline double el() {
  return to_seconds(now());
}

// A pipe whose write end a thread fills with `text`, then closes: a script
// piped into a prompt, larger than the pipe holds.
class PipedText {
public:
  explicit PipedText(std::string text) : text_(std::move(text)) {
    REQUIRE(::pipe(fds_) == 0);
    writer_ = std::thread([this] {
      std::size_t at = 0;
      while (at < text_.size()) {
        const auto n = ::write(fds_[1], text_.data() + at, text_.size() - at);
        if (n <= 0) break;
        at += static_cast<std::size_t>(n);
      }
      ::close(fds_[1]);
    });
  }
  ~PipedText() {
    writer_.join();
    ::close(fds_[0]);
  }
  PipedText(const PipedText&) = delete;
  PipedText& operator=(const PipedText&) = delete;
  int fd() const noexcept { return fds_[0]; }

private:
  std::string text_;
  int fds_[2] = {-1, -1};
  std::thread writer_;
};

} // namespace asyncdemo::test
