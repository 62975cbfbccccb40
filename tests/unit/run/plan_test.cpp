// The run plan, without the binary: every value is checked, every
// combination either works or is refused with one line, and nothing given is
// silently ignored.
#include "asyncdemo/run/plan.hpp"
#include "asyncdemo/teach/scenario.hpp"
#include "asyncdemo/text/quote.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <variant>

using namespace asyncdemo;

namespace {

const Scenario& scenario(const char* name) {
  const auto* s = Registry::instance().find(name);
  REQUIRE(s != nullptr);
  return *s;
}

Environment pipe_env() {
  Environment env; // stdout is not a terminal, 80 columns
  return env;
}

// The plan, or the refusal's text.
std::variant<RunPlan, PlanError> plan(const char* name, RawOptions raw,
                                      Environment env = pipe_env()) {
  return make_plan(scenario(name), raw, env);
}

std::string refusal(const char* name, RawOptions raw) {
  const auto p = plan(name, std::move(raw));
  if (const auto* e = std::get_if<PlanError>(&p)) return e->message;
  return "(accepted)";
}

} // namespace

TEST_CASE("plan: the defaults are the scenario's and the tool's") {
  const auto p = std::get<RunPlan>(plan("breakfast", {}));
  CHECK(p.modes == std::vector<Mode>{Mode::gather});
  CHECK(p.clock == ClockKind::real);
  CHECK(p.speed == 1.0);
  CHECK(p.format == Format::text);
  CHECK(p.verbosity == Verbosity::normal);
  CHECK(p.runs == 1);
  CHECK_FALSE(p.style.color); // not a terminal
  CHECK_FALSE(p.trace.has_value());
  CHECK(p.live());
  CHECK_FALSE(p.comparison());
  const auto worker = std::get<RunPlan>(plan("worker", {}));
  CHECK(worker.modes == std::vector<Mode>{Mode::await_});
}

TEST_CASE("plan: --mode=all is every mode the scenario supports, and compares them") {
  RawOptions raw;
  raw.mode = "all";
  const auto p = std::get<RunPlan>(plan("worker", raw));
  CHECK(p.modes == std::vector<Mode>{Mode::sync, Mode::await_});
  CHECK(p.comparison());
  raw.mode = "create-task";
  CHECK(std::get<RunPlan>(plan("breakfast", raw)).modes == std::vector<Mode>{Mode::create_task});
}

TEST_CASE("plan: colour follows the terminal, NO_COLOR and TERM=dumb, unless told") {
  Environment tty;
  tty.stdout_is_terminal = true;
  CHECK(std::get<RunPlan>(plan("breakfast", {}, tty)).style.color);
  auto no_color = tty;
  no_color.no_color = true;
  CHECK_FALSE(std::get<RunPlan>(plan("breakfast", {}, no_color)).style.color);
  auto dumb = tty;
  dumb.dumb_terminal = true;
  CHECK_FALSE(std::get<RunPlan>(plan("breakfast", {}, dumb)).style.color);
  RawOptions always;
  always.color = "always";
  CHECK(std::get<RunPlan>(plan("breakfast", always)).style.color);
}

TEST_CASE("plan: each wrong value is one line that says what would be right") {
  auto with = [](auto field, const char* value) {
    RawOptions raw;
    raw.*field = value;
    return refusal("breakfast", raw);
  };
  CHECK(with(&RawOptions::mode, "foo").find("--mode: 'foo' is not a mode") == 0);
  CHECK(with(&RawOptions::mode, "gathr").find("did you mean 'gather'?") != std::string::npos);
  CHECK(with(&RawOptions::clock, "wall") == "--clock: 'wall' is not a clock; use real or virtual");
  CHECK(with(&RawOptions::speed, "0").find("--speed: '0' is not a number from 0.001 to 1000") == 0);
  CHECK(with(&RawOptions::speed, "nan").find("is not a number") != std::string::npos);
  CHECK(with(&RawOptions::workers, "0")
            .find("--workers: '0' is not a whole number from 1 to "
                  "1024") == 0);
  CHECK(with(&RawOptions::workers, "1025").find("is not a whole number") != std::string::npos);
  CHECK(with(&RawOptions::workers, "2.5").find("is not a whole number") != std::string::npos);
  CHECK(with(&RawOptions::color, "sometimes").find("use auto, always or never") !=
        std::string::npos);
  CHECK(with(&RawOptions::format, "xml") ==
        "--format: 'xml' is not a format; use text, json, jsonl, csv, markdown or lines");
  CHECK(with(&RawOptions::runs, "0").find("--runs: '0' is not a whole number from 1 to") == 0);
  CHECK(with(&RawOptions::trace, "") == "--trace needs a file name, e.g. --trace=trace.json");
  RawOptions worker;
  worker.mode = "gather";
  CHECK(refusal("worker", worker).find("worker does not support --mode=gather") == 0);
}

