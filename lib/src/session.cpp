#include "asyncdemo/session.hpp"

#include "asyncdemo/errors.hpp"

#include <fmt/format.h>

#include <map>
#include <optional>

namespace asyncdemo {

SessionOutcome run_session(const Scenario& s, const Params& params, const SessionOptions& opts,
                           std::FILE* out, std::FILE* err) {
  std::map<Mode, RunResult> models;
  auto model_of = [&](Mode m) -> const RunResult& {
    auto it = models.find(m);
    if (it == models.end()) it = models.emplace(m, model_run(s, params, m, opts.seed)).first;
    return it->second;
  };
  Duration longest{};
  std::size_t name_width = 4;
  // A light scenario measures and reports itself: no model run.
  for (auto m : s.light ? std::vector<Mode>{} : opts.modes) {
    const auto& model = model_of(m);
    if (model.failure) break; // the real run reports it
    longest = std::max(longest, model.elapsed);
    name_width = std::max(name_width, LivePrinter::name_width_for(model.recorder));
  }
  std::optional<Duration> sync_model;
  if (s.supports(Mode::sync) && !s.light) sync_model = model_of(Mode::sync).elapsed;

  const bool several = opts.modes.size() > 1;
  std::vector<RunResult> runs;
  runs.reserve(opts.modes.size());
  for (auto m : opts.modes) {
    if (several) fmt::print(out, "{}\n", mode_header(m, opts.style));
    std::fflush(out);
    LivePrinter printer(out, opts.style, longest, name_width);
    runs.push_back(run_scenario(s, params, RunOptions{m, opts.clock, opts.speed, true, opts.seed},
                                std::move(printer)));
    const auto& r = runs.back();
    if (r.interrupted) {
      fmt::print(out, "\n{}\n", interrupted_line(r, opts.style));
      return SessionOutcome::interrupted;
    }
    if (r.failure) {
      std::fflush(out);
      fmt::print(err, "asyncdemo: {} --mode={} failed: {}\n", s.name, to_string(m),
                 describe(r.failure));
      return SessionOutcome::failed;
    }
    if (several)
      fmt::print(out, "\n");
    else if (!s.light)
      fmt::print(out, "\n{}\n", summary_line(r, model_of(m).elapsed, sync_model, opts.style));
  }
  if (several && !s.light) {
    std::vector<Comparison> rows;
    for (const auto& r : runs)
      rows.push_back(Comparison{&r, model_of(r.mode).elapsed});
    fmt::print(out, "{}\n", mode_table(rows, opts.style));
    if (auto line = closing_line(rows, opts.style); !line.empty()) fmt::print(out, "{}\n", line);
  }
  return SessionOutcome::ok;
}

} // namespace asyncdemo
