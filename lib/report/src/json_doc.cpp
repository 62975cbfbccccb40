#include "json_doc.hpp"

#include "asyncdemo/errors.hpp"
#include "asyncdemo/report/json.hpp"
#include "asyncdemo/text/quote.hpp"
#include "asyncdemo/version.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <random>

namespace asyncdemo::json_doc {

namespace {

// A time that has not happened (a task never started) is null.
json time_or_null(Duration d) {
  return d.count() < 0 ? json(nullptr) : json(to_seconds(d));
}

const char* outcome(const RunResult& run) {
  if (run.interrupted) return "interrupted";
  if (run.failure) return "failed";
  return "ok";
}

json summary(const RunResult& run, const RunContext& ctx) {
  json s;
  s["elapsed"] = to_seconds(run.elapsed);
  s["wall"] = to_seconds(run.wall);
  s["model"] = to_seconds(ctx.model);
  s["overhead"] = to_seconds(run.elapsed - ctx.model);
  s["sync_equivalent"] = ctx.sync_model ? json(to_seconds(*ctx.sync_model)) : json(nullptr);
  s["speedup"] = ctx.sync_model && run.elapsed.count() > 0
                     ? json(to_seconds(*ctx.sync_model) / to_seconds(run.elapsed))
                     : json(nullptr);
  return s;
}

json stats(const Stats& s) {
  return json{
      {"runs", s.n}, {"mean", s.mean}, {"stddev", s.stddev}, {"min", s.min}, {"max", s.max}};
}

} // namespace

json event(const RecordedEvent& e, const Recorder& rec) {
  const auto* t = rec.task(e.task);
  json out{{"time", to_seconds(e.time)},
           {"task", t ? json(rec.exact_name(*t)) : json(nullptr)},
           {"task_id", t ? json(t->id) : json(nullptr)},
           {"kind", to_string(e.kind)},
           {"text", rec.exact_text(e)}};
  if (rec.source_followed()) {
    // Where the program's code was: the line of the program --python
    // prints, and the frames that led there, outermost first.
    const auto& chain = rec.chain_at(rec.index_of(e));
    out["line"] = chain.empty() ? json(nullptr) : json(chain.back().line);
    auto frames = json::array();
    for (const auto& f : chain)
      frames.push_back(json{{"function", f.function}, {"line", f.line}});
    out["chain"] = std::move(frames);
  }
  return out;
}

json task(const TaskRecord& t, const Recorder& rec) {
  return json{{"id", t.id},
              {"name", rec.exact_name(t)},
              {"created", to_seconds(t.created)},
              {"started", time_or_null(t.started)},
              {"finished", time_or_null(t.finished)},
              {"state", to_string(t.outcome)},
              {"result", rec.exact_result(t)},
              {"finish_order", t.finish_order == 0 ? json(nullptr) : json(t.finish_order)}};
}

json header(const char* type) {
  return json{{"schema", json_schema_version}, {"version", version}, {"type", type}};
}

json run(const RunResult& run, const RunContext& ctx, Spliced* spliced) {
  const bool with_events = spliced != nullptr;
  json doc = header(with_events ? "run" : "summary");
  doc["scenario"] = ctx.scenario;
  doc["mode"] = std::string(to_string(run.mode));
  doc["clock"] = run.clock == ClockKind::real ? "real" : "virtual";
  doc["speed"] = run.speed;
  // to_thread's executor, when a call used it or --workers gave its size.
  if (run.executor_used || run.workers_given) doc["workers"] = run.workers;
  doc["seed"] = run.seed ? json(*run.seed) : json(nullptr);
  doc["outcome"] = outcome(run);
  doc["error"] = run.failure ? json(python_error(run.failure)) : json(nullptr);
  if (with_events)
    doc["events"] = spliced->later([&run](int indent, const Spliced::Item& item) {
      for (const auto& e : run.recorder.events())
        item(dumped(event(e, run.recorder), indent));
    });
  doc["tasks"] = json::array();
  for (const auto& t : run.recorder.tasks())
    doc["tasks"].push_back(task(t, run.recorder));
  doc["summary"] = summary(run, ctx);
  // Measured figures (swarm's memory, say) differ from run to run: they are
  // kept here, apart, so that a script can leave them out.
  if (!run.figures.numbers().empty()) {
    json m = json::object();
    for (const auto& f : run.figures.numbers())
      m[f.name] = f.value;
    doc["measured"] = std::move(m);
  }
  return doc;
}

json comparison(const std::string& scenario, const ComparisonResult& cmp, Spliced* spliced) {
  json doc = header("comparison");
  doc["scenario"] = scenario;
  const RunResult* first = cmp.runs.empty() ? nullptr : cmp.runs.front();
  doc["clock"] = first && first->clock == ClockKind::real ? "real" : "virtual";
  doc["speed"] = first ? first->speed : 1.0;
  doc["seed"] = first && first->seed ? json(*first->seed) : json(nullptr);
  doc["modes"] = json::array();
  for (const auto& m : cmp.modes) {
    const auto s = m.stats();
    json row{{"mode", std::string(to_string(m.mode))},
             {"model", to_seconds(m.model)},
             {"elapsed", json::array()},
             {"stats", stats(s)},
             {"overhead", s.mean - to_seconds(m.model)},
             {"speedup", nullptr},
             {"speedup_stddev", nullptr}};
    for (auto t : m.times)
      row["elapsed"].push_back(to_seconds(t));
    if (cmp.base) {
      const auto r = speedup(*cmp.base, s);
      row["speedup"] = r.value;
      row["speedup_stddev"] = r.stddev;
    }
    doc["modes"].push_back(std::move(row));
  }
  const auto* best = fastest(cmp.modes);
  doc["fastest"] = best && cmp.base ? json(std::string(to_string(best->mode))) : json(nullptr);
  // Every mode that shares first place, sync aside: on the real clock those
  // within the noise of the fastest (the text's "tie"); on the virtual one
  // the fastest alone, as the text names it.
  std::vector<Timing> timings;
  for (const auto& m : cmp.modes)
    if (m.mode != Mode::sync && !m.times.empty()) {
      const auto s = m.stats();
      const double noise = s.n > 1 ? s.stddev
                                   : (first && first->clock == ClockKind::real
                                          ? std::fabs(s.mean - to_seconds(m.model))
                                          : 0.0);
      timings.push_back({m.mode, s.mean, noise});
    }
  doc["leaders"] = json::array();
  if (first && first->clock == ClockKind::real) {
    for (auto m : leaders(timings))
      doc["leaders"].push_back(std::string(to_string(m)));
  } else if (const auto* t = fastest(timings)) {
    doc["leaders"].push_back(std::string(to_string(t->mode)));
  }
  // Only when --mode=all left a mode out: what ran is complete otherwise.
  if (!cmp.skipped.empty()) {
    doc["skipped"] = json::array();
    for (const auto& skip : cmp.skipped)
      doc["skipped"].push_back({{"mode", std::string(to_string(skip.mode))}, {"reason", skip.why}});
  }
  if (spliced)
    doc["runs"] = spliced->later([&cmp](int indent, const Spliced::Item& item) {
      for (std::size_t i = 0; i < cmp.runs.size(); ++i)
        item(run_text(*cmp.runs[i], cmp.contexts[i], indent));
    });
  return doc;
}

std::string run_text(const RunResult& r, const RunContext& ctx, int indent) {
  Spliced spliced;
  return spliced.text(run(r, ctx, &spliced), indent);
}

std::string comparison_text(const std::string& scenario, const ComparisonResult& cmp, int indent) {
  Spliced spliced;
  return spliced.text(comparison(scenario, cmp, &spliced), indent);
}

Spliced::Spliced() : nonce_(std::random_device{}() * 0x100000001ULL ^ std::random_device{}()) {}

std::string Spliced::marker(std::size_t k) const {
  return fmt::format("\x01{:016x}:{}\x01", nonce_, k);
}

json Spliced::later(Items items) {
  arrays_.push_back(std::move(items));
  return marker(arrays_.size() - 1);
}

std::string Spliced::text(const json& doc, int indent) const {
  const auto skeleton = dumped(doc, indent);
  // Where each placeholder is, as dumped: a string, its \x01s as \u0001.
  std::vector<std::pair<std::size_t, std::size_t>> at; // (position, array)
  for (std::size_t k = 0; k < arrays_.size(); ++k) {
    auto m = dumped(json(marker(k)));
    if (const auto p = skeleton.find(m); p != std::string::npos) at.emplace_back(p, k);
  }
  std::sort(at.begin(), at.end());
  std::string out;
  std::size_t from = 0;
  for (const auto& [pos, k] : at) {
    out.append(skeleton, from, pos - from);
    // The placeholder's line is indented as its key: the items one further.
    const auto line = skeleton.rfind('\n', pos);
    const auto first = line == std::string::npos ? 0 : line + 1;
    const auto key_indent = skeleton.find_first_not_of(' ', first) - first;
    const std::string item_pad(key_indent + static_cast<std::size_t>(std::max(indent, 0)), ' ');
    bool any = false;
    out += '[';
    arrays_[k](indent, [&](std::string_view item) {
      out += any ? "," : "";
      any = true;
      if (indent < 0) {
        out += item;
        return;
      }
      out += '\n';
      out += item_pad;
      for (const char c : item) { // dumped at the top, and now one level in
        out += c;
        if (c == '\n') out += item_pad;
      }
    });
    if (any && indent >= 0) out += '\n' + std::string(key_indent, ' ');
    out += ']';
    from = pos + dumped(json(marker(k))).size();
  }
  out.append(skeleton, from, std::string::npos);
  return out;
}

std::string dumped(const json& j, int indent) {
  auto text = j.dump(indent, ' ', false, json::error_handler_t::replace);
  // Outside its strings JSON is printable ASCII: DEL, or a character past
  // ASCII, is in a string, where \uXXXX stands for it exactly.
  if (std::all_of(text.begin(), text.end(),
                  [](char c) { return static_cast<unsigned char>(c) < 0x7F; }))
    return text;
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    char32_t cp = 0;
    const auto n = decode_utf8(text, i, cp);
    if (n > 0 && cp >= 0x7F && invisible(cp)) {
      if (cp < 0x10000) {
        out += fmt::format("\\u{:04x}", static_cast<unsigned>(cp));
      } else { // a surrogate pair
        const auto v = static_cast<unsigned>(cp) - 0x10000;
        out += fmt::format("\\u{:04x}\\u{:04x}", 0xD800 + (v >> 10), 0xDC00 + (v & 0x3FF));
      }
    } else {
      out.append(text, i, std::max<std::size_t>(n, 1));
    }
    i += std::max<std::size_t>(n, 1);
  }
  return out;
}

void write_line(std::FILE* out, const json& j) {
  const auto text = dumped(j) + "\n";
  std::fwrite(text.data(), 1, text.size(), out);
  std::fflush(out);
}

void write_document(std::FILE* out, const json& j) {
  const auto text = dumped(j, 2) + "\n";
  std::fwrite(text.data(), 1, text.size(), out);
}

} // namespace asyncdemo::json_doc
