// What a program hands asyncdemo (a scenario file's prints, its tasks'
// names, their results and exceptions) is someone else's text. Through every
// output, in-process: the outputs for people (text, -v, --timeline,
// --mode=all, -q, markdown, csv, --html, --svg, the exports, stderr) show no
// control or invisible character raw, each escaped as repr escapes it; the
// data formats (json, jsonl, --trace, --export-json) carry the text exactly,
// as \u escapes; nothing written is ever invalid UTF-8, and no writer stops
// half way, whatever bytes a text holds.
#include "../test_support.hpp"
#include "asyncdemo/report/reporters.hpp"
#include "asyncdemo/run/session.hpp"
#include "asyncdemo/text/quote.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

using namespace asyncdemo;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

std::string utf8(char32_t cp) {
  std::string out;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
  return out;
}

// Every C0 control, DEL, every C1 control, the line and paragraph
// separators, the bidi embeddings, overrides and isolates, the BOM, a tag
// and a private-use character; the terminal's sequences (OSC 52 writes the
// clipboard, OSC 0 the title; clear screen; colour); and bytes that are not
// UTF-8 (a lone C1 byte, a cut sequence, a surrogate, past U+10FFFF).
std::vector<std::string> hostile_texts() {
  std::vector<std::string> out;
  std::vector<char32_t> invisible{0x7F, 0x2028, 0x2029, 0xFEFF, 0xE0001, 0xF0000};
  for (char32_t c = 0; c < 0x20; ++c)
    invisible.push_back(c);
  for (char32_t c = 0x80; c < 0xA0; ++c)
    invisible.push_back(c);
  for (char32_t c = 0x202A; c <= 0x202E; ++c)
    invisible.push_back(c);
  for (char32_t c = 0x2066; c <= 0x2069; ++c)
    invisible.push_back(c);
  for (auto c : invisible)
    out.push_back(fmt::format("U+{:04X} [{}]", static_cast<unsigned>(c), utf8(c)));
  out.emplace_back("osc52 \x1b]52;c;cm0gLXJmIH4=\x07 clipboard");
  out.emplace_back("osc0 \x1b]0;pwned\x1b\\ title");
  out.emplace_back("clear \x1b[2J\x1b[H screen");
  out.emplace_back("red \x1b[31mred\x1b[0m and \x9b"
                   "31m c1 csi");
  out.emplace_back("invalid \xff\xfe \xc3 \xed\xa0\x80 \xf4\x90\x80\x80 end");
  out.emplace_back(utf8(0x202E) + "txt.exe");
  return out;
}

bool valid(const std::string& s) {
  return valid_utf8(s);
}

// Runs in every mode of the plan: a task per hostile text, named by it, that
// prints it and returns it; one more fails with it as its message, and
// nothing awaits it ("Task exception was never retrieved").
Coro<std::string> says(std::string text) {
  print_line("printed " + text);
  co_await sleep(1ms);
  co_return "result " + text;
}

Coro<int> fails(std::string text) {
  co_await sleep(1ms);
  throw ValueError("raised " + text);
}

Coro<void> hostile_main(bool main_fails) {
  std::vector<Task<std::string>> tasks;
  for (const auto& text : hostile_texts())
    tasks.push_back(create_task(says(text), "task " + text));
  auto unwatched = create_task(fails(hostile_texts()[27]), "fails");
  co_await gather(tasks);
  co_await sleep(2ms);
  if (main_fails) throw ValueError("main raised " + hostile_texts().back() + "\nsecond line");
}

Scenario hostile_scenario(bool main_fails) {
  Scenario s;
  s.name = "hostile";
  s.seed = "test";
  s.summary = "every control and invisible character";
  s.modes = {Mode::sync, Mode::gather};
  s.default_mode = Mode::gather;
  s.main = [main_fails](const Context&) { return hostile_main(main_fails); };
  return s;
}

