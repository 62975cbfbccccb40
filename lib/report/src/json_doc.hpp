#pragma once
// The JSON documents (schema 1, docs/json.md), as nlohmann values: private
// to the reporters, which print them (json.cpp, jsonl.cpp).
#include "asyncdemo/run/recorder.hpp"
#include "asyncdemo/run/reporter.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>

namespace asyncdemo::json_doc {

using json = nlohmann::ordered_json;

// {"schema", "version", "type"}: how every document and line begins.
json header(const char* type);
// {"time", "task", "task_id", "kind", "text"}
json event(const RecordedEvent& e, const Recorder& rec);
// {"id", "name", "created", "started", "finished", "state", "result", "finish_order"}
json task(const TaskRecord& t);
// The document of one run: "type": "run" (with its events) or "summary"
// (without: jsonl's last line). `error` is the failure's message.
json run(const RunResult& run, const RunContext& ctx, bool with_events = true);
// The document comparing modes (--mode=all, --runs=N): "type": "comparison".
json comparison(const std::string& scenario, const ComparisonResult& cmp, bool with_runs = true);

// One JSON value on one line, flushed: a reader (jq) sees it at once.
void write_line(std::FILE* out, const json& j);
// A document, indented, and a newline.
void write_document(std::FILE* out, const json& j);

} // namespace asyncdemo::json_doc
