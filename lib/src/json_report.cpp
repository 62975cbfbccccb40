#include "asyncdemo/json_report.hpp"

#include "asyncdemo/errors.hpp"

#include <fmt/format.h>

namespace asyncdemo {

namespace {

using json = nlohmann::ordered_json;

// A time that has not happened (a task never started) is null.
json time_or_null(Duration d) {
  return d.count() < 0 ? json(nullptr) : json(to_seconds(d));
}

const char* outcome(const RunResult& run) {
  if (run.interrupted) return "interrupted";
  if (run.failure) return "failed";
  return "ok";
}

json summary_json(const RunResult& run, const RunContext& ctx) {
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

json stats_json(const Stats& s) {
  return json{
      {"runs", s.n}, {"mean", s.mean}, {"stddev", s.stddev}, {"min", s.min}, {"max", s.max}};
}

} // namespace

json event_json(const Event& e, const Recorder& rec) {
  const auto* t = rec.task(e.task);
  return json{{"time", to_seconds(e.time)},
              {"task", t ? json(t->name) : json(nullptr)},
              {"task_id", t ? json(t->id) : json(nullptr)},
              {"kind", to_string(e.kind)},
              {"text", e.text}};
}

json task_json(const TaskRecord& t) {
  return json{{"id", t.id},
              {"name", t.name},
              {"created", to_seconds(t.created)},
              {"started", time_or_null(t.started)},
              {"finished", time_or_null(t.finished)},
              {"state", to_string(t.outcome)},
              {"result", t.result},
              {"finish_order", t.finish_order == 0 ? json(nullptr) : json(t.finish_order)}};
}

json run_json(const RunResult& run, const RunContext& ctx, bool with_events) {
  json doc;
  doc["schema"] = json_schema_version;
  doc["type"] = with_events ? "run" : "summary";
  doc["scenario"] = ctx.scenario;
  doc["mode"] = std::string(to_string(run.mode));
  doc["clock"] = run.clock == ClockKind::real ? "real" : "virtual";
  doc["speed"] = run.speed;
  doc["seed"] = run.seed ? json(*run.seed) : json(nullptr);
  doc["outcome"] = outcome(run);
  doc["error"] = run.failure ? json(describe(run.failure)) : json(nullptr);
  if (with_events) {
    doc["events"] = json::array();
    for (const auto& e : run.recorder.events())
      doc["events"].push_back(event_json(e, run.recorder));
  }
  doc["tasks"] = json::array();
  for (const auto& t : run.recorder.tasks())
    doc["tasks"].push_back(task_json(t));
  doc["summary"] = summary_json(run, ctx);
  return doc;
}

json comparison_json(const std::string& scenario, const std::vector<ModeRuns>& modes,
                     const std::vector<const RunResult*>& runs,
                     const std::vector<RunContext>& contexts) {
  json doc;
  doc["schema"] = json_schema_version;
  doc["type"] = "comparison";
  doc["scenario"] = scenario;
  const RunResult* first = runs.empty() ? nullptr : runs.front();
  doc["clock"] = first && first->clock == ClockKind::real ? "real" : "virtual";
  doc["speed"] = first ? first->speed : 1.0;
  doc["seed"] = first && first->seed ? json(*first->seed) : json(nullptr);
  const auto sync_model = contexts.empty() ? std::nullopt : contexts.front().sync_model;
  const auto base = sync_baseline(modes, sync_model);
  doc["modes"] = json::array();
  for (const auto& m : modes) {
    const auto s = m.stats();
    json row{{"mode", std::string(to_string(m.mode))},
             {"model", to_seconds(m.model)},
             {"elapsed", json::array()},
             {"stats", stats_json(s)},
             {"overhead", s.mean - to_seconds(m.model)},
             {"speedup", nullptr},
             {"speedup_stddev", nullptr}};
    for (auto t : m.times)
      row["elapsed"].push_back(to_seconds(t));
    if (base) {
      const auto r = speedup(*base, s);
      row["speedup"] = r.value;
      row["speedup_stddev"] = r.stddev;
    }
    doc["modes"].push_back(std::move(row));
  }
  const auto* best = fastest(modes);
  doc["fastest"] = best && base ? json(std::string(to_string(best->mode))) : json(nullptr);
  doc["runs"] = json::array();
  for (std::size_t i = 0; i < runs.size(); ++i)
    doc["runs"].push_back(run_json(*runs[i], contexts[i]));
  return doc;
}

void JsonlPrinter::operator()(const Event& e, const Recorder& rec) {
  json line{{"type", "event"}, {"mode", std::string(to_string(mode_))}};
  line.update(event_json(e, rec));
  write_json_line(out_, line);
}

void write_json_line(std::FILE* out, const nlohmann::ordered_json& j) {
  const auto text = j.dump() + "\n";
  std::fwrite(text.data(), 1, text.size(), out);
  std::fflush(out); // a reader (jq) sees each line as it happens
}

} // namespace asyncdemo
