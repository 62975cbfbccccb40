// The reports: JSON (checked field by field; tests/json/contract.py
// validates the binary's documents against docs/schema.json with a real
// JSON Schema validator), the trace, spans, the --runs arithmetic and the
// timeline.
#include "../test_support.hpp"
#include "asyncdemo/process/terminal.hpp"
#include "asyncdemo/report/json.hpp"
#include "asyncdemo/report/runs.hpp"
#include "asyncdemo/report/spans.hpp"
#include "asyncdemo/report/tables.hpp"
#include "asyncdemo/report/timeline.hpp"
#include "asyncdemo/report/trace.hpp"
#include "asyncdemo/run/runner.hpp"
#include "asyncdemo/run/stats.hpp"
#include "asyncdemo/text/wrap.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <map>

#include <unistd.h>

using namespace asyncdemo;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

const Scenario& scenario(const char* name) {
  const auto* s = Registry::instance().find(name);
  REQUIRE(s != nullptr);
  return *s;
}

RunResult virtual_run(const char* name, Mode m) {
  const auto& s = scenario(name);
  return model_run(s, s.default_params(), m);
}

RunContext context_of(const char* name, const RunResult& r) {
  const auto& s = scenario(name);
  std::optional<Duration> sync;
  if (s.supports(Mode::sync)) sync = virtual_run(name, Mode::sync).elapsed;
  return RunContext{name, r.elapsed, sync};
}

// What a reader gets: the printed text, parsed back.
json parsed(const std::string& text) {
  return json::parse(text);
}

json run_json(const RunResult& run, const RunContext& ctx) {
  return parsed(run_document(run, ctx));
}

} // namespace

TEST_CASE("json: breakfast --mode=gather, field by field") {
  const auto run = virtual_run("breakfast", Mode::gather);
  const auto doc = run_json(run, context_of("breakfast", run));
  CHECK(doc["schema"] == 1);
  CHECK(doc["type"] == "run");
  CHECK(doc["scenario"] == "breakfast");
  CHECK(doc["mode"] == "gather");
  CHECK(doc["clock"] == "virtual");
  CHECK(doc["speed"] == 1.0);
  CHECK(doc["seed"].is_null());
  CHECK(doc["outcome"] == "ok");
  CHECK(doc["error"].is_null());

  REQUIRE(doc["events"].size() == run.recorder.events().size());
  for (std::size_t i = 0; i < doc["events"].size(); ++i) {
    const auto& e = run.recorder.events()[i];
    const auto& j = doc["events"][i];
    CHECK(j["time"] == to_seconds(e.time));
    CHECK(j["task_id"] == e.task);
    CHECK(j["task"] == std::string(run.recorder.task_name(e.task)));
    CHECK(j["kind"] == to_string(e.kind));
    CHECK(j["text"] == e.text);
  }
  std::vector<std::string> printed;
  for (const auto& j : doc["events"])
    if (j["kind"] == "print") printed.push_back(j["text"]);
  CHECK(printed == run.recorder.printed_lines());

  REQUIRE(doc["tasks"].size() == 3);
  const auto& eggs = doc["tasks"][2];
  CHECK(eggs["id"] == 2);
  CHECK(eggs["name"] == "eggs");
  CHECK(eggs["created"] == 0.0);
  CHECK(eggs["started"] == 1.0); // coffee's preparation held the loop
  CHECK(eggs["finished"] == 5.0);
  CHECK(eggs["state"] == "done");
  CHECK(eggs["finish_order"] == 1);
  CHECK(doc["tasks"][1]["finish_order"] == 2);
  CHECK(doc["tasks"][0]["name"] == "main");
  CHECK(doc["tasks"][0]["finish_order"] == 3);

  const auto& sum = doc["summary"];
  CHECK(sum["elapsed"] == 6.0);
  CHECK(sum["wall"] == 6.0);
  CHECK(sum["model"] == 6.0);
  CHECK(sum["overhead"] == 0.0);
  CHECK(sum["sync_equivalent"] == 10.0);
  CHECK(sum["speedup"].get<double>() == doctest::Approx(10.0 / 6.0));
}

TEST_CASE("json: the same document on every virtual-clock run") {
  const auto a = virtual_run("breakfast", Mode::create_task);
  const auto b = virtual_run("breakfast", Mode::create_task);
  CHECK(run_document(a, context_of("breakfast", a)) == run_document(b, context_of("breakfast", b)));
}

TEST_CASE("json: a failed run says so; a seed is a number") {
  auto run = virtual_run("worker", Mode::await_);
  run.failure = std::make_exception_ptr(std::runtime_error("boom"));
  run.seed = 7;
  const auto doc = run_json(run, context_of("worker", run));
  CHECK(doc["outcome"] == "failed");
  CHECK(doc["error"] == "boom");
  CHECK(doc["seed"] == 7);
}