struct TempDir {
  fs::path path;
  TempDir() {
    std::string t = (fs::temp_directory_path() / "asyncdemo-untrusted.XXXXXX").string();
    REQUIRE(::mkdtemp(t.data()) != nullptr);
    path = t;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::string operator/(const char* name) const { return (path / name).string(); }
};

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string slurp(std::FILE* f) {
  std::fflush(f);
  std::rewind(f);
  std::string out;
  char buf[4096];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;)
    out.append(buf, n);
  return out;
}

// A session of `s` with these options, run in-process: its stdout and its
// stderr (what the session says, and what the live lines write there:
// Python's warnings).
struct Outputs {
  std::string out, err;
  SessionOutcome outcome{};
};

// The process's stderr, into a file while it lives.
class StderrCaptured {
public:
  explicit StderrCaptured(std::FILE* into) : saved_(::dup(STDERR_FILENO)) {
    std::fflush(stderr);
    ::dup2(::fileno(into), STDERR_FILENO);
  }
  ~StderrCaptured() {
    std::fflush(stderr);
    ::dup2(saved_, STDERR_FILENO);
    ::close(saved_);
  }
  StderrCaptured(const StderrCaptured&) = delete;
  StderrCaptured& operator=(const StderrCaptured&) = delete;

private:
  int saved_;
};

Outputs session(const Scenario& s, RawOptions raw) {
  const auto planned = make_plan(s, raw, Environment{});
  if (const auto* e = std::get_if<PlanError>(&planned)) FAIL(e->message);
  const auto& plan = std::get<RunPlan>(planned);
  std::FILE* out = std::tmpfile();
  std::FILE* err = std::tmpfile();
  REQUIRE(out != nullptr);
  REQUIRE(err != nullptr);
  auto reporters = make_reporters(plan, out);
  REQUIRE_MESSAGE(reporters.error.empty(), reporters.error);
  Outputs o;
  {
    const StderrCaptured captured(err);
    o.outcome = run_session(plan, reporters.pointers(), stderr);
    reporters.list.clear();
  }
  o.out = slurp(out);
  o.err = slurp(err);
  std::fclose(out);
  std::fclose(err);
  return o;
}

// For people: valid UTF-8, and each line prints as it reads.
void shows_nothing_raw(const std::string& what, const std::string& text) {
  CAPTURE(what);
  REQUIRE(valid(text));
  std::size_t from = 0;
  for (std::size_t line = 1;; ++line) {
    const auto nl = text.find('\n', from);
    const auto piece =
        std::string_view(text).substr(from, nl == std::string::npos ? nl : nl - from);
    if (!printable(piece)) FAIL_CHECK("line " << line << ": " << escape_like_repr(piece));
    if (nl == std::string::npos) break;
    from = nl + 1;
  }
}

// A page or an image (--html, --svg): its own markup may hold tabs and
// newlines; no other control or invisible character is there raw.
void page_shows_nothing_raw(const std::string& what, const std::string& text) {
  CAPTURE(what);
  REQUIRE(valid(text));
  for (std::size_t i = 0; i < text.size();) {
    char32_t cp = 0;
    const auto n = decode_utf8(text, i, cp);
    if (invisible(cp) && cp != '\n' && cp != '\t')
      FAIL_CHECK("U+" << fmt::format("{:04X}", static_cast<unsigned>(cp)) << " at byte " << i);
    i += n;
  }
}

// The prints a JSON document carries, exactly as the program printed them
// (a byte that is not UTF-8 aside: U+FFFD stands for it).
void carries_exactly(const std::string& what, const std::vector<std::string>& prints) {
  CAPTURE(what);
  std::vector<std::string> expected;
  for (const auto& text : hostile_texts())
    expected.push_back("printed " + text);
  REQUIRE(prints.size() == expected.size());
  for (std::size_t i = 0; i < prints.size(); ++i) {
    CAPTURE(escape_like_repr(expected[i]));
    if (valid(expected[i]))
      CHECK(prints[i] == expected[i]);
    else
      CHECK(prints[i].find("\xef\xbf\xbd") != std::string::npos); // U+FFFD
  }
}

