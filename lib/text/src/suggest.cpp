#include "asyncdemo/text/suggest.hpp"

#include <algorithm>
#include <cctype>
#include <numeric>

namespace asyncdemo {

// Damerau-Levenshtein (optimal string alignment): a swap of two letters,
// the commonest typo, costs one. Three rows of the table are all it reads.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  const std::size_t n = a.size(), m = b.size();
  const auto eq = [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  };
  std::vector<std::size_t> before(m + 1), last(m + 1), row(m + 1); // rows i-2, i-1, i
  std::iota(last.begin(), last.end(), std::size_t{0});
  for (std::size_t i = 1; i <= n; ++i) {
    row[0] = i;
    for (std::size_t j = 1; j <= m; ++j) {
      const std::size_t cost = eq(a[i - 1], b[j - 1]) ? 0 : 1;
      row[j] = std::min({last[j] + 1, row[j - 1] + 1, last[j - 1] + cost});
      if (i > 1 && j > 1 && eq(a[i - 1], b[j - 2]) && eq(a[i - 2], b[j - 1]))
        row[j] = std::min(row[j], before[j - 2] + 1);
    }
    std::swap(before, last);
    std::swap(last, row);
  }
  return last[m];
}

std::optional<std::string> closest(std::string_view typed, const std::vector<std::string>& known) {
  const std::size_t limit = std::max<std::size_t>(2, typed.size() / 3);
  std::optional<std::string> best;
  std::size_t best_d = 0;
  for (const auto& k : known) {
    // A prefix ("break" for "breakfast") counts as close.
    const bool prefix = typed.size() >= 3 && k.rfind(typed, 0) == 0;
    // Lengths further apart than the limit are further apart than it in
    // edits too: a 128 KB argument is not compared letter by letter.
    const auto apart = typed.size() > k.size() ? typed.size() - k.size() : k.size() - typed.size();
    if (!prefix && apart > limit) continue;
    const std::size_t dist = prefix ? 1 : edit_distance(typed, k);
    if (!best || dist < best_d) {
      best = k;
      best_d = dist;
    }
  }
  if (best && best_d <= limit) return best;
  return std::nullopt;
}

} // namespace asyncdemo
