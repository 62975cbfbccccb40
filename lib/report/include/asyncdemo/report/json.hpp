#pragma once
// --format=json and --format=jsonl: schema 1, documented in docs/json.md and
// docs/schema.json. Times are seconds (numbers); on the virtual clock every
// document is the same on every run, but for the "measured" figures.
// nlohmann_json stays inside the reporters: these return text.
#include "asyncdemo/run/reporter.hpp"

#include <string>

namespace asyncdemo {

inline constexpr int json_schema_version = 1;

// One run's document ("type": "run"), indented as --format=json prints it.
std::string run_document(const RunResult& run, const RunContext& ctx);
// The comparison's document ("type": "comparison").
std::string comparison_document(const std::string& scenario, const ComparisonResult& cmp);
// One --format=jsonl line for an event of `mode`.
std::string event_line(const RecordedEvent& e, const Recorder& rec, Mode mode);
// --format=jsonl's line after each run ("type": "summary") and after a
// comparison (the comparison, without its runs).
std::string summary_line_json(const RunResult& run, const RunContext& ctx);
std::string comparison_line_json(const std::string& scenario, const ComparisonResult& cmp);

} // namespace asyncdemo