TEST_CASE("plan: what is echoed is quoted, escaped and cut") {
  RawOptions raw;
  raw.clock = "a\nb\x1b[31m";
  const auto line = refusal("breakfast", raw);
  CHECK(line.find('\n') == std::string::npos);
  CHECK(line.find('\x1b') == std::string::npos);
  CHECK(line.find("'a\\nb\\x1b[31m'") != std::string::npos);
  raw.clock = std::string(100000, 'x');
  CHECK(refusal("breakfast", raw).size() < 200);
}

TEST_CASE("plan: no option is silently ignored") {
  auto refused = [](RawOptions raw, const char* expected) {
    const auto line = refusal("breakfast", std::move(raw));
    CAPTURE(line);
    CHECK(line.find(expected) != std::string::npos);
  };
  RawOptions r;
  r.clock = "virtual";
  r.speed = "5";
  refused(r, "--speed scales the real clock");
  r = {};
  r.python = true;
  r.format = "json";
  refused(r, "--python prints the program and runs nothing, so --format does not apply");
  r = {};
  r.format = "csv";
  r.quiet = true;
  refused(r, "-q keeps only the summary line of the text output");
  r = {};
  r.format = "json";
  r.verbose = true;
  refused(r, "-v adds the loop's view to the text output");
  r = {};
  r.runs = "3";
  r.clock = "virtual";
  refused(r, "drop --clock=virtual");
  r = {};
  r.runs = "3";
  r.verbose = true;
  refused(r, "-v shows the loop live");
  r = {};
  r.runs = "3";
  r.trace = "t.json";
  refused(r, "--trace records one run of each mode");
  r = {};
  r.quiet = true;
  r.verbose = true;
  refused(r, "give one of them");
  r = {};
  r.timeline = true;
  r.format = "json";
  refused(r, "--timeline draws a chart for people");
  r = {};
  r.color = "always";
  r.format = "jsonl";
  refused(r, "--color colours the text output");
  r = {};
  r.python = true;
  r.mode = "all";
  refused(r, "--python prints one mode's program; add --mode=gather");

  // And what goes together, works.
  RawOptions ok;
  ok.clock = "virtual";
  ok.format = "json";
  ok.trace = "t.json";
  ok.mode = "all";
  CHECK(std::holds_alternative<RunPlan>(plan("breakfast", ok)));
  RawOptions runs;
  runs.runs = "3";
  runs.speed = "100";
  runs.quiet = true;
  runs.format = "text";
  CHECK(std::holds_alternative<RunPlan>(plan("breakfast", runs)));
}

TEST_CASE("plan: scenario parameters are checked, as valid UTF-8 first") {
  RawOptions raw;
  raw.params["texts"] = "A,\xff";
  CHECK(refusal("delayed-print", raw) ==
        "--texts: 'A,\\xff' is not valid UTF-8 text; give the value in UTF-8");
  raw.params["texts"] = "First,,Second";
  CHECK(refusal("delayed-print", raw).find("--texts: 'First,,Second' has an empty text") == 0);
  raw.params["texts"] = "A,B";
  raw.params["times"] = "2";
  const auto p = std::get<RunPlan>(plan("delayed-print", raw));
  CHECK(p.params.get("texts") == "A,B");
  CHECK(p.params.get("times") == "2");
  CHECK(p.params.get("delay") == "2"); // the default
  RawOptions unknown;
  unknown.params["nope"] = "1";
  CHECK(refusal("breakfast", unknown) == "breakfast has no option --nope");
}

TEST_CASE("plan: a light scenario refuses the per-task charts") {
  RawOptions raw;
  raw.timeline = true;
  CHECK(refusal("swarm", raw).find("--timeline: swarm does not record its tasks") == 0);
  raw = {};
  raw.trace = "x.json";
  CHECK(refusal("swarm", raw).find("--trace: swarm does not record its tasks") == 0);
}

