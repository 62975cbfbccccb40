// OutputFile (--trace's file): checked before the run, written whole or not
// at all, and never at the expense of what the path names: a symbolic
// link, a FIFO, a device, a file's mode and its other hard links. All in a
// temporary directory: the tests run as root, and /dev/null is not ours.
#include "asyncdemo/report/output_file.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

using namespace asyncdemo;
namespace fs = std::filesystem;

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    std::string t = (fs::temp_directory_path() / "asyncdemo-output.XXXXXX").string();
    REQUIRE(::mkdtemp(t.data()) != nullptr);
    path = t;
  }
  ~TempDir() { fs::remove_all(path); }
  std::string operator/(const char* name) const { return (path / name).string(); }
  std::size_t entries() const {
    return static_cast<std::size_t>(
        std::distance(fs::directory_iterator(path), fs::directory_iterator()));
  }
};

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void write(const std::string& path, const std::string& text) {
  std::ofstream(path) << text;
}

mode_t mode_of(const std::string& path) {
  struct stat st {};
  REQUIRE(::lstat(path.c_str(), &st) == 0);
  return st.st_mode;
}

// Prepares and writes; returns the error ("" when it worked).
std::string put(const std::string& path, const std::string& content) {
  std::string error;
  auto f = OutputFile::prepare("--trace", path, error);
  if (!f) return error;
  if (!f->write(content, error)) return error;
  return {};
}

} // namespace

TEST_CASE("a new file: nothing on disk until it is written, then the whole of it") {
  TempDir dir;
  std::string error;
  auto f = OutputFile::prepare("--trace", dir / "t.json", error);
  REQUIRE(f.has_value());
  CHECK(dir.entries() == 0); // the check left nothing behind
  CHECK(f->write("{}\n", error));
  CHECK(read(dir / "t.json") == "{}\n");
  CHECK(dir.entries() == 1); // no temporary file beside it
  const mode_t mask = ::umask(0);
  ::umask(mask);
  CHECK((mode_of(dir / "t.json") & 0777) == (0666 & ~mask));
}

TEST_CASE("a regular file is replaced whole and keeps its mode") {
  TempDir dir;
  write(dir / "t.json", "old");
  ::chmod((dir / "t.json").c_str(), 0600);
  CHECK(put(dir / "t.json", "new") == "");
  CHECK(read(dir / "t.json") == "new");
  CHECK((mode_of(dir / "t.json") & 07777) == 0600);
  CHECK(dir.entries() == 1);
}

TEST_CASE("a symbolic link is followed: the target changes, the link stays a link") {
  TempDir dir;
  write(dir / "target.json", "old");
  fs::create_symlink("target.json", dir / "link.json");
  CHECK(put(dir / "link.json", "new") == "");
  CHECK(S_ISLNK(mode_of(dir / "link.json")));
  CHECK(read(dir / "target.json") == "new");
  // A dangling link: its target is made.
  fs::create_symlink("made.json", dir / "dangling.json");
  CHECK(put(dir / "dangling.json", "made") == "");
  CHECK(S_ISLNK(mode_of(dir / "dangling.json")));
  CHECK(read(dir / "made.json") == "made");
  // A loop of links is refused, not followed forever.
  fs::create_symlink("b.json", dir / "a.json");
  fs::create_symlink("a.json", dir / "b.json");
  CHECK(put(dir / "a.json", "x").find("Too many levels of symbolic links") != std::string::npos);
}

TEST_CASE("a file with another hard link is rewritten in place: both names see it") {
  TempDir dir;
  write(dir / "one.json", "old");
  fs::create_hard_link(dir / "one.json", dir / "two.json");
  CHECK(put(dir / "one.json", "new") == "");
  CHECK(read(dir / "two.json") == "new");
  CHECK(fs::hard_link_count(dir / "one.json") == 2);
}

TEST_CASE("a FIFO is written straight into, and stays a FIFO") {
  TempDir dir;
  const auto fifo = dir / "pipe";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  std::string got;
  std::thread reader([&] { got = read(fifo); });
  CHECK(put(fifo, "through the pipe") == "");
  reader.join();
  CHECK(got == "through the pipe");
  CHECK(S_ISFIFO(mode_of(fifo)));
  CHECK(dir.entries() == 1);
}

TEST_CASE("a character device is written straight into, and stays a device") {
  TempDir dir;
  const auto node = dir / "null";
  // The null device's own numbers, made here: the machine's /dev/null is not touched.
  if (::mknod(node.c_str(), S_IFCHR | 0666, makedev(1, 3)) != 0) {
    MESSAGE("cannot make a device node here (not root?): skipped");
    return;
  }
  CHECK(put(node, "into the void") == "");
  CHECK(S_ISCHR(mode_of(node)));
  CHECK(dir.entries() == 1);
}

TEST_CASE("what cannot be written is refused before anything runs") {
  TempDir dir;
  const auto missing = put(dir / "no/such/dir.json", "x");
  CHECK(missing.find("--trace: cannot write") != std::string::npos);
  CHECK(missing.find("No such file or directory") != std::string::npos);
  CHECK(put(dir.path.string(), "x").find("is a directory") != std::string::npos);
  CHECK(put("", "x") == "--trace needs a file name, e.g. --trace=trace.json");
  const auto socket_path = dir / "sock";
  // A socket is neither a file nor a stream we can open.
  const int s = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", socket_path.c_str());
  if (s >= 0 && ::bind(s, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0)
    CHECK(put(socket_path, "x").find("is not a regular file") != std::string::npos);
  if (s >= 0) ::close(s);
  CHECK(dir.entries() <= 1); // the socket, at most: nothing of ours
}
