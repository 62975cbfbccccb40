#include "asyncdemo/run/plan.hpp"

#include "asyncdemo/process/terminal.hpp"
#include "asyncdemo/run/runner.hpp"
#include "asyncdemo/text/parse.hpp"
#include "asyncdemo/text/quote.hpp"
#include "asyncdemo/text/suggest.hpp"

#include <fmt/format.h>

#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cstdlib>
#include <filesystem>
#include <limits>

namespace asyncdemo {

namespace {

struct Refusal {
  std::string message;
};

[[noreturn]] void refuse(std::string message) {
  throw Refusal{std::move(message)};
}

std::vector<std::string> mode_names(const Scenario& s) {
  std::vector<std::string> out;
  for (auto m : every_mode)
    out.emplace_back(to_string(m));
  for (const auto& own : s.own_modes)
    out.push_back(own.name);
  out.emplace_back("all");
  return out;
}

std::string did_you_mean(std::string_view typed, const std::vector<std::string>& known) {
  if (auto near = closest(typed, known)) return fmt::format(" (did you mean '{}'?)", *near);
  return {};
}

std::vector<Mode> modes_of(const Scenario& s, const std::string& text) {
  if (text == "all") return s.modes;
  const auto m = parse_mode(text);
  if (!m)
    refuse(fmt::format("--mode: {} is not a mode{}; use one of {}, all", quote(text),
                       did_you_mean(text, mode_names(s)), join(s.modes)));
  if (!s.supports(*m)) {
    if (s.why_not)
      if (auto why = s.why_not(*m); !why.empty()) refuse(why);
    refuse(fmt::format("{} does not support --mode={}; it supports {}, all", s.name, to_string(*m),
                       join(s.modes)));
  }
  return {*m};
}

ClockKind clock_of(const std::string& text) {
  if (text == "real") return ClockKind::real;
  if (text == "virtual") return ClockKind::virtual_time;
  refuse(fmt::format("--clock: {} is not a clock; use real or virtual", quote(text)));
}

double speed_of(const std::string& text) {
  const auto v = parse_number(text);
  if (!v || *v < min_speed || *v > max_speed)
    refuse(fmt::format("--speed: {} is not a number from {:g} to {:g}; use e.g. --speed=100 to "
                       "run 100× faster than real time, or --clock=virtual to run instantly",
                       quote(text), min_speed, max_speed));
  return *v;
}

std::size_t workers_of(const std::string& text) {
  const auto v = parse_whole<std::size_t>(text);
  if (!v || *v < 1 || *v > max_workers)
    refuse(fmt::format("--workers: {} is not a whole number from 1 to {}; e.g. --workers=8, the "
                       "size of CPython's default executor on a machine of 4 CPUs",
                       quote(text), max_workers));
  return *v;
}

bool color_of(const std::string& text, const Environment& env) {
  if (text == "always") return true;
  if (text == "never") return false;
  if (text != "auto")
    refuse(fmt::format("--color: {} is not a choice; use auto, always or never", quote(text)));
  return env.stdout_is_terminal && !env.no_color && !env.dumb_terminal;
}

std::uint64_t seed_of(const std::string& text) {
  const auto v = parse_whole<std::uint64_t>(text);
  if (!v)
    refuse(fmt::format("--seed: {} is not a whole number from 0 to {}; e.g. --seed=7", quote(text),
                       std::numeric_limits<std::uint64_t>::max()));
  return *v;
}

Format format_of(const std::string& text) {
  const auto f = parse_format(text);
  if (!f) refuse(fmt::format("--format: {} is not a format; use {}", quote(text), format_names));
  return *f;
}

int runs_of(const std::string& text) {
  const auto v = parse_whole<int>(text);
  if (!v || *v < 1 || *v > max_runs)
    refuse(fmt::format("--runs: {} is not a whole number from 1 to {}; e.g. --runs=10", quote(text),
                       max_runs));
  return *v;
}

// A file an output is written to, or read from: --trace, --html, --svg,
// --export-json, --expect.
std::string file_of(std::string_view option, std::string_view example, const std::string& text) {
  if (text.empty())
    refuse(fmt::format("{} needs a file name, e.g. {}={}", option, option, example));
  // A name that would show as something else (or mess up a terminal)
  // wherever it is echoed is surely a slip.
  if (!printable(text))
    refuse(fmt::format("{}: {} has a control or invisible character, or bytes that are not "
                       "UTF-8; give a plain file name, e.g. {}={}",
                       option, quote(text), option, example));
  return text;
}

// --title: one line of text of the user's, shown on a slide as it reads.
std::string title_of(const std::string& text) {
  if (text.empty())
    refuse("--title needs text, e.g. --title='Breakfast, made concurrently'; without --title the "
           "heading is the scenario's name and summary");
  if (!printable(text))
    refuse(fmt::format("--title: {} has a control or invisible character, or bytes that are not "
                       "UTF-8; give one line of plain text",
                       quote(text)));
  std::size_t chars = 0;
  for (char c : text)
    chars += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  if (chars > max_title_chars)
    refuse(fmt::format("--title: {} characters are more than a heading holds; give at most {}",
                       chars, max_title_chars));
  return text;
}

double scale_of(const std::string& text) {
  const auto v = parse_number(text);
  if (!v || *v < min_view_scale || *v > max_view_scale)
    refuse(fmt::format("--scale: {} is not a number from {:g} to {:g}; e.g. --scale=2 draws the "
                       "page and the image twice as large, for a projector",
                       quote(text), min_view_scale, max_view_scale));
  return *v;
}

double expect_tolerance_of(const std::string& text) {
  const auto v = parse_number(text);
  if (!v || *v < 0 || *v > max_expect_tolerance)
    refuse(fmt::format("--expect-tolerance: {} is not a number of seconds from 0 to {:g}; e.g. "
                       "--expect-tolerance=0.05: numbers in the lines may differ by 0.05",
                       quote(text), max_expect_tolerance));
  return *v;
}

double min_speedup_of(const std::string& text) {
  const auto v = parse_number(text);
  if (!v || *v <= 0 || *v > max_min_speedup)
    refuse(fmt::format("--min-speedup: {} is not a number above 0 (up to {:g}); e.g. "
                       "--min-speedup=1.5: the best mode must run 1.5 times faster than sync",
                       quote(text), max_min_speedup));
  return *v;
}

// What a path names, compared by what it is rather than how it is spelt
// (./f.toml, a symbolic link to it, another hard link): the device and
// inode of the file it leads to, every link followed; for a file not made
// yet, those of its directory and its name there; for a path whose
// directory cannot be looked at either, the path made absolute and normal.
struct FileId {
  dev_t dev = 0;
  ino_t ino = 0;
  std::string name; // in that directory, for a file not made yet; or the path
  bool operator==(const FileId&) const = default;
};

FileId file_id(const std::string& path) {
  namespace fs = std::filesystem;
  std::string p = path;
  for (int hops = 0; hops < 40; ++hops) { // the links followed, even to a target not made yet
    std::error_code ec;
    if (!fs::is_symlink(fs::symlink_status(p, ec))) break;
    const auto target = fs::read_symlink(p, ec);
    if (ec) break;
    p = target.is_absolute() ? target.string()
                             : (fs::path(p).parent_path() / target).lexically_normal().string();
  }
  struct stat st {};
  if (::stat(p.c_str(), &st) == 0) return {st.st_dev, st.st_ino, {}};
  const auto dir = fs::path(p).parent_path();
  if (::stat(dir.empty() ? "." : dir.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
    return {st.st_dev, st.st_ino, fs::path(p).filename().string()};
  // A directory that is not there (no file can be made in it): the nearest
  // one that is, of the path made absolute and normal, and the rest.
  std::error_code ec;
  auto absolute = fs::absolute(p, ec).lexically_normal();
  if (!ec && ::stat(absolute.c_str(), &st) == 0) return {st.st_dev, st.st_ino, {}};
  for (auto up = absolute.parent_path(); !ec; up = up.parent_path()) {
    if (::stat(up.c_str(), &st) == 0)
      return {st.st_dev, st.st_ino, absolute.lexically_relative(up).string()};
    if (up == up.root_path()) break;
  }
  return {0, 0, absolute.string()};
}

// Every file a run reads or writes is a file of its own: two outputs into
// one file would leave only the last, and an output into an input (the
// scenario file, --expect's lines) would replace it. Compared by what the
// names lead to, before anything runs.
void check_files_apart(const Scenario& s, const RunPlan& p) {
  struct Named {
    const std::optional<std::string>* path;
    std::string_view option;
  };
  const std::optional<std::string> scenario_file =
      s.user_file ? std::optional<std::string>(s.file) : std::nullopt;
  const std::array<Named, 2> inputs{
      {{&scenario_file, "the scenario file"}, {&p.expect, "--expect's file"}}};
  const std::array<Named, 6> outputs{{
      {&p.trace, "--trace"},
      {&p.html, "--html"},
      {&p.svg, "--svg"},
      {&p.export_json, "--export-json"},
      {&p.export_markdown, "--export-markdown"},
      {&p.export_csv, "--export-csv"},
  }};
  std::array<std::optional<FileId>, 2> input_ids;
  for (std::size_t i = 0; i < inputs.size(); ++i)
    if (*inputs[i].path) input_ids[i] = file_id(**inputs[i].path);
  std::array<std::optional<FileId>, 6> output_ids;
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    if (!*outputs[i].path) continue;
    const auto& path = **outputs[i].path;
    output_ids[i] = file_id(path);
    for (std::size_t j = 0; j < inputs.size(); ++j)
      if (input_ids[j] && (*input_ids[j] == *output_ids[i] || path == **inputs[j].path))
        refuse(fmt::format("{}={} would write over {}, {}; give the output another name",
                           outputs[i].option, quote(path), inputs[j].option,
                           quote(**inputs[j].path)));
    for (std::size_t j = 0; j < i; ++j)
      if (output_ids[j] && (*output_ids[j] == *output_ids[i] || path == **outputs[j].path))
        refuse(fmt::format("{} and {} name the same file, {}; give each its own", outputs[j].option,
                           outputs[i].option, quote(**outputs[j].path)));
  }
}

std::string trace_of(const std::string& text) {
  return file_of("--trace", "trace.json", text);
}

Params params_of(const Scenario& s, const RawOptions& raw) {
  for (const auto& [name, value] : raw.params)
    if (!s.param(name)) refuse(fmt::format("{} has no option --{}", s.name, name));
  Params params = s.default_params();
  for (const auto& p : s.params) {
    const auto it = raw.params.find(p.name);
    if (it == raw.params.end()) continue;
    const auto& value = it->second;
    // Everything a value becomes is printed somewhere, in every format.
    if (!valid_utf8(value))
      refuse(fmt::format("--{}: {} is not valid UTF-8 text; give the value in UTF-8", p.name,
                         quote(value)));
    if (p.check)
      if (auto why = p.check(value); !why.empty()) refuse(fmt::format("--{}: {}", p.name, why));
    params.set(p.name, value);
    params.mark_given(p.name);
  }
  return params;
}

// --python prints a program and runs nothing: options about a run would
// be ignored, so they are refused.
void check_python(const RawOptions& raw) {
  const std::array<std::pair<bool, std::string_view>, 21> run_options{{
      {raw.step, "--step"},
      {raw.workers.has_value(), "--workers"},
      {raw.html.has_value(), "--html"},
      {raw.svg.has_value(), "--svg"},
      {raw.title.has_value(), "--title"},
      {raw.scale.has_value(), "--scale"},
      {raw.clock.has_value(), "--clock"},
      {raw.speed.has_value(), "--speed"},
      {raw.color.has_value(), "--color"},
      {raw.format.has_value(), "--format"},
      {raw.runs.has_value(), "--runs"},
      {raw.trace.has_value(), "--trace"},
      {raw.export_json.has_value(), "--export-json"},
      {raw.export_markdown.has_value(), "--export-markdown"},
      {raw.export_csv.has_value(), "--export-csv"},
      {raw.expect.has_value(), "--expect"},
      {raw.expect_tolerance.has_value(), "--expect-tolerance"},
      {raw.min_speedup.has_value(), "--min-speedup"},
      {raw.timeline, "--timeline"},
      {raw.quiet, "-q"},
      {raw.verbose, "-v"},
  }};
  for (const auto& [given, name] : run_options)
    if (given)
      refuse(fmt::format("--python prints the program and runs nothing, so {} does not apply; "
                         "drop one of them",
                         name));
}

// The rules of the views of the loop (--step, --html, --svg). First, so that
// --step --runs=3 is told about --step before --runs is about the clock.
void check_views(const Scenario& s, const RawOptions& raw, const RunPlan& p) {
  const auto format = to_string(p.format);
  const char* view = p.step ? "--step" : p.html ? "--html" : p.svg ? "--svg" : nullptr;
  if (!view) return;
  if (s.light)
    refuse(fmt::format("{}: {} does not record its tasks one by one (there are too many to "
                       "show); use it with another scenario",
                       view, s.name));
  if (p.runs > 1)
    refuse(fmt::format("{} {}, and --runs={} repeats {} to measure them; drop one of them", view,
                       p.step ? "walks through one run" : "shows one run of each mode", p.runs,
                       p.step ? "runs" : "them"));
  if (!p.step) return;
  if (p.several())
    refuse(
        fmt::format("--step walks through one run, and --mode=all makes {}, one a mode; choose a "
                    "mode, e.g. --mode={}, or replay them all with --html=FILE",
                    p.modes.size(), to_string(s.default_mode)));
  if (p.format != Format::text)
    refuse(fmt::format("--step shows the loop in the terminal, and --format={} is for programs; "
                       "drop one of them",
                       format));
  if (raw.quiet)
    refuse("--step shows every iteration, and -q only the summary line; drop one of them");
  if (raw.verbose)
    refuse("--step shows what every task did at each iteration already, and -v would print it "
           "again; drop -v");
  if (p.clock == ClockKind::real)
    refuse("--step replays the run on the virtual clock, where it is exact and can go back; "
           "drop --clock=real");
  if (raw.speed)
    refuse("--step replays the run on the virtual clock, and --speed scales the real clock; "
           "drop --speed");
  // A walk-through can be quit half way (q), which leaves nothing to judge.
  if (p.expect || p.min_speedup)
    refuse(fmt::format("--step walks through a run for people, and {} checks a run for scripts "
                       "(exit 3); drop one of them",
                       p.expect ? "--expect" : "--min-speedup"));
}

// The rules between options, each of which alone is fine.
void check_combinations(const Scenario& s, const RawOptions& raw, const RunPlan& p) {
  check_views(s, raw, p);
  const auto format = to_string(p.format);
  if (raw.speed && p.clock == ClockKind::virtual_time)
    refuse("--speed scales the real clock, and --clock=virtual runs instantly; drop one of them");
  if (p.runs > 1 && p.clock == ClockKind::virtual_time)
    refuse(fmt::format("--runs={} repeats real-clock runs, and the virtual clock gives the same "
                       "exact time every run; drop --clock=virtual",
                       p.runs));
  if (raw.quiet && raw.verbose)
    refuse("-q (only the summary) and -v (every step of the loop) contradict each other; give one "
           "of them");
  if (raw.quiet && p.format != Format::text)
    refuse(fmt::format("-q keeps only the summary line of the text output, and --format={} has "
                       "none to keep; drop -q, or use --format=text",
                       format));
  if (raw.verbose && p.format != Format::text)
    refuse(fmt::format("-v adds the loop's view to the text output; --format={} {}; drop -v, or "
                       "use --format=text",
                       format,
                       p.format == Format::json || p.format == Format::jsonl
                           ? "carries every event already"
                       : p.format == Format::lines ? "is the program's printed lines alone"
                                                   : "is a table of tasks"));
  if (!p.html && !p.svg && (raw.title || raw.scale)) {
    const char* option = raw.title ? "--title" : "--scale";
    refuse(fmt::format("{} {} the --html page and the --svg image; add --html=FILE or "
                       "--svg=FILE, or drop {}",
                       option, raw.title ? "heads" : "sizes", option));
  }
  if (raw.verbose && !p.live())
    refuse("-v shows the loop live, and --runs measures runs without live lines; drop one of "
           "them");
  if (raw.color && p.format != Format::text)
    refuse(fmt::format("--color colours the text output, and --format={} has no colour; drop "
                       "--color",
                       format));
  if (p.timeline && p.format != Format::text)
    refuse(fmt::format("--timeline draws a chart for people, not for --format={}; use "
                       "--format=text, or --trace=FILE for a timeline in a file",
                       format));
  if (s.light && (p.timeline || p.trace))
    refuse(fmt::format("--{}: {} does not record its tasks one by one (there are too many to "
                       "draw); use it with another scenario",
                       p.timeline ? "timeline" : "trace", s.name));
  if (p.timeline && !p.live()) refuse("--timeline draws one run, not --runs; drop one of them");
  if (p.trace && !p.live())
    refuse("--trace records one run of each mode, and --runs repeats them; drop one of them");
  check_files_apart(s, p);
  if (p.format == Format::lines && p.several())
    refuse(fmt::format("--format=lines prints one mode's lines, and the order of the lines "
                       "differs from mode to mode; add --mode={}",
                       to_string(s.default_mode)));
  if (p.format == Format::lines && !p.live())
    refuse(fmt::format("--format=lines prints one run's lines, and --runs={} repeats it; drop "
                       "one of them",
                       p.runs));
  if (raw.expect_tolerance && !p.expect)
    refuse("--expect-tolerance says how far apart the numbers in --expect's lines may be; add "
           "--expect=FILE, or drop it");
  if (p.expect && p.several())
    refuse(fmt::format("--expect checks the lines of one mode, and the order of the lines differs "
                       "from mode to mode; add --mode={}",
                       to_string(s.default_mode)));
  if (p.min_speedup) {
    if (!s.supports(Mode::sync) && !s.model)
      refuse(fmt::format("--min-speedup compares with sync, and {} has no sync mode to compare "
                         "with; drop --min-speedup",
                         s.name));
    if (!p.several() && p.modes.front() == Mode::sync)
      refuse("--min-speedup compares the other modes with sync, and --mode=sync is sync itself; "
             "use --mode=all, or another mode");
  }
}

RunPlan plan_of(const Scenario& s, const RawOptions& raw, const Environment& env) {
  RunPlan p;
  p.scenario = &s;
  p.modes = modes_of(s, raw.mode.value_or(std::string(to_string(s.default_mode))));
  if (raw.seed) p.seed = seed_of(*raw.seed);
  p.params = params_of(s, raw);
  if (raw.seed) p.params.mark_given("seed");
  // The scenario's own rules hold for --python too: its program would
  // otherwise ignore what they refuse. --mode=all skips, with a note, a
  // mode that they refuse when others can run (swarm's threads, for more
  // threads than the machine holds); one asked for by name is refused.
  if (s.check) {
    std::vector<Mode> can_run;
    std::string first_why;
    for (auto m : p.modes) {
      auto why = s.check(m, p.params);
      if (why.empty()) {
        can_run.push_back(m);
        continue;
      }
      if (first_why.empty()) first_why = why;
      p.skipped.push_back({m, std::move(why)});
    }
    if (can_run.empty() || (!p.skipped.empty() && p.modes.size() == 1)) refuse(first_why);
    p.modes = std::move(can_run);
  }
  if (raw.python) {
    check_python(raw);
    if (p.modes.size() != 1)
      refuse(fmt::format("--python prints one mode's program; add --mode={}",
                         to_string(s.default_mode)));
    p.python = true;
    return p;
  }
  if (raw.clock) p.clock = clock_of(*raw.clock);
  // The views of the loop are for stepping through and showing a run: on
  // the virtual clock it is exact, instant and the same every time. Without
  // --clock they take it (--speed alone asks for the real clock), and say so.
  const char* view = raw.step ? "--step" : raw.html ? "--html" : raw.svg ? "--svg" : nullptr;
  if (view && !raw.clock && (raw.step || !raw.speed)) {
    p.clock = ClockKind::virtual_time;
    p.notes.push_back(fmt::format("{} runs on the virtual clock (exact and instant){}", view,
                                  raw.step ? "" : "; add --clock=real to time it on this machine"));
  }
  if (raw.speed) p.speed = speed_of(*raw.speed);
  if (raw.workers) p.workers = workers_of(*raw.workers);
  p.style.color = color_of(raw.color.value_or("auto"), env);
  p.style.fit = env.width_known ? env.width : 0;
  if (raw.format) p.format = format_of(*raw.format);
  if (raw.runs) p.runs = runs_of(*raw.runs);
  if (raw.trace) p.trace = trace_of(*raw.trace);
  if (raw.html) p.html = file_of("--html", "replay.html", *raw.html);
  if (raw.svg) p.svg = file_of("--svg", "timeline.svg", *raw.svg);
  if (raw.title) p.title = title_of(*raw.title);
  if (raw.scale) p.scale = scale_of(*raw.scale);
  p.step = raw.step;
  if (raw.export_json) p.export_json = file_of("--export-json", "runs.json", *raw.export_json);
  if (raw.export_markdown)
    p.export_markdown = file_of("--export-markdown", "runs.md", *raw.export_markdown);
  if (raw.export_csv) p.export_csv = file_of("--export-csv", "runs.csv", *raw.export_csv);
  if (raw.expect) p.expect = file_of("--expect", "expected.txt", *raw.expect);
  if (raw.expect_tolerance) p.expect_tolerance = expect_tolerance_of(*raw.expect_tolerance);
  if (raw.min_speedup) p.min_speedup = min_speedup_of(*raw.min_speedup);
  p.timeline = raw.timeline;
  p.verbosity = raw.quiet ? Verbosity::quiet : raw.verbose ? Verbosity::verbose : Verbosity::normal;
  p.width = env.width;
  check_combinations(s, raw, p);
  p.dim_notes = env.stderr_is_terminal && !env.no_color && !env.dumb_terminal &&
                raw.color.value_or("auto") != "never";
  p.progress = p.runs > 1 && env.stderr_is_terminal &&
               !(p.format == Format::jsonl && env.stdout_is_terminal);
  return p;
}

} // namespace

std::optional<Format> parse_format(std::string_view text) noexcept {
  for (std::size_t i = 0; i < format_choices.size(); ++i)
    if (text == format_choices[i]) return static_cast<Format>(i);
  return std::nullopt;
}

std::string_view to_string(Format f) noexcept {
  return format_choices[static_cast<std::size_t>(f)];
}

Environment Environment::of_process() {
  Environment env;
  env.stdout_is_terminal = isatty(STDOUT_FILENO);
  env.stderr_is_terminal = isatty(STDERR_FILENO);
  const char* no_color = std::getenv("NO_COLOR");
  env.no_color = no_color && *no_color;
  const char* term = std::getenv("TERM");
  env.dumb_terminal = term && std::string_view(term) == "dumb";
  const auto known = known_width(stdout);
  env.width = known.value_or(default_width);
  env.width_known = known.has_value();
  return env;
}

std::variant<RunPlan, PlanError> make_plan(const Scenario& s, const RawOptions& raw,
                                           const Environment& env) {
  try {
    return plan_of(s, raw, env);
  } catch (const Refusal& r) {
    return PlanError{r.message};
  }
}

} // namespace asyncdemo