TEST_CASE("plan: --mode=all skips a mode the scenario refuses, with its reason; by name it is "
          "refused") {
  Scenario s;
  s.name = "picky";
  s.modes = {Mode::sync, Mode::gather, Mode::as_completed};
  s.check = [](Mode m, const Params&) -> std::string {
    return m == Mode::as_completed ? "--mode=as_completed: not on this machine" : "";
  };
  RawOptions raw;
  raw.mode = "all";
  const auto p = std::get<RunPlan>(make_plan(s, raw, pipe_env()));
  CHECK(p.modes == std::vector<Mode>{Mode::sync, Mode::gather});
  REQUIRE(p.skipped.size() == 1);
  CHECK(p.skipped[0].mode == Mode::as_completed);
  CHECK(p.skipped[0].why == "--mode=as_completed: not on this machine");
  raw.mode = "as_completed";
  const auto alone = make_plan(s, raw, pipe_env());
  REQUIRE(std::holds_alternative<PlanError>(alone));
  CHECK(std::get<PlanError>(alone).message == "--mode=as_completed: not on this machine");
  // A refusal of every mode is a refusal of the command line.
  s.check = [](Mode, const Params&) -> std::string { return "--delays is for --variant=x"; };
  raw.mode = "all";
  const auto none = make_plan(s, raw, pipe_env());
  REQUIRE(std::holds_alternative<PlanError>(none));
  CHECK(std::get<PlanError>(none).message == "--delays is for --variant=x");
}

TEST_CASE("plan: exports, --expect and --min-speedup: their values and combinations") {
  RawOptions raw;
  raw.export_json = "a.json";
  raw.export_markdown = "a.md";
  raw.export_csv = "a.csv";
  raw.expect = "lines.txt";
  const auto p = std::get<RunPlan>(plan("breakfast", raw));
  CHECK(p.export_json == "a.json");
  CHECK(p.export_markdown == "a.md");
  CHECK(p.export_csv == "a.csv");
  CHECK(p.expect == "lines.txt");

  raw = {};
  raw.export_json = "";
  CHECK(refusal("breakfast", raw) ==
        "--export-json needs a file name, e.g. --export-json=runs.json");
  raw.export_json = "same.out";
  raw.trace = "same.out";
  CHECK(refusal("breakfast", raw) ==
        "--trace and --export-json name the same file, 'same.out'; give each its own");
  raw = {};
  raw.expect = "x\x1b[31m";
  CHECK(refusal("breakfast", raw).find("--expect: 'x\\x1b[31m' has a control") == 0);
  raw.expect = "lines.txt";
  raw.mode = "all";
  CHECK(refusal("breakfast", raw).find("--expect checks the lines of one mode") == 0);
  raw.mode.reset();
  raw.python = true;
  CHECK(refusal("breakfast", raw) == "--python prints the program and runs nothing, so --expect "
                                     "does not apply; drop one of them");

  raw = {};
  raw.mode = "all";
  for (const char* bad : {"0", "-1", "nan", "inf", "2x", "1e10", ""}) {
    raw.min_speedup = bad;
    CHECK(refusal("breakfast", raw).find("--min-speedup: ") == 0);
  }
  raw.min_speedup = "1.5";
  CHECK(std::get<RunPlan>(plan("breakfast", raw)).min_speedup == 1.5);
  CHECK(std::get<RunPlan>(plan("swarm", raw)).min_speedup == 1.5); // its sync equivalent
  raw.mode.reset();
  CHECK(refusal("create-task", raw) == "--min-speedup compares with sync, and create-task has no "
                                       "sync mode to compare with; drop --min-speedup");
  raw.mode = "sync";
  CHECK(refusal("breakfast", raw).find("--mode=sync is sync itself") != std::string::npos);
  raw.mode = "gather"; // one mode: against the sync model
  CHECK(std::holds_alternative<RunPlan>(plan("breakfast", raw)));
}

