// The progress bar of --runs: a thread redraws it on stderr ten times a
// second while a run is measured. It is first in the reporters' table, so
// that it clears its line before any other output writes at the end of a
// run or a mode, and draws again only once the next run has begun (the
// others write nothing during a --runs run: -v, --timeline and --trace are
// refused with --runs, and jsonl onto the same terminal gets no bar).
#include "asyncdemo/report/progress.hpp"

#include "asyncdemo/process/terminal.hpp"
#include "asyncdemo/text/wrap.hpp"

#include "outputs.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <numeric>
#include <thread>

namespace asyncdemo {

RunsEstimate::RunsEstimate(std::vector<double> planned)
    : planned_(std::move(planned)),
      planned_total_(std::accumulate(planned_.begin(), planned_.end(), 0.0)) {}

void RunsEstimate::ended(std::size_t index, double actual) {
  if (index < planned_.size()) planned_done_ += planned_[index];
  actual_done_ += actual;
}

double RunsEstimate::ratio() const {
  return planned_done_ > 0 && actual_done_ > 0 ? actual_done_ / planned_done_ : 1.0;
}

double RunsEstimate::fraction(std::size_t index, double elapsed) const {
  if (planned_total_ <= 0) return 0;
  const double current = index < planned_.size() ? planned_[index] : 0;
  const double into = std::min(elapsed / ratio(), current);
  return std::clamp((planned_done_ + into) / planned_total_, 0.0, 1.0);
}

double RunsEstimate::seconds_left(double elapsed) const {
  return std::max((planned_total_ - planned_done_) * ratio() - elapsed, 0.0);
}

std::string progress_line(std::string_view label, double fraction,
                          std::optional<double> seconds_left, std::size_t width) {
  const std::string left =
      seconds_left ? fmt::format("  {:.1f} s left", std::max(*seconds_left, 0.0)) : std::string();
  const std::size_t fixed = text_columns(label) + 4 + text_columns(left); // "  [" and "]"
  // The bar takes what is left (the last column stays free), up to 40; too
  // narrow a terminal gets the label and the estimate alone.
  const std::size_t bar = width > fixed + 1 ? std::min<std::size_t>(width - fixed - 1, 40) : 0;
  if (bar < 5) return fmt::format("{}{}", label, left);
  const auto filled =
      static_cast<std::size_t>(std::clamp(fraction, 0.0, 1.0) * static_cast<double>(bar));
  return fmt::format("{}  [{}{}]{}", label, std::string(filled, '#'),
                     std::string(bar - filled, '.'), left);
}

namespace {

using Clock = std::chrono::steady_clock;

class ProgressReporter final : public Reporter {
public:
  explicit ProgressReporter(const RunPlan& plan) : plan_(plan) {}
  ~ProgressReporter() override { stop(); }

  void session_begins(const SessionView& v) override {
    std::vector<double> planned;
    for (auto m : plan_.modes)
      for (int i = 0; i < plan_.runs; ++i)
        planned.push_back(to_seconds(v.model(m)) / plan_.speed);
    const std::lock_guard lock(mutex_);
    estimate_.emplace(std::move(planned));
    thread_ = std::thread([this] { draw_loop(); });
  }
  void run_begins(Mode m, int index) override {
    const std::lock_guard lock(mutex_);
    label_ = fmt::format("{} {}/{}", to_string(m), index + 1, plan_.runs);
    began_ = Clock::now();
    running_ = true;
  }
  void run_ended(const RunResult&, int) override {
    const std::lock_guard lock(mutex_);
    estimate_->ended(current_, seconds_since(began_));
    ++current_;
    running_ = false;
    clear();
  }
  void mode_measured(const ModeRuns&, const std::optional<Stats>&) override {
    const std::lock_guard lock(mutex_);
    clear();
  }
  bool finish(SessionOutcome, std::string&) override {
    stop();
    return true;
  }

private:
  static double seconds_since(Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
  }
  // Under the lock.
  void clear() {
    if (!drawn_) return;
    std::fputs("\r\x1b[K", stderr);
    std::fflush(stderr);
    drawn_ = false;
  }
  void draw_loop() {
    std::unique_lock lock(mutex_);
    while (!done_) {
      woken_.wait_for(lock, std::chrono::milliseconds(100));
      // Drawn once the run is well under way: whatever the other outputs
      // write as it begins comes first.
      if (done_ || !running_ || seconds_since(began_) < 0.1) continue;
      const double elapsed = seconds_since(began_);
      const auto line = progress_line(label_, estimate_->fraction(current_, elapsed),
                                      estimate_->seconds_left(elapsed), terminal_width(stderr));
      std::fputs(("\r" + line + "\x1b[K").c_str(), stderr);
      std::fflush(stderr);
      drawn_ = true;
    }
  }
  void stop() {
    {
      const std::lock_guard lock(mutex_);
      done_ = true;
      clear();
    }
    woken_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

  const RunPlan& plan_;
  std::mutex mutex_;
  std::condition_variable woken_;
  std::thread thread_;
  std::optional<RunsEstimate> estimate_;
  std::string label_;
  Clock::time_point began_{};
  std::size_t current_ = 0;
  bool running_ = false, drawn_ = false, done_ = false;
};

} // namespace

std::unique_ptr<Reporter> make_progress_reporter(const RunPlan& plan, std::FILE*, std::string&) {
  return std::make_unique<ProgressReporter>(plan);
}

} // namespace asyncdemo
