#include "asyncdemo/report/live.hpp"

#include "asyncdemo/report/detail/text.hpp"

#include <fmt/format.h>

#include <array>

namespace asyncdemo {

namespace {

using report_detail::dim;
using report_detail::pad;
using report_detail::paint;
using report_detail::task_colour;

} // namespace

LivePrinter::LivePrinter(std::FILE* out, Style style, Duration longest, std::size_t name_width,
                         bool verbose, std::FILE* err)
    : out_(out), err_(err), style_(style),
      time_width_(static_cast<int>(fmt::format("{:.3f}", to_seconds(longest)).size())),
      name_width_(name_width), verbose_(verbose) {}

std::size_t LivePrinter::name_width_for(const Recorder& model, bool verbose) {
  std::size_t w = 4;
  for (const auto& e : model.events())
    if (verbose || e.kind == EventKind::print)
      w = std::max(w, report_detail::columns(model.task_name(e.task)));
  return w;
}

void LivePrinter::operator()(const RecordedEvent& e, const Recorder& rec) {
  if (e.kind != EventKind::print && e.kind != EventKind::warning && !verbose_) return;
  const auto time = fmt::format("{:>{}.3f} s", to_seconds(e.time), time_width_);
  const auto name = pad(rec.task_name(e.task), name_width_);
  if (e.kind == EventKind::warning) { // plain: stderr may not be the terminal stdout is
    std::fflush(out_);
    fmt::print(err_, "{}  {}  {}\n", time, name, e.text);
    return;
  }
  if (e.kind == EventKind::print) {
    fmt::print(out_, "{}  {}  {}\n", paint(style_, dim, time),
               paint(style_, task_colour(e.task), name), e.text);
  } else {
    // The loop's view, by the kind's own name so that new kinds show too.
    auto what = fmt::format("· {}{}{}", to_string(e.kind), e.text.empty() ? "" : ": ", e.text);
    // Where the program's code was: its frames, outermost first.
    if (rec.source_followed())
      if (const auto& chain = rec.chain_at(rec.index_of(e)); !chain.empty()) {
        what += " · at ";
        for (std::size_t i = 0; i < chain.size(); ++i)
          what += fmt::format("{}{}:{}", i ? " → " : "", chain[i].function, chain[i].line);
      }
    fmt::print(out_, "{}  {}  {}\n", paint(style_, dim, time),
               paint(style_, task_colour(e.task), name), paint(style_, dim, what));
  }
  std::fflush(out_); // lines appear as they happen, even into a pipe
}

} // namespace asyncdemo