TEST_CASE("plan: a progress bar for --runs, on stderr's terminal only, never over jsonl's lines") {
  RawOptions runs;
  runs.runs = "3";
  Environment tty;
  tty.stderr_is_terminal = true;
  CHECK(std::get<RunPlan>(plan("breakfast", runs, tty)).progress);
  CHECK_FALSE(std::get<RunPlan>(plan("breakfast", runs)).progress);    // stderr in a pipe
  CHECK_FALSE(std::get<RunPlan>(plan("breakfast", {}, tty)).progress); // one run: its lines show
  auto jsonl = runs;
  jsonl.format = "jsonl";
  CHECK(std::get<RunPlan>(plan("breakfast", jsonl, tty)).progress); // into a pipe
  tty.stdout_is_terminal = true;
  CHECK_FALSE(std::get<RunPlan>(plan("breakfast", jsonl, tty)).progress); // onto the terminal
  jsonl.format = "json";
  CHECK(std::get<RunPlan>(plan("breakfast", jsonl, tty)).progress); // printed at the end
}

TEST_CASE("plan: --step, --html and --svg, and what goes with them") {
  RawOptions raw;
  raw.step = true;
  raw.clock = "virtual";
  auto p = std::get<RunPlan>(plan("pitfalls", raw));
  CHECK(p.step);
  CHECK(p.snapshots()); // only a view pays for them
  CHECK_FALSE(std::get<RunPlan>(plan("breakfast", {})).snapshots());

  RawOptions files;
  files.html = "b.html";
  files.svg = "b.svg";
  files.mode = "all"; // every mode on one page, one image, on the real clock too
  p = std::get<RunPlan>(plan("breakfast", files));
  CHECK(p.html == "b.html");
  CHECK(p.svg == "b.svg");
  CHECK(p.snapshots());
  RawOptions svg_only;
  svg_only.svg = "b.svg";
  CHECK_FALSE(std::get<RunPlan>(plan("breakfast", svg_only)).snapshots()); // spans are enough

  // Views go with the timeline, the trace, colour, a format on stdout.
  raw.timeline = true;
  raw.trace = "t.json";
  raw.html = "t.html";
  raw.color = "never";
  CHECK(std::holds_alternative<RunPlan>(plan("breakfast", raw)));
  files.format = "json";
  files.quiet = false;
  CHECK(std::holds_alternative<RunPlan>(plan("breakfast", files)));
}

TEST_CASE("plan: the views take the virtual clock when no --clock is given, and say so") {
  RawOptions raw;
  raw.step = true;
  auto p = std::get<RunPlan>(plan("breakfast", raw));
  CHECK(p.clock == ClockKind::virtual_time);
  CHECK(p.notes == std::vector<std::string>{"--step runs on the virtual clock (exact and "
                                            "instant)"});
  raw = {};
  raw.html = "b.html";
  p = std::get<RunPlan>(plan("breakfast", raw));
  CHECK(p.clock == ClockKind::virtual_time);
  CHECK(p.notes == std::vector<std::string>{"--html runs on the virtual clock (exact and "
                                            "instant); add --clock=real to time it on this "
                                            "machine"});
  raw = {};
  raw.svg = "b.svg";
  raw.mode = "all";
  p = std::get<RunPlan>(plan("breakfast", raw));
  CHECK(p.clock == ClockKind::virtual_time);
  REQUIRE(p.notes.size() == 1);
  CHECK(p.notes[0].starts_with("--svg runs on the virtual clock"));

  // Told: no note, the clock given.
  raw.clock = "real";
  p = std::get<RunPlan>(plan("breakfast", raw));
  CHECK(p.clock == ClockKind::real);
  CHECK(p.notes.empty());
  raw.clock = "virtual";
  CHECK(std::get<RunPlan>(plan("breakfast", raw)).notes.empty());
  // --speed scales the real clock: asking for it is asking for the real clock.
  raw.clock = {};
  raw.speed = "10";
  p = std::get<RunPlan>(plan("breakfast", raw));
  CHECK(p.clock == ClockKind::real);
  CHECK(p.notes.empty());
  // Without a view, the real clock stays the default, unannounced.
  p = std::get<RunPlan>(plan("breakfast", {}));
  CHECK(p.clock == ClockKind::real);
  CHECK(p.notes.empty());

  // Dim only on a terminal that takes colour.
  raw = {};
  raw.step = true;
  Environment terminal;
  terminal.stderr_is_terminal = true;
  CHECK(std::get<RunPlan>(plan("breakfast", raw, terminal)).dim_notes);
  CHECK_FALSE(std::get<RunPlan>(plan("breakfast", raw)).dim_notes);
  terminal.no_color = true;
  CHECK_FALSE(std::get<RunPlan>(plan("breakfast", raw, terminal)).dim_notes);
}

