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
// {"time", "task", "task_id", "kind", "text"}: the texts exactly as the
// program gave them.
json event(const RecordedEvent& e, const Recorder& rec);
// {"id", "name", "created", "started", "finished", "state", "result",
// "finish_order"}, likewise exact.
json task(const TaskRecord& t, const Recorder& rec);
// The document of one run: "type": "run" (with its events) or "summary"
// (without: jsonl's last line). `error` is the failure's message.
json run(const RunResult& run, const RunContext& ctx, bool with_events = true);
// The document comparing modes (--mode=all, --runs=N): "type": "comparison".
json comparison(const std::string& scenario, const ComparisonResult& cmp, bool with_runs = true);

// A value as JSON text (indented by `indent`, or on one line for -1).
// Never throws for what a string holds: a byte that is not UTF-8 becomes
// U+FFFD, so that nothing written is ever invalid UTF-8 and no document
// stops half way. Every control or invisible character is a \u escape
// (C0 by the library; C1, bidi overrides, line separators and the rest
// here): the text stays exact, and nothing raw reaches a terminal that
// shows the JSON.
std::string dumped(const json& j, int indent = -1);

// One JSON value on one line, flushed: a reader (jq) sees it at once.
void write_line(std::FILE* out, const json& j);
// A document, indented, and a newline.
void write_document(std::FILE* out, const json& j);

} // namespace asyncdemo::json_doc
