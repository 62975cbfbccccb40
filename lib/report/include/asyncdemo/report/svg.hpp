#pragma once
// --svg=FILE: the timeline as an SVG image, for slides and handouts. The
// same chart as --timeline (one row per task, the same states and end
// marks, a time axis, a legend), drawn with shapes: blocking the loop a full
// bar, running a lighter one, awaiting a thin line, ready a dotted one; |
// done, x cancelled, ! failed. With --mode=all the modes stack, on one time
// scale. The --html replay draws its timeline with it too.
#include "asyncdemo/run/runner.hpp"

#include <string>
#include <vector>

namespace asyncdemo {

struct SvgRun {
  std::string title; // the section's heading ("gather"); none for a lone run
  const RunResult* run = nullptr;
};

struct SvgOptions {
  std::string caption;    // the line above the chart ("breakfast --mode=all · virtual clock")
  bool standalone = true; // an XML document of its own (false: inline in HTML)
};

// The chart of `runs`, stacked, the axis running from 0 to `scale`.
std::string svg_timeline(const std::vector<SvgRun>& runs, Duration scale,
                         const SvgOptions& options = {});

// Text made safe for XML and HTML: escaped, and any character XML cannot
// hold (a control character, invalid UTF-8) replaced by U+FFFD.
std::string xml_text(std::string_view text);

} // namespace asyncdemo
