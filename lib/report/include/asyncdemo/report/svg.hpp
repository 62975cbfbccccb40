#pragma once
// --svg=FILE: the timeline as an SVG image, for slides and handouts. The
// same chart as --timeline (one row per task, the same states and end
// marks, a time axis, a legend), drawn with shapes: blocking the loop a full
// bar, running a lighter one, awaiting a thin line, ready a dotted one; |
// done, x cancelled, ! failed. With --mode=all the modes stack, on one time
// scale. Beside each mode's timeline its figures: the time it took and its
// speedup against sync (as text, and as data-elapsed and data-speedup on
// its section). The --html replay draws its timeline with it too.
#include "asyncdemo/run/runner.hpp"

#include <optional>
#include <string>
#include <vector>

namespace asyncdemo {

struct SvgRun {
  std::string title; // the section's heading ("gather"); none for a lone run
  const RunResult* run = nullptr;
  // How many times faster than sync it ran (sync's run, else its model);
  // none when there is nothing to compare with.
  std::optional<double> speedup;
};

struct SvgOptions {
  std::string caption;    // the heading above the chart ("breakfast: coffee and eggs ...")
  std::string subtitle;   // the line under it ("breakfast · 5 modes · virtual clock")
  bool standalone = true; // an XML document of its own (false: inline in HTML)
  double scale = 1;       // the image's width and height, times this (--scale)
};

// A run's figures as the chart writes them beside its timeline: "6.000 s ·
// 1.67 × faster than sync", "10.000 s · sync, the baseline".
std::string run_figures(const SvgRun& run);

// Each first run's speedup against sync, as the reports reckon it: sync's
// own run when it is among them, else `sync_model`.
std::vector<SvgRun> svg_runs(const std::vector<const RunResult*>& runs, bool headed,
                             std::optional<Duration> sync_model);

// The chart of `runs`, stacked, the axis running from 0 to `scale`.
std::string svg_timeline(const std::vector<SvgRun>& runs, Duration scale,
                         const SvgOptions& options = {});

// Text made safe for XML and HTML: escaped, and any character XML cannot
// hold (a control character, invalid UTF-8) replaced by U+FFFD.
std::string xml_text(std::string_view text);

} // namespace asyncdemo
