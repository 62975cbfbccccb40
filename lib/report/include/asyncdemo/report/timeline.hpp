#pragma once
// --timeline: a terminal Gantt chart of a run. One row per task, a time axis
// with labelled ticks, one mark per state (# blocking the loop, = running,
// - awaiting, . ready), the moment each task ended (| done, x cancelled,
// ! failed) and a legend. Plain ASCII: readable without colour.
#include "asyncdemo/run/recorder.hpp"

#include <cstddef>
#include <string>

namespace asyncdemo {

// The chart of `rec` in `width` columns. The axis runs from 0 to `scale`
// (the run's elapsed time, or the longest of several runs, so that their
// charts compare); a zero scale (a run that took no time) draws as 1 ms.
// Names take `name_width` columns at least (the same for charts that compare).
// Charts drawn one after another need the legend only once, under the last.
std::string timeline(const Recorder& rec, Duration scale, std::size_t width,
                     std::size_t name_width = 4, bool with_legend = true);

// What one column stands for: the shortest round duration (1, 2, 5 × 10^k up
// to a minute, then minutes, hours, days) that fits `scale` in `cells`.
Duration column_duration(Duration scale, std::size_t cells);
// A round tick step, a whole number of columns, wide enough for its labels.
Duration tick_step(Duration column, std::size_t cells);

// "0 s", "1.5 s", "2 min": a tick's label in the unit that `scale` (the end
// of the axis) reads best in.
std::string tick_label(Duration tick, Duration scale);

} // namespace asyncdemo
