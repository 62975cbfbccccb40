#pragma once
// A file the tool writes at the end of a session (--trace, --html, --svg): checked before
// anything runs, written whole or not at all, and never at the expense of
// what the path names.
//
//   a new path, or a regular file   written beside it and renamed into
//                                   place, keeping the file's mode and owner;
//   a symbolic link                 followed: its target is written;
//   a file with other hard links    rewritten in place, so the links stay;
//   a FIFO or a character device    written straight into (--trace=/dev/stdout);
//   a directory, a block device,    refused, before the run.
//   a socket
#include <optional>
#include <string>
#include <string_view>
#include <sys/types.h>

namespace asyncdemo {

class OutputFile {
public:
  // `option` names it in messages ("--trace"), `example` is a name to
  // suggest. Empty, with `error` set, when the path cannot be written;
  // nothing is left on disk either way.
  static std::optional<OutputFile> prepare(std::string option, const std::string& path,
                                           std::string& error,
                                           std::string_view example = "trace.json");

  // False, with `error` set, when the content could not be written; then
  // the path is as it was (but for a FIFO, a device or a linked file,
  // which are written where they are).
  bool write(const std::string& content, std::string& error) const;

  const std::string& path() const noexcept { return path_; }

private:
  enum class Kind { fresh, replace, in_place, stream };
  OutputFile() = default;
  bool write_atomically(const std::string& content, std::string& error) const;
  bool write_straight(const std::string& content, int flags, std::string& error) const;
  std::string failed(int err) const;

  std::string option_;
  std::string path_;   // as given
  std::string target_; // with symbolic links followed
  Kind kind_ = Kind::fresh;
  mode_t mode_ = 0666; // of the file replaced (or 0666 less the umask)
  uid_t uid_ = 0;
  gid_t gid_ = 0;
};

} // namespace asyncdemo