TEST_CASE("json: a comparison, and its jsonl line without the runs") {
  const auto sync = virtual_run("breakfast", Mode::sync);
  const auto gather = virtual_run("breakfast", Mode::gather);
  const std::vector<ModeRuns> modes{{Mode::sync, 10s, {10s}}, {Mode::gather, 6s, {6s, 6s}}};
  const auto ctx = context_of("breakfast", sync);
  const std::vector<const RunResult*> runs{&sync, &gather};
  const std::vector<RunContext> contexts{ctx, ctx};
  const std::vector<RunPlan::Skipped> skipped;
  const ComparisonResult result{modes, sync_baseline(modes, 10s), runs, contexts, skipped};
  const auto cmp = parsed(comparison_document("breakfast", result));
  CHECK(cmp["schema"] == 1);
  CHECK(cmp["version"].is_string());
  CHECK(cmp["fastest"] == "gather");
  CHECK(cmp["leaders"] == json::array({"gather"}));
  CHECK(!cmp.contains("skipped"));
  CHECK(cmp["modes"][1]["stats"]["runs"] == 2);
  CHECK(cmp["modes"][1]["speedup"].get<double>() == doctest::Approx(10.0 / 6.0));
  CHECK(cmp["runs"].size() == 2);
  auto line = parsed(comparison_line_json("breakfast", result));
  CHECK(!line.contains("runs"));
  line["runs"] = cmp["runs"];
  CHECK(line == cmp); // the same fields, but for the runs
  auto summary = parsed(summary_line_json(gather, ctx));
  CHECK(summary["type"] == "summary");
  auto doc = run_json(gather, ctx);
  CHECK(doc["type"] == "run");
  doc.erase("events");
  summary["type"] = "run";
  CHECK(summary == doc); // the same fields, but for the events
}

TEST_CASE("spans: what each breakfast task did, from the events") {
  const auto run = virtual_run("breakfast", Mode::gather);
  const auto spans = task_spans(run.recorder, run.elapsed);
  REQUIRE(spans.size() == 3);
  std::vector<std::string> eggs;
  for (const auto& s : spans[2])
    eggs.push_back(fmt::format("{} {:g}-{:g} {}", to_string(s.kind), to_seconds(s.begin),
                               to_seconds(s.end), s.what));
  CHECK(test::joined(eggs) == "ready 0-1 \n"
                              "running 1-1 \n"
                              "blocking 1-2 \n"
                              "running 2-2 \n"
                              "awaiting 2-5 sleep until 5.000 s\n"
                              "running 5-5 \n");
}

TEST_CASE("trace: Chrome trace-event JSON, parsed back") {
  const auto run = virtual_run("breakfast", Mode::gather);
  const auto doc = parsed(trace_json({{"breakfast --mode=gather", &run}}));
  REQUIRE(doc["traceEvents"].is_array());
  std::map<int, std::string> tracks;
  std::vector<std::string> prints;
  std::vector<std::string> coffee;
  for (const auto& e : doc["traceEvents"]) {
    REQUIRE(e.contains("ph"));
    CHECK(e["pid"] == 1);
    const std::string ph = e["ph"];
    if (ph == "M" && e["name"] == "thread_name") tracks[e["tid"]] = e["args"]["name"];
    if (ph == "M" && e["name"] == "process_name")
      CHECK(e["args"]["name"] == "breakfast --mode=gather");
    if (ph == "X") {
      CHECK(e["ts"].get<double>() >= 0);
      CHECK(e["dur"].get<double>() >= 0);
      if (e["tid"] == 2 && e["dur"].get<double>() > 0)
        coffee.push_back(fmt::format("{} {:g}+{:g}", e["cat"].get<std::string>(),
                                     e["ts"].get<double>(), e["dur"].get<double>()));
    }
    if (ph == "i" && e["cat"] == "print") {
      CHECK(e["s"] == "t");
      prints.push_back(e["name"]);
    }
  }
  CHECK(tracks == std::map<int, std::string>{{1, "main"}, {2, "coffee"}, {3, "eggs"}});
  CHECK(prints == run.recorder.printed_lines());
  // Microseconds: coffee blocks 0–1 s, then awaits its 5 s sleep.
  CHECK(test::joined(coffee) == "blocking 0+1e+06\nawaiting 1e+06+5e+06\n");
}

