#pragma once
// The JSON renderers (--format=json and jsonl), schema 1, documented in
// docs/json-schema.md and docs/schema.json. Times are seconds (numbers);
// on the virtual clock every document is the same on every run.
#include "asyncdemo/benchmark.hpp"
#include "asyncdemo/recorder.hpp"
#include "asyncdemo/runner.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <optional>
#include <string>
#include <vector>

namespace asyncdemo {

inline constexpr int json_schema_version = 1;

// What a run is compared with: its model time and the sync equivalent.
struct RunContext {
  std::string scenario;
  Duration model{};
  std::optional<Duration> sync_model; // none when the scenario has no sync mode
};

// {"time", "task", "task_id", "kind", "text"}
nlohmann::ordered_json event_json(const Event& e, const Recorder& rec);
// {"id", "name", "created", "started", "finished", "state", "result", "finish_order"}
nlohmann::ordered_json task_json(const TaskRecord& t);
// The document of one run: "type": "run". `error` is the failure's message.
nlohmann::ordered_json run_json(const RunResult& run, const RunContext& ctx,
                                bool with_events = true);
// The document comparing modes (--mode=all, --runs=N): "type": "comparison".
nlohmann::ordered_json comparison_json(const std::string& scenario,
                                       const std::vector<ModeRuns>& modes,
                                       const std::vector<const RunResult*>& runs,
                                       const std::vector<RunContext>& contexts);

// --format=jsonl: one event per line as it happens, flushed, so a reader
// (jq) sees it at once; finish() writes the run's summary line.
class JsonlPrinter {
public:
  JsonlPrinter(std::FILE* out, Mode mode) : out_(out), mode_(mode) {}
  void operator()(const Event& e, const Recorder& rec);

private:
  std::FILE* out_;
  Mode mode_;
};

// One JSON value on one line, flushed.
void write_json_line(std::FILE* out, const nlohmann::ordered_json& j);

} // namespace asyncdemo
