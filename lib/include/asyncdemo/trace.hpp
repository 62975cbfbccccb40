#pragma once
// --trace=FILE: Chrome trace-event JSON, which Perfetto (ui.perfetto.dev) and
// chrome://tracing open. One process per mode, one track (thread) per task, a
// complete event ("ph": "X") per running, blocking, awaiting or ready span,
// an instant event ("ph": "i") per print. Times are microseconds.
#include "asyncdemo/runner.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace asyncdemo {

struct TracedRun {
  std::string title; // the process's name: "breakfast --mode=gather"
  const RunResult* run = nullptr;
};

nlohmann::ordered_json trace_json(const std::vector<TracedRun>& runs);

// The file a trace goes to. It is opened (as a temporary file next to the
// target) before anything runs, so that an unwritable path is a usage error
// at once; commit() writes it and renames it into place, so a reader never
// sees half a file. Without commit() the temporary file is removed.
class TraceFile {
public:
  // Empty and `error` set ("cannot write 'x': No such file or directory")
  // when the path cannot be written.
  static std::optional<TraceFile> open(const std::string& path, std::string& error);

  TraceFile(TraceFile&& other) noexcept;
  TraceFile& operator=(TraceFile&& other) noexcept;
  TraceFile(const TraceFile&) = delete;
  ~TraceFile();

  // False, with `error` set, when writing or renaming failed.
  bool commit(const std::string& content, std::string& error);
  const std::string& path() const noexcept { return path_; }

private:
  TraceFile(std::string path, std::string temp, int fd)
      : path_(std::move(path)), temp_(std::move(temp)), fd_(fd) {}
  std::string path_;
  std::string temp_;
  int fd_ = -1;
};

} // namespace asyncdemo