TEST_CASE("plan: every view refuses what makes no sense with it, in one line") {
  auto refused = [](const char* name, RawOptions raw, const std::string& expected) {
    const auto line = refusal(name, std::move(raw));
    CAPTURE(line);
    CHECK(line == expected);
  };
  RawOptions r;
  r.step = true;
  r.clock = "real";
  refused("pitfalls", r,
          "--step replays the run on the virtual clock, where it is exact and can go back; drop "
          "--clock=real");
  r.clock = {};
  r.speed = "2";
  refused("pitfalls", r,
          "--step replays the run on the virtual clock, and --speed scales the real clock; drop "
          "--speed");
  r.speed = {};
  r.runs = "3";
  // About --step first: dropping --runs alone would not help.
  refused("breakfast", r,
          "--step walks through one run, and --runs=3 repeats runs to measure them; drop one of "
          "them");
  r = {};
  r.step = true;
  r.clock = "virtual";
  r.mode = "all";
  refused("breakfast", r,
          "--step walks through one run, and --mode=all makes 5, one a mode; choose a mode, "
          "e.g. --mode=gather, or replay them all with --html=FILE");
  r.mode = {};
  r.format = "jsonl";
  refused("breakfast", r,
          "--step shows the loop in the terminal, and --format=jsonl is for programs; drop one "
          "of them");
  r.format = {};
  r.quiet = true;
  refused("breakfast", r,
          "--step shows every iteration, and -q only the summary line; drop one of them");
  r.quiet = false;
  r.verbose = true;
  refused("breakfast", r,
          "--step shows what every task did at each iteration already, and -v would print it "
          "again; drop -v");
  r = {};
  r.html = "x.html";
  r.runs = "2";
  refused("breakfast", r,
          "--html shows one run of each mode, and --runs=2 repeats them to measure them; drop "
          "one of them");
  r = {};
  r.svg = "x.svg";
  r.runs = "2";
  refused("breakfast", r,
          "--svg shows one run of each mode, and --runs=2 repeats them to measure them; drop one "
          "of them");
  r = {};
  r.html = "swarm.html";
  refused("swarm", r,
          "--html: swarm does not record its tasks one by one (there are too many to show); use "
          "it with another scenario");
  r = {};
  r.svg = "s.svg";
  refused("swarm", r,
          "--svg: swarm does not record its tasks one by one (there are too many to show); use "
          "it with another scenario");
  r = {};
  r.step = true;
  r.clock = "virtual";
  refused("swarm", r,
          "--step: swarm does not record its tasks one by one (there are too many to show); use "
          "it with another scenario");
  r = {};
  r.html = "same";
  r.svg = "same";
  refused("breakfast", r, "--html and --svg name the same file, 'same'; give each its own");
  r = {};
  r.trace = "same";
  r.html = "same";
  refused("breakfast", r, "--trace and --html name the same file, 'same'; give each its own");
  r.html = "./same"; // two names for one file
  refused("breakfast", r, "--trace and --html name the same file, 'same'; give each its own");
  r.html = "same.html";
  r.svg = "sub/../same.html";
  refused("breakfast", r, "--html and --svg name the same file, 'same.html'; give each its own");
  r = {};
  r.html = "";
  refused("breakfast", r, "--html needs a file name, e.g. --html=replay.html");
  r = {};
  r.svg = "a\x1b[31m.svg";
  refused("breakfast", r,
          "--svg: 'a\\x1b[31m.svg' has a control or invisible character, or bytes that are not "
          "UTF-8; give a plain file name, e.g. --svg=timeline.svg");
  for (const auto* view : {"--step", "--html", "--svg"}) {
    r = {};
    r.python = true;
    r.step = std::string_view(view) == "--step";
    if (std::string_view(view) == "--html") r.html = "x.html";
    if (std::string_view(view) == "--svg") r.svg = "x.svg";
    refused("breakfast", r,
            fmt::format("--python prints the program and runs nothing, so {} does not apply; "
                        "drop one of them",
                        view));
  }
}

