// --expect=FILE: the lines each run prints (their text alone, as the
// --python program prints them: no time, no task, no narration, no
// warning) must be the file's lines, in order; with --expect-tolerance, the
// numbers in them within that much of each other. The file is read before the
// run; the first difference is shown as a diff, and the session ends with
// exit status 3.
#include "asyncdemo/report/expect.hpp"

#include "asyncdemo/text/quote.hpp"

#include "outputs.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>

namespace asyncdemo {

std::vector<std::string> lines_of(std::string_view text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    auto line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    out.emplace_back(line);
    start = end + 1;
  }
  return out;
}

namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// The length of the number at text[i], or 0 if none starts there.
std::size_t number_at(std::string_view text, std::size_t i) {
  // Inside a word ("task12", "job-1") a digit or a minus is not a number's start.
  if (i > 0) {
    const char before = text[i - 1];
    if (std::isalnum(static_cast<unsigned char>(before)) || before == '_') return 0;
    if (text[i] == '-' && (before == ')' || before == ']')) return 0;
    // "job-1": the digits of a name after its hyphen.
    if (before == '-' && i > 1 &&
        (std::isalnum(static_cast<unsigned char>(text[i - 2])) || text[i - 2] == '_'))
      return 0;
  }
  std::size_t k = i;
  if (k < text.size() && text[k] == '-') ++k;
  const auto digits = [&] {
    const auto from = k;
    while (k < text.size() && is_digit(text[k]))
      ++k;
    return k - from;
  };
  auto whole = digits();
  std::size_t fraction = 0;
  if (k < text.size() && text[k] == '.' && k + 1 < text.size() && is_digit(text[k + 1])) {
    ++k;
    fraction = digits();
  }
  if (whole + fraction == 0) return 0;
  if (k < text.size() && (text[k] == 'e' || text[k] == 'E')) {
    auto e = k + 1;
    if (e < text.size() && (text[e] == '+' || text[e] == '-')) ++e;
    if (e < text.size() && is_digit(text[e])) {
      k = e;
      digits();
    }
  }
  return k - i;
}

double value_of(std::string_view number) {
  double v = 0;
  std::from_chars(number.data(), number.data() + number.size(), v);
  return v;
}

} // namespace

bool same_within(std::string_view a, std::string_view b, double tolerance) {
  // Decimal fractions are not exact in binary: "3.1" and "3.0" are 0.1 apart.
  const double slack = tolerance * (1 + 1e-9) + 1e-12;
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    const auto na = number_at(a, i), nb = number_at(b, j);
    if (na && nb) {
      const auto x = a.substr(i, na), y = b.substr(j, nb);
      if (x != y && !(std::fabs(value_of(x) - value_of(y)) <= slack)) return false;
      i += na, j += nb;
      continue;
    }
    if (na || nb || a[i] != b[j]) return false;
    ++i, ++j;
  }
  return i == a.size() && j == b.size();
}

