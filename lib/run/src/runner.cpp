#include "asyncdemo/run/runner.hpp"

#include "asyncdemo/errors.hpp"
#include "asyncdemo/process/memory.hpp"
#include "asyncdemo/task.hpp"

#include <new>

namespace asyncdemo {

RunResult run_scenario(const Scenario& s, const Params& params, const RunOptions& opts,
                       Recorder::Sink sink) {
  RunResult r;
  r.mode = opts.mode;
  r.clock = opts.clock;
  r.speed = opts.speed;
  if (s.random) r.seed = opts.seed;
  // A light scenario's million tasks are not recorded one by one.
  r.recorder = Recorder(!s.light);
  r.recorder.set_sink(std::move(sink));
  r.recorder.keep_snapshots(opts.snapshots);
  // An interpreted program (a scenario file, a .py) tells where its code is.
  r.recorder.set_source_followed(!s.light && !s.source.empty());

  LoopConfig cfg;
  cfg.clock = opts.clock;
  cfg.speed = opts.speed;
  cfg.sleep_blocks = composition_of(opts.mode).blocking;
  cfg.interrupts = opts.interrupts;
  cfg.observer = &r.recorder;
  cfg.workers = opts.workers;
  {
    Loop loop(cfg);
    // A run that reaches what it may keep stops there (what it printed so
    // far is shown, and why it stopped).
    r.recorder.set_on_full([&loop](std::exception_ptr why) { loop.stop_with(std::move(why)); });
    const Context ctx{opts.mode,  params,  opts.seed,
                      &r.figures, nullptr, s.light ? nullptr : &r.recorder};
    try {
      loop.run(s.main(ctx));
    } catch (...) {
      // Memory that ran out is the process's to say (memory.hpp), not the
      // program's failure.
      if (is_out_of_memory(std::current_exception())) throw;
      if (!loop.interrupted()) r.failure = std::current_exception();
    }
    // Even where the program caught it and went on (and so, say, waited for
    // ever on what was never made).
    if (memory::exhausted()) throw std::bad_alloc();
    r.interrupted = loop.interrupted();
    r.elapsed = loop.now();
    r.recorder.run_over(r.elapsed);
    r.recorder.set_probe({}); // the interpreter it asked is gone
    r.wall = loop.wall_elapsed();
    r.executor_used = loop.executor_workers() > 0;
    r.workers = r.executor_used ? loop.executor_workers() : opts.workers;
    r.workers_given = opts.workers > 0;
  }
  r.recorder.set_sink({});
  r.recorder.set_on_full({});
  return r;
}

} // namespace asyncdemo
