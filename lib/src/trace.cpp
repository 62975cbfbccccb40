#include "asyncdemo/trace.hpp"

#include "asyncdemo/spans.hpp"

#include <fmt/format.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <utility>

namespace asyncdemo {

namespace {

using json = nlohmann::ordered_json;

double micros(Duration d) {
  return static_cast<double>(d.count()) / 1e3;
}

// Task ids start at 0; a track id of 0 is the process's own in some viewers.
int track_of(int task) {
  return task + 1;
}

} // namespace

json trace_json(const std::vector<TracedRun>& runs) {
  json events = json::array();
  int pid = 0;
  for (const auto& tr : runs) {
    ++pid;
    const auto& rec = tr.run->recorder;
    events.push_back(json{{"ph", "M"},
                          {"pid", pid},
                          {"tid", 0},
                          {"name", "process_name"},
                          {"args", {{"name", tr.title}}}});
    events.push_back(json{{"ph", "M"},
                          {"pid", pid},
                          {"tid", 0},
                          {"name", "process_sort_index"},
                          {"args", {{"sort_index", pid}}}});
    for (const auto& t : rec.tasks()) {
      events.push_back(json{{"ph", "M"},
                            {"pid", pid},
                            {"tid", track_of(t.id)},
                            {"name", "thread_name"},
                            {"args", {{"name", t.name}}}});
      events.push_back(json{{"ph", "M"},
                            {"pid", pid},
                            {"tid", track_of(t.id)},
                            {"name", "thread_sort_index"},
                            {"args", {{"sort_index", t.id}}}});
    }
    const auto spans = task_spans(rec, tr.run->elapsed);
    for (std::size_t id = 0; id < spans.size(); ++id)
      for (const auto& s : spans[id]) {
        json e{{"ph", "X"},
               {"pid", pid},
               {"tid", track_of(static_cast<int>(id))},
               {"name", s.what.empty() ? std::string(to_string(s.kind))
                                       : fmt::format("{}: {}", to_string(s.kind), s.what)},
               {"cat", to_string(s.kind)},
               {"ts", micros(s.begin)},
               {"dur", micros(s.end - s.begin)}};
        events.push_back(std::move(e));
      }
    for (const auto& e : rec.events()) {
      const bool ends = e.kind == EventKind::task_done || e.kind == EventKind::task_cancelled ||
                        e.kind == EventKind::task_failed;
      if (e.kind != EventKind::print && !ends && e.task >= 0) continue;
      // Prints, ends of tasks, and loop-wide events (an interrupt) are instants.
      json i{{"ph", "i"},
             {"pid", pid},
             {"tid", e.task >= 0 ? track_of(e.task) : 0},
             {"name", e.kind == EventKind::print ? e.text : std::string(to_string(e.kind))},
             {"cat", to_string(e.kind)},
             {"ts", micros(e.time)},
             {"s", e.task >= 0 ? "t" : "p"}};
      if (!e.text.empty()) i["args"] = json{{"text", e.text}};
      events.push_back(std::move(i));
    }
  }
  return json{{"displayTimeUnit", "ms"}, {"traceEvents", std::move(events)}};
}

std::optional<TraceFile> TraceFile::open(const std::string& path, std::string& error) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (path.empty()) {
    error = "--trace needs a file name, e.g. --trace=trace.json";
    return std::nullopt;
  }
  if (fs::is_directory(path, ec)) {
    error = fmt::format(
        "--trace: '{}' is a directory; give a file name, e.g. --trace={}/trace.json", path, path);
    return std::nullopt;
  }
  const fs::path target(path);
  const auto dir = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  // Next to the target, so that the final rename stays on one file system.
  std::string temp = (dir / ("." + target.filename().string() + ".XXXXXX")).string();
  const int fd = mkstemp(temp.data());
  if (fd < 0) {
    error = fmt::format("--trace: cannot write '{}': {}; give a path in a writable directory", path,
                        std::strerror(errno));
    return std::nullopt;
  }
  // mkstemp makes it 0600; a trace is an ordinary file.
  const mode_t mask = umask(0);
  umask(mask);
  fchmod(fd, 0666 & ~mask);
  return TraceFile(path, std::move(temp), fd);
}

TraceFile::TraceFile(TraceFile&& other) noexcept
    : path_(std::move(other.path_)), temp_(std::move(other.temp_)), fd_(other.fd_) {
  other.fd_ = -1;
  other.temp_.clear();
}

TraceFile& TraceFile::operator=(TraceFile&& other) noexcept {
  std::swap(path_, other.path_);
  std::swap(temp_, other.temp_);
  std::swap(fd_, other.fd_);
  return *this; // what this held goes with `other`
}

TraceFile::~TraceFile() {
  if (fd_ >= 0) ::close(fd_);
  if (!temp_.empty()) ::unlink(temp_.c_str());
}

bool TraceFile::commit(const std::string& content, std::string& error) {
  const char* data = content.data();
  std::size_t left = content.size();
  while (left > 0) {
    const auto n = ::write(fd_, data, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      error = fmt::format("cannot write the trace '{}': {}", path_, std::strerror(errno));
      return false; // the destructor removes the temporary file
    }
    data += n;
    left -= static_cast<std::size_t>(n);
  }
  const int rc = ::close(fd_);
  fd_ = -1;
  if (rc != 0 || std::rename(temp_.c_str(), path_.c_str()) != 0) {
    error = fmt::format("cannot write the trace '{}': {}", path_, std::strerror(errno));
    return false;
  }
  temp_.clear();
  return true;
}

} // namespace asyncdemo
