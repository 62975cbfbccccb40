#pragma once
// The JSON documents (schema 1, docs/json.md), as nlohmann values: private
// to the reporters, which print them (json.cpp, jsonl.cpp).
#include "asyncdemo/run/recorder.hpp"
#include "asyncdemo/run/reporter.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace asyncdemo::json_doc {

using json = nlohmann::ordered_json;

class Spliced;

// {"schema", "version", "type"}: how every document and line begins.
json header(const char* type);
// {"time", "task", "task_id", "kind", "text"}: the texts exactly as the
// program gave them.
json event(const RecordedEvent& e, const Recorder& rec);
// {"id", "name", "created", "started", "finished", "state", "result",
// "finish_order"}, likewise exact.
json task(const TaskRecord& t, const Recorder& rec);
// The document of one run: "type": "run" (with its events, written into
// `spliced`'s text) or "summary" (without: jsonl's last line). `error` is
// the failure's message.
json run(const RunResult& run, const RunContext& ctx, Spliced* spliced = nullptr);
// The document comparing modes (--mode=all, --runs=N): "type": "comparison";
// with its runs (and their events) when `spliced` takes them.
json comparison(const std::string& scenario, const ComparisonResult& cmp,
                Spliced* spliced = nullptr);
// Those documents' text, the events written in as they are dumped.
std::string run_text(const RunResult& run, const RunContext& ctx, int indent);
std::string comparison_text(const std::string& scenario, const ComparisonResult& cmp, int indent);

// A value as JSON text (indented by `indent`, or on one line for -1).
// Never throws for what a string holds: a byte that is not UTF-8 becomes
// U+FFFD, so that nothing written is ever invalid UTF-8 and no document
// stops half way. Every control or invisible character is a \u escape
// (C0 by the library; C1, bidi overrides, line separators and the rest
// here): the text stays exact, and nothing raw reaches a terminal that
// shows the JSON.
std::string dumped(const json& j, int indent = -1);

// A document whose long arrays (a run's events, the runs of a comparison,
// a page's frames) are written into its text item by item, never held whole
// as values: a value costs about a kilobyte an event, and destroying one
// allocates, which, once memory has run out, would end the process rather
// than let it say so. The document itself holds a placeholder (later()) for
// each such array; text() writes it, byte for byte as dumped() would have.
class Spliced {
public:
  using Item = std::function<void(std::string_view)>; // an item's text, dumped at `indent`
  using Items = std::function<void(int indent, const Item&)>;
  Spliced();
  // A value standing for the array that `items` writes.
  json later(Items items);
  // `doc` as dumped(doc, indent) writes it, each array in its place.
  std::string text(const json& doc, int indent) const;

private:
  std::string marker(std::size_t k) const;
  std::uint64_t nonce_; // a file cannot guess it, so no text of its is taken for a placeholder
  std::vector<Items> arrays_;
};

// One JSON value on one line, flushed: a reader (jq) sees it at once.
void write_line(std::FILE* out, const json& j);
// A document, indented, and a newline.
void write_document(std::FILE* out, const json& j);

} // namespace asyncdemo::json_doc