std::vector<std::string> printed_in(const nlohmann::json& doc) {
  std::vector<std::string> out;
  for (const auto& e : doc.at("events"))
    if (e.at("kind") == "print") out.push_back(e.at("text"));
  return out;
}

} // namespace

TEST_CASE("untrusted text: every output for people escapes it, each data format carries it") {
  const auto s = hostile_scenario(false);
  TempDir dir;
  const std::vector<std::pair<std::string, std::function<void(RawOptions&)>>> people{
      {"text", [](RawOptions&) {}},
      {"-v", [](RawOptions& r) { r.verbose = true; }},
      {"--timeline", [](RawOptions& r) { r.timeline = true; }},
      {"--mode=all", [](RawOptions& r) { r.mode = "all"; }},
      {"--mode=all --timeline", [](RawOptions& r) { r.mode = "all", r.timeline = true; }},
      {"-q", [](RawOptions& r) { r.quiet = true; }},
      {"--format=markdown", [](RawOptions& r) { r.format = "markdown"; }},
      {"--format=csv", [](RawOptions& r) { r.format = "csv"; }},
      {"--mode=all --format=csv", [](RawOptions& r) { r.mode = "all", r.format = "csv"; }},
  };
  for (const auto& [what, given] : people) {
    RawOptions raw;
    raw.clock = "virtual";
    given(raw);
    const auto o = session(s, raw);
    CHECK(o.outcome == SessionOutcome::ok);
    shows_nothing_raw(what, o.out);
    shows_nothing_raw(what + " (stderr)", o.err);
    // The text is there, escaped as repr escapes it.
    if (what == "text" || what == "-v")
      CHECK(o.out.find("printed osc52 \\x1b]52;c;cm0gLXJmIH4=\\x07 clipboard") !=
            std::string::npos);
  }
  // The files: for people, and for programs.
  RawOptions files;
  files.clock = "virtual";
  files.mode = "all";
  files.html = dir / "replay.html";
  files.svg = dir / "timeline.svg";
  files.trace = dir / "trace.json";
  files.export_json = dir / "runs.json";
  files.export_markdown = dir / "runs.md";
  files.export_csv = dir / "runs.csv";
  const auto o = session(s, files);
  CHECK(o.outcome == SessionOutcome::ok);
  page_shows_nothing_raw("--html", slurp(dir / "replay.html"));
  page_shows_nothing_raw("--svg", slurp(dir / "timeline.svg"));
  shows_nothing_raw("--export-markdown", slurp(dir / "runs.md"));
  shows_nothing_raw("--export-csv", slurp(dir / "runs.csv"));
  for (const char* file : {"trace.json", "runs.json"})
    shows_nothing_raw(file, slurp(dir / file)); // \u escapes, even for C1 and bidi
  const auto exported = nlohmann::json::parse(slurp(dir / "runs.json"));
  for (const auto& run : exported.at("runs"))
    carries_exactly("--export-json", printed_in(run));
  std::vector<std::string> traced;
  const auto trace = nlohmann::json::parse(slurp(dir / "trace.json"));
  for (const auto& e : trace.at("traceEvents"))
    if (e.at("ph") == "i" && e.at("cat") == "print" && e.at("pid") == 2)
      traced.push_back(e.at("name"));
  carries_exactly("--trace", traced);

  // --format=json and jsonl: the text exactly, task names and results too.
  RawOptions raw;
  raw.clock = "virtual";
  raw.format = "json";
  const auto json = session(s, raw);
  shows_nothing_raw("--format=json", json.out);
  const auto doc = nlohmann::json::parse(json.out);
  carries_exactly("--format=json", printed_in(doc));
  const auto texts = hostile_texts();
  for (std::size_t i = 0; i < texts.size(); ++i) {
    if (!valid(texts[i])) continue;
    CHECK(doc.at("tasks")[i + 1].at("name") == "task " + texts[i]);
    CHECK(doc.at("tasks")[i + 1].at("result") == "result " + texts[i]);
  }
  raw.format = "jsonl";
  const auto jsonl = session(s, raw);
  shows_nothing_raw("--format=jsonl", jsonl.out);
  std::vector<std::string> lines;
  std::istringstream in(jsonl.out);
  for (std::string line; std::getline(in, line);) {
    const auto j = nlohmann::json::parse(line);
    if (j.at("type") == "event" && j.at("kind") == "print") lines.push_back(j.at("text"));
  }
  carries_exactly("--format=jsonl", lines);
}

