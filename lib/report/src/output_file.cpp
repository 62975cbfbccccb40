#include "asyncdemo/report/output_file.hpp"

#include "asyncdemo/process/signals.hpp"
#include "asyncdemo/text/quote.hpp"

#include <fmt/format.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

namespace asyncdemo {

namespace {

namespace fs = std::filesystem;

// The path with every symbolic link followed, even where the last target
// does not exist yet (then that is where the file will be made).
std::optional<std::string> follow_links(const std::string& path, int& err) {
  std::string p = path;
  for (int hops = 0; hops < 40; ++hops) {
    struct stat st {};
    if (::lstat(p.c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) return p;
    std::string target(static_cast<std::size_t>(st.st_size > 0 ? st.st_size : 4096), '\0');
    const auto n = ::readlink(p.c_str(), target.data(), target.size());
    if (n < 0) {
      err = errno;
      return std::nullopt;
    }
    target.resize(static_cast<std::size_t>(n));
    p = fs::path(target).is_absolute()
            ? target
            : (fs::path(p).parent_path() / target).lexically_normal().string();
  }
  err = ELOOP;
  return std::nullopt;
}

std::string directory_of(const std::string& path) {
  const auto dir = fs::path(path).parent_path();
  return dir.empty() ? std::string(".") : dir.string();
}

mode_t default_mode() {
  const mode_t mask = ::umask(0);
  ::umask(mask);
  return 0666 & ~mask;
}

// Whether a file can be made in dir: made and removed at once.
int probe_directory(const std::string& dir) {
  std::string probe = dir + "/.asyncdemo-probe.XXXXXX";
  const int fd = ::mkstemp(probe.data());
  if (fd < 0) return errno;
  ::close(fd);
  ::unlink(probe.c_str());
  return 0;
}

bool write_all(int fd, const std::string& content) {
  const char* data = content.data();
  std::size_t left = content.size();
  while (left > 0) {
    const auto n = ::write(fd, data, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (n == 0) errno = EIO;
      return false;
    }
    data += n;
    left -= static_cast<std::size_t>(n);
  }
  return true;
}

} // namespace

std::optional<OutputFile> OutputFile::prepare(std::string option, const std::string& path,
                                              std::string& error, std::string_view example) {
  auto cannot = [&](int err) {
    error = fmt::format("{}: cannot write {}: {}; give a path in a writable directory", option,
                        quote(path), std::strerror(err));
    return std::nullopt;
  };
  if (path.empty()) {
    error = fmt::format("{} needs a file name, e.g. {}={}", option, option, example);
    return std::nullopt;
  }
  OutputFile f;
  f.option_ = option;
  f.path_ = path;
  int err = 0;
  const auto target = follow_links(path, err);
  if (!target) return cannot(err);
  f.target_ = *target;

  struct stat st {};
  if (::stat(f.target_.c_str(), &st) != 0) {
    if (errno != ENOENT) return cannot(errno);
    // A new file: its directory must take one.
    if (const int e = probe_directory(directory_of(f.target_)); e != 0) return cannot(e);
    f.kind_ = Kind::fresh;
    f.mode_ = default_mode();
    return f;
  }
  if (S_ISDIR(st.st_mode)) {
    error = fmt::format("{}: {} is a directory; give a file's name, e.g. {}=DIR/{}", f.option_,
                        quote(path), f.option_, example);
    return std::nullopt;
  }
  if (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode)) {
    if (::access(f.target_.c_str(), W_OK) != 0) return cannot(errno);
    f.kind_ = Kind::stream;
    return f;
  }
  if (!S_ISREG(st.st_mode)) {
    error = fmt::format("{}: {} is not a regular file, a FIFO or a character device; give a file "
                        "name, e.g. {}={}",
                        f.option_, quote(path), f.option_, example);
    return std::nullopt;
  }
  if (::access(f.target_.c_str(), W_OK) != 0) return cannot(errno);
  f.mode_ = st.st_mode & 07777;
  f.uid_ = st.st_uid;
  f.gid_ = st.st_gid;
  // A renamed file would drop its other names, and a directory that takes
  // no new file leaves only the file itself: both are rewritten in place.
  f.kind_ = st.st_nlink > 1 || probe_directory(directory_of(f.target_)) != 0 ? Kind::in_place
                                                                             : Kind::replace;
  return f;
}

std::string OutputFile::failed(int err) const {
  return fmt::format("cannot write {} {}: {}", option_, quote(path_), std::strerror(err));
}

bool OutputFile::write(const std::string& content, std::string& error) const {
  switch (kind_) {
  case Kind::fresh:
  case Kind::replace:
    return write_atomically(content, error);
  case Kind::in_place:
    return write_straight(content, O_TRUNC, error);
  case Kind::stream:
    return write_straight(content, 0, error);
  }
  return false;
}

bool OutputFile::write_straight(const std::string& content, int flags, std::string& error) const {
  const int fd = ::open(target_.c_str(), O_WRONLY | O_CLOEXEC | flags);
  if (fd < 0) {
    error = failed(errno);
    return false;
  }
  const bool ok = write_all(fd, content);
  const int err = errno;
  if (::close(fd) != 0 && ok) {
    error = failed(errno);
    return false;
  }
  if (!ok) error = failed(err);
  return ok;
}

bool OutputFile::write_atomically(const std::string& content, std::string& error) const {
  // Beside the target, so that the rename stays on one file system.
  const auto name = fs::path(target_).filename().string();
  std::string temp = directory_of(target_) + "/." + name + ".XXXXXX";
  const int fd = ::mkstemp(temp.data());
  if (fd < 0) {
    error = failed(errno);
    return false;
  }
  const signals::TempFileGuard guard(temp.c_str()); // removed even if we must stop at once
  bool ok = write_all(fd, content);
  int err = errno;
  if (ok) {
    // mkstemp makes 0600: give it the mode (and owner) of what it replaces.
    ::fchmod(fd, mode_);
    if (kind_ == Kind::replace && ::geteuid() == 0 && ::fchown(fd, uid_, gid_) != 0) {
      // Not ours to insist on: the content is what was asked for.
    }
  }
  if (::close(fd) != 0 && ok) {
    ok = false;
    err = errno;
  }
  if (ok && std::rename(temp.c_str(), target_.c_str()) != 0) {
    ok = false;
    err = errno;
  }
  if (!ok) {
    ::unlink(temp.c_str());
    error = failed(err);
  }
  return ok;
}

} // namespace asyncdemo
