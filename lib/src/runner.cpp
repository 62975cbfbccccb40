#include "asyncdemo/runner.hpp"

#include "asyncdemo/task.hpp"

namespace asyncdemo {

RunResult run_scenario(const Scenario& s, const Params& params, const RunOptions& opts,
                       Recorder::Sink sink) {
  LoopConfig cfg;
  cfg.clock = opts.clock;
  cfg.speed = opts.speed;
  cfg.sleep_blocks = opts.mode == Mode::sync;
  cfg.handle_sigint = opts.handle_sigint;
  cfg.light = s.light;
  Loop loop(cfg);
  loop.recorder().set_sink(std::move(sink));

  RunResult r;
  r.mode = opts.mode;
  r.clock = opts.clock;
  r.speed = opts.speed;
  if (s.random) r.seed = opts.seed;
  const Context ctx{opts.mode, params, opts.seed};
  try {
    loop.run(s.main(ctx));
  } catch (...) {
    if (!loop.interrupted()) r.failure = std::current_exception();
  }
  r.interrupted = loop.interrupted();
  r.elapsed = loop.now();
  r.wall = loop.wall_elapsed();
  loop.recorder().set_sink({});
  r.recorder = std::move(loop.recorder());
  return r;
}

} // namespace asyncdemo
