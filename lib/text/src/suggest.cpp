#include "asyncdemo/text/suggest.hpp"

#include <algorithm>
#include <cctype>
#include <numeric>

namespace asyncdemo {

// Damerau-Levenshtein (optimal string alignment): a swap of two letters,
// the commonest typo, costs one.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  const std::size_t n = a.size(), m = b.size();
  std::vector<std::vector<std::size_t>> d(n + 1, std::vector<std::size_t>(m + 1));
  for (std::size_t i = 0; i <= n; ++i)
    d[i][0] = i;
  for (std::size_t j = 0; j <= m; ++j)
    d[0][j] = j;
  for (std::size_t i = 1; i <= n; ++i)
    for (std::size_t j = 1; j <= m; ++j) {
      const auto eq = [](char x, char y) {
        return std::tolower(static_cast<unsigned char>(x)) ==
               std::tolower(static_cast<unsigned char>(y));
      };
      const std::size_t cost = eq(a[i - 1], b[j - 1]) ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && eq(a[i - 1], b[j - 2]) && eq(a[i - 2], b[j - 1]))
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[n][m];
}

std::optional<std::string> closest(std::string_view typed, const std::vector<std::string>& known) {
  std::optional<std::string> best;
  std::size_t best_d = 0;
  for (const auto& k : known) {
    // A prefix ("break" for "breakfast") counts as close.
    const bool prefix = typed.size() >= 3 && k.rfind(typed, 0) == 0;
    const std::size_t dist = prefix ? 1 : edit_distance(typed, k);
    if (!best || dist < best_d) {
      best = k;
      best_d = dist;
    }
  }
  const std::size_t limit = std::max<std::size_t>(2, typed.size() / 3);
  if (best && best_d <= limit) return best;
  return std::nullopt;
}

} // namespace asyncdemo
