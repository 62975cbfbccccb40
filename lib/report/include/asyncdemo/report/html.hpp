#pragma once
// --html=FILE: one self-contained page that replays a run in a browser (its
// style, script and data inline; nothing fetched, so it opens from file://).
// The timeline (svg.hpp) with a cursor on it, and beside it the loop at the
// cursor: the caption, what ran, the ready queue, the timers, each task's
// state, the output so far. Play, pause, step, back, speed, a scrubber,
// keys; with --mode=all every mode on one time scale. The page's template,
// style and script are lib/report/replay/.
#include "asyncdemo/run/runner.hpp"

#include <string>
#include <vector>

namespace asyncdemo {

struct ReplayPage {
  std::string title;                  // "breakfast --mode=all"
  std::string subtitle;               // "virtual clock · seed 2024"
  std::vector<const RunResult*> runs; // each recorded with snapshots
  Mode first = Mode::gather;          // the mode shown first
};

std::string replay_html(const ReplayPage& page);

} // namespace asyncdemo
