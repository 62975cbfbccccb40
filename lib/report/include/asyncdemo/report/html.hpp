#pragma once
// --html=FILE: one self-contained page that replays a run in a browser (its
// style, script and data inline; nothing fetched, so it opens from file://).
// The timeline (svg.hpp) with a cursor on it, and beside it the loop at the
// cursor: the caption, what ran, the ready queue, the timers, each task's
// state, the output so far. Play, pause, step, back, speed, a scrubber,
// keys; with --mode=all every mode on one time scale, each with its time
// and its speedup against sync beside its timeline. The page's template,
// style and script are lib/report/replay/.
#include "asyncdemo/run/runner.hpp"

#include <optional>
#include <string>
#include <vector>

namespace asyncdemo {

struct ReplayPage {
  std::string title;                  // "breakfast: coffee (1 s prep + 5 s wait) and eggs ..."
  std::string subtitle;               // "breakfast · 5 modes · virtual clock · seed 2024"
  std::vector<const RunResult*> runs; // each recorded with snapshots
  Mode first = Mode::gather;          // the mode shown first
  // What the speedups beside the timelines are against when sync did not run.
  std::optional<Duration> sync_model;
  double scale = 1; // the root font size, times this (--scale)
  // Each run's program as --python prints it for its mode (by the runs'
  // order): shown beside the loop, the tasks' lines marked. Empty: none.
  std::vector<std::string> programs;
};

std::string replay_html(const ReplayPage& page);

} // namespace asyncdemo
