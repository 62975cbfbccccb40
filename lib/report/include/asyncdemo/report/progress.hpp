#pragma once
// Progress on long work, as hyperfine shows it: a bar on stderr, only on a
// terminal, with an estimate of the time left. The estimate for --runs
// follows each run's model (its exact time, scaled by --speed), corrected by
// how far the runs so far were from theirs.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace asyncdemo {

class RunsEstimate {
public:
  // The planned wall seconds of every run, in the order they run.
  explicit RunsEstimate(std::vector<double> planned);
  // Run `index` ended after `actual` wall seconds.
  void ended(std::size_t index, double actual);
  // The fraction done, `elapsed` seconds into run `index` (the next to end).
  double fraction(std::size_t index, double elapsed) const;
  // The seconds left, `elapsed` seconds into the next run to end.
  double seconds_left(double elapsed) const;

private:
  double ratio() const; // actual / planned so far (1 before any run ends)
  std::vector<double> planned_;
  double planned_total_ = 0, planned_done_ = 0, actual_done_ = 0;
};

// "label  [#########...........]  3.2 s left", fitted to `width` columns
// (the bar shrinks first, then goes); no estimate: no "left".
std::string progress_line(std::string_view label, double fraction,
                          std::optional<double> seconds_left, std::size_t width);

} // namespace asyncdemo