TEST_CASE("untrusted text: a run that fails with it says so on one line per line of the error") {
  const auto s = hostile_scenario(true);
  for (const char* format : {"text", "json", "jsonl", "csv", "markdown"}) {
    RawOptions raw;
    raw.clock = "virtual";
    raw.format = format;
    const auto o = session(s, raw);
    CHECK(o.outcome == SessionOutcome::failed);
    shows_nothing_raw(std::string(format) + " (stderr)", o.err);
    shows_nothing_raw(format, o.out);
    // The message's own newline is escaped: the error is one line.
    CHECK(o.err.find("asyncdemo: hostile --mode=gather failed: ValueError: main raised \\u202etxt"
                     ".exe\\nsecond line\n") != std::string::npos);
  }
}

// ---------------------------------------------------------------------------
// What one run keeps is bounded: a program that prints without end (or
// steps without end) stops at the limit with one line, whatever the output,
// and keeps no more than the limit.

namespace {

Coro<void> prints_for_ever(std::size_t bytes) {
  const std::string line(bytes, 'x');
  for (;;) {
    print_line(line);
    co_await sleep(0s);
  }
}

Scenario endless(std::size_t bytes) {
  Scenario s;
  s.name = "endless";
  s.modes = {Mode::gather};
  s.default_mode = Mode::gather;
  s.main = [bytes](const Context&) { return prints_for_ever(bytes); };
  return s;
}

} // namespace

TEST_CASE("a run keeps at most max_printed_bytes_kept printed, and max_events_kept events") {
  struct Case {
    std::size_t line;
    const char* said;
  };
  // Long lines reach the bytes first; short ones, the events.
  for (const auto& [line, said] :
       {Case{4000, "failed: the run printed more than 16 MiB, the most asyncdemo keeps of one run; "
                   "stopped at 0.000 s"},
        Case{1, "failed: the run made more than 500000 events (prints, and each task's steps), the "
                "most asyncdemo keeps of one run; stopped at 0.000 s"}}) {
    CAPTURE(line);
    const auto s = endless(line);
    // (Every format for the few long lines; a million events are slow to
    // put in JSON under the sanitizers.)
    for (const char* format : {"text", "jsonl", "json"}) {
      if (line == 1 && std::string_view(format) != "text") continue;
      CAPTURE(format);
      RawOptions raw;
      raw.clock = "virtual";
      raw.format = format;
      const auto o = session(s, raw);
      CHECK(o.outcome == SessionOutcome::failed);
      CHECK(o.err == fmt::format("asyncdemo: endless --mode=gather {}\n", said));
      CHECK(o.out.size() < 4 * max_printed_bytes_kept + 400 * max_events_kept);
    }
  }
  // The recorder itself keeps no more.
  const auto s = endless(1);
  const auto r = model_run(s, {}, Mode::gather);
  CHECK(r.recorder.full());
  CHECK(r.recorder.events().size() == max_events_kept);
  REQUIRE(r.failure);
  CHECK_THROWS_AS(std::rethrow_exception(r.failure), RecordingLimit);
}