TEST_CASE("plan: --step, which can be quit half way, refuses the assertions") {
  RawOptions raw;
  raw.step = true;
  raw.clock = "virtual";
  raw.min_speedup = "1.2";
  CHECK(refusal("breakfast", raw) ==
        "--step walks through a run for people, and --min-speedup checks a run for scripts "
        "(exit 3); drop one of them");
  raw.min_speedup.reset();
  raw.expect = "lines.txt";
  CHECK(refusal("breakfast", raw) ==
        "--step walks through a run for people, and --expect checks a run for scripts (exit 3); "
        "drop one of them");
  raw.expect.reset();
  raw.export_json = "run.json"; // a file: written whether the walk ends or is quit
  CHECK(std::holds_alternative<RunPlan>(plan("breakfast", raw)));
}

// ---------------------------------------------------------------------------
// Nothing a run reads is written over, and no two outputs share a file:
// files are told apart by what the names lead to (device and inode), not by
// how they are spelt.

namespace {

struct TempDir {
  std::filesystem::path path;
  TempDir() {
    std::string t = (std::filesystem::temp_directory_path() / "asyncdemo-plan.XXXXXX").string();
    REQUIRE(::mkdtemp(t.data()) != nullptr);
    path = t;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  std::string operator/(const char* name) const { return (path / name).string(); }
};

void touch(const std::string& path) {
  std::ofstream(path) << "x\n";
}

} // namespace

TEST_CASE("plan: an output may not write over the scenario file or --expect's, by any name") {
  TempDir dir;
  const auto file = dir / "f.toml";
  touch(file);
  Scenario own = scenario("breakfast"); // as if run from a user's file
  own.user_file = true;
  own.file = file;
  const auto refused_own = [&](RawOptions raw) {
    const auto p = make_plan(own, raw, pipe_env());
    const auto* e = std::get_if<PlanError>(&p);
    return e ? e->message : std::string("(accepted)");
  };
  std::filesystem::create_symlink(file, dir / "link.toml");
  std::filesystem::create_hard_link(file, dir / "hard.toml");
  const auto here = std::filesystem::current_path();
  std::filesystem::current_path(dir.path);
  for (const std::string& name : {file, std::string("./f.toml"), std::string("f.toml"),
                                  dir / "link.toml", dir / "hard.toml", dir / "sub/../f.toml"}) {
    CAPTURE(name);
    RawOptions raw;
    raw.trace = name;
    CHECK(refused_own(raw) == fmt::format("--trace={} would write over the scenario file, {}; "
                                          "give the output another name",
                                          quote(name), quote(file)));
    raw = {};
    raw.html = name;
    CHECK(refused_own(raw).starts_with("--html="));
  }
  std::filesystem::current_path(here);
  RawOptions fine;
  fine.trace = dir / "trace.json";
  CHECK(refused_own(fine) == "(accepted)");

  // --expect's lines, and an export that would replace them.
  const auto expected = dir / "e.txt";
  touch(expected);
  std::filesystem::create_symlink(expected, dir / "e-link.txt");
  for (const auto& name : {expected, dir / "e-link.txt"}) {
    RawOptions raw;
    raw.expect = expected;
    raw.export_json = name;
    CHECK(refusal("breakfast", raw) ==
          fmt::format("--export-json={} would write over --expect's file, {}; give the output "
                      "another name",
                      quote(name), quote(expected)));
  }
}

TEST_CASE("plan: two outputs into one file are refused, whatever names they go by") {
  TempDir dir;
  // A symbolic link to the --html file, before the file exists and after.
  std::filesystem::create_symlink(dir / "replay.html", dir / "picture.svg");
  RawOptions raw;
  raw.html = dir / "replay.html";
  raw.svg = dir / "picture.svg";
  const auto said = fmt::format("--html and --svg name the same file, {}; give each its own",
                                quote(dir / "replay.html"));
  CHECK(refusal("breakfast", raw) == said);
  touch(dir / "replay.html");
  CHECK(refusal("breakfast", raw) == said);
  // Another hard link of one file.
  std::filesystem::create_hard_link(dir / "replay.html", dir / "other.html");
  raw.svg = dir / "other.html";
  CHECK(refusal("breakfast", raw).starts_with("--html and --svg name the same file"));
  raw.svg = dir / "timeline.svg";
  CHECK(refusal("breakfast", raw) == "(accepted)");
}