TEST_CASE("--runs arithmetic on a fixed set of durations") {
  const auto s = stats_of({1s, 2s, 3s, 4s});
  CHECK(s.n == 4);
  CHECK(s.mean == doctest::Approx(2.5));
  CHECK(s.stddev == doctest::Approx(std::sqrt(5.0 / 3.0))); // sample σ: n − 1
  CHECK(s.min == 1.0);
  CHECK(s.max == 4.0);
  const auto one = stats_of({6s});
  CHECK(one.stddev == 0.0);
  CHECK(stats_of({}).n == 0);

  // 10 ± 1 against 5 ± 0.5: 2, with σ = 2 × √(0.1² + 0.1²).
  const auto base = stats_of({9s, 11s});
  const auto fast = stats_of({4500ms, 5500ms});
  CHECK(base.stddev == doctest::Approx(std::sqrt(2.0)));
  const auto r = speedup(base, fast);
  CHECK(r.value == doctest::Approx(2.0));
  CHECK(r.stddev == doctest::Approx(2.0 * std::hypot(std::sqrt(2.0) / 10.0, std::sqrt(0.5) / 5.0)));
}

TEST_CASE("--runs renders hyperfine-style") {
  const std::vector<ModeRuns> modes{{Mode::sync, 10s, {10s + 1ms, 10s + 3ms}},
                                    {Mode::gather, 6s, {6s + 1ms, 6s + 2ms, 6s + 3ms}}};
  const auto base = sync_baseline(modes, 10s);
  REQUIRE(base.has_value());
  CHECK(base->mean == doctest::Approx(10.002));
  CHECK(runs_block(modes[1], base, Style{}) ==
        "gather (3 runs)\n"
        "  Time (mean ± σ):    6.002 s ± 1.000 ms   model 6.000 s (+2.000 ms, +0.03 %)\n"
        "  Range (min … max):  6.001 s … 6.003 s\n"
        "  1.67 ± 0.00 × faster than sync\n");
  CHECK(runs_table(modes, base, Style{}) ==
        "mode                mean ± σ        min        max      model             overhead  "
        "       vs sync\n"
        "sync     10.002 s ± 1.414 ms   10.001 s   10.003 s   10.000 s   +2.000 ms, +0.02 %   "
        "1.00 ± 0.00 ×\n"
        "gather    6.002 s ± 1.000 ms    6.001 s    6.003 s    6.000 s   +2.000 ms, +0.03 %   "
        "1.67 ± 0.00 ×\n");
  CHECK(runs_closing_line(modes, base, Style{}) == "gather ran 1.67 ± 0.00 × faster than sync");
  CHECK(modes_csv(modes, base) == "mode,runs,mean,stddev,min,max,model,speedup\n"
                                  "sync,2,10.002000,0.001414,10.001000,10.003000,10.000000,1.0000\n"
                                  "gather,3,6.002000,0.001000,6.001000,6.003000,6.000000,1.6664\n");
}

TEST_CASE("timeline: round columns and ticks from 1 ms to hours") {
  CHECK(column_duration(6s, 71) == 100ms);
  CHECK(column_duration(1ms, 71) == 20us);
  CHECK(column_duration(3h, 71) == 5min);
  CHECK(tick_step(100ms, 60) == 1s);
  CHECK(tick_label(1500ms, 6s) == "1.5 s");
  CHECK(tick_label(250us, 800us) == "250 µs");
  CHECK(tick_label(250us, 1ms) == "0.25 ms");
  CHECK(tick_label(90min, 3h) == "1.5 h");
  CHECK(tick_label(30min, 50min) == "30 min");

  // A run of one task sleeping the whole time, drawn at several scales.
  for (Duration total : {Duration(1ms), Duration(6s), Duration(std::chrono::hours(3))}) {
    Recorder rec;
    const TaskId t = 0;
    rec.task_created(Duration{}, t, "main");
    rec.task_started(Duration{}, t);
    rec.task_suspended(Duration{}, t, Suspension{Suspension::Kind::sleep, total, no_task, {}});
    rec.task_resumed(total, t);
    rec.task_finished(total, t, TaskOutcome::done, "");
    for (std::size_t width : {40u, 80u, 200u}) {
      const auto chart = timeline(rec, total, width);
      std::size_t lines = 0, widest = 0, start = 0;
      for (auto nl = chart.find('\n'); nl != std::string::npos; nl = chart.find('\n', start)) {
        widest = std::max(widest, text_columns(std::string_view(chart).substr(start, nl - start)));
        start = nl + 1;
        ++lines;
      }
      CHECK(widest <= width);
      const auto from = chart.find("main  ");
      const auto row = chart.substr(from, chart.find('\n', from) - from);
      CHECK(row.find("-|") != std::string::npos); // awaiting to the end, then done
      CHECK(row.find('#') == std::string::npos);
    }
  }
}

TEST_CASE("the terminal width: COLUMNS, else 80 when not a terminal") {
  const char* old = std::getenv("COLUMNS");
  const std::string saved = old ? old : "";
  ::setenv("COLUMNS", "123", 1);
  CHECK(terminal_width(nullptr) == 123);
  ::setenv("COLUMNS", "wide", 1);
  CHECK(terminal_width(nullptr) == default_width);
  ::unsetenv("COLUMNS");
  CHECK(terminal_width(nullptr) == default_width);
  if (old) ::setenv("COLUMNS", saved.c_str(), 1);
}