std::string first_difference(const std::vector<std::string>& a_lines,
                             const std::vector<std::string>& b, const std::string& a_name,
                             const std::string& b_name, std::size_t max_lines,
                             const SameLine& same) {
  // With a looser sameness, an expected line the printed one matches is
  // taken as printed: the diff then shows only what truly differs.
  std::vector<std::string> matched;
  if (same) {
    matched = a_lines;
    for (std::size_t k = 0; k < matched.size() && k < b.size(); ++k)
      if (matched[k] != b[k] && same(matched[k], b[k])) matched[k] = b[k];
  }
  const auto& a = same ? matched : a_lines;
  std::size_t first = 0;
  while (first < a.size() && first < b.size() && a[first] == b[first])
    ++first;
  if (first == a.size() && first == b.size()) return {};
  // The longest common subsequence of what follows, within a window: enough
  // for the first hunk, whatever the length of the files.
  constexpr std::size_t window = 200;
  const auto n = std::min(window, a.size() - first), m = std::min(window, b.size() - first);
  std::vector<std::vector<unsigned>> lcs(n + 1, std::vector<unsigned>(m + 1, 0));
  for (std::size_t i = n; i-- > 0;)
    for (std::size_t j = m; j-- > 0;)
      lcs[i][j] = a[first + i] == b[first + j] ? lcs[i + 1][j + 1] + 1
                                               : std::max(lcs[i + 1][j], lcs[i][j + 1]);
  const std::size_t context = 3;
  const auto before = std::min(first, context);
  std::vector<std::string> hunk;
  for (std::size_t k = first - before; k < first; ++k)
    hunk.push_back(" " + visible(a[k]));
  std::size_t i = 0, j = 0, a_count = before, b_count = before, same_run = 0;
  while ((i < n || j < m) && same_run < context) {
    if (i < n && j < m && a[first + i] == b[first + j] && lcs[i][j] == lcs[i + 1][j + 1] + 1) {
      hunk.push_back(" " + visible(a[first + i]));
      ++i, ++j, ++a_count, ++b_count, ++same_run;
    } else if (j == m || (i < n && lcs[i + 1][j] >= lcs[i][j + 1])) {
      hunk.push_back("-" + visible(a[first + i]));
      ++i, ++a_count, same_run = 0;
    } else {
      hunk.push_back("+" + visible(b[first + j]));
      ++j, ++b_count, same_run = 0;
    }
  }
  // A hunk's start is 1-based; an empty side starts at the line before it.
  const auto start = [&](std::size_t count) { return count ? first - before + 1 : first - before; };
  std::string out = fmt::format("--- {}\n+++ {}\n@@ -{},{} +{},{} @@\n", a_name, b_name,
                                start(a_count), a_count, start(b_count), b_count);
  for (std::size_t k = 0; k < hunk.size() && k < max_lines; ++k)
    out += hunk[k] + "\n";
  if (hunk.size() > max_lines) out += fmt::format("… ({} more lines)\n", hunk.size() - max_lines);
  return out;
}

namespace {

class ExpectReporter final : public Reporter {
public:
  ExpectReporter(std::string path, std::vector<std::string> expected, double tolerance)
      : path_(std::move(path)), expected_(std::move(expected)), tolerance_(tolerance) {}
  void session_begins(const SessionView& v) override { view_ = &v; }
  void run_ended(const RunResult& r, int index) override {
    if (!r.ok() || !difference_.empty()) return;
    std::vector<std::string> printed;
    for (const auto& line : r.recorder.printed_lines())
      for (auto& part : lines_of(line + "\n")) // a print of "a\nb" is two lines
        printed.push_back(std::move(part));
    const auto title = run_title(*view_, r.mode) +
                       (view_->plan.runs > 1 ? fmt::format(" (run {})", index + 1) : "");
    SameLine same;
    if (tolerance_ > 0)
      same = [t = tolerance_](const std::string& a, const std::string& b) {
        return same_within(a, b, t);
      };
    const auto diff = first_difference(expected_, printed, path_, title, 40, same);
    if (!diff.empty())
      difference_ = fmt::format(
          "--expect: {} printed other lines than {}{}:\n{}", title, quote(path_),
          tolerance_ > 0 ? fmt::format(" (numbers within {:g})", tolerance_) : std::string(), diff);
  }
  std::string unmet() const override {
    if (!difference_.empty() && difference_.back() == '\n')
      return difference_.substr(0, difference_.size() - 1);
    return difference_;
  }

private:
  std::string path_;
  std::vector<std::string> expected_;
  double tolerance_ = 0; // --expect-tolerance: 0 compares the lines exactly
  const SessionView* view_ = nullptr;
  std::string difference_;
};

} // namespace

std::unique_ptr<Reporter> make_expect_reporter(const RunPlan& plan, std::FILE*,
                                               std::string& error) {
  const auto& path = *plan.expect;
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  // Lines to compare with are a few kilobytes; a cap keeps a wrong file
  // (a disk image, /dev/zero) from being read whole.
  constexpr std::size_t cap = 16 << 20;
  if (in) {
    std::string chunk(1 << 16, '\0');
    std::size_t total = 0;
    while (in.read(chunk.data(), static_cast<std::streamsize>(chunk.size())) || in.gcount() > 0) {
      total += static_cast<std::size_t>(in.gcount());
      if (total > cap) {
        error = fmt::format("--expect: {} is larger than 16 MiB; give a file of the lines the run "
                            "should print",
                            quote(path));
        return nullptr;
      }
      text.write(chunk.data(), in.gcount());
    }
  }
  if (!in.eof()) {
    error = fmt::format("--expect: cannot read {}: {}", quote(path),
                        errno ? std::strerror(errno) : "not a readable file");
    return nullptr;
  }
  return std::make_unique<ExpectReporter>(path, lines_of(text.str()), plan.expect_tolerance);
}

} // namespace asyncdemo
