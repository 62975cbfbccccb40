#pragma once
// Seed 003's pieces, shared by random-add and pitfalls: the --delays
// parameter, random_number_list and the seed's way of printing a sum.
#include "asyncdemo/script/random.hpp"
#include "asyncdemo/teach/params.hpp"
#include "asyncdemo/teach/scenario.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <numeric>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace asyncdemo::seed003 {

// Beyond an hour a demo is no longer a demo (and the real clock would wait).
inline constexpr double max_delay = 3600;

inline constexpr ListOf delays_list{"delay", "delays", "seconds separated by commas", "5,8,2"};

// "5,8,2" as seconds; nothing, with why, if it is not a list of numbers
// from 0 to max_delay.
inline std::optional<std::vector<double>> parse_delays(std::string_view text, std::string& why) {
  const auto items = list_items(text, delays_list, why);
  if (!items) return std::nullopt;
  std::vector<double> out;
  for (const auto& item : *items) {
    const auto v = parse_number(item);
    if (!v || *v < 0 || *v > max_delay) {
      why = fmt::format("{} is not a list of delays; use seconds from 0 to {:g} separated by "
                        "commas, e.g. --delays 5,8,2",
                        quote(text), max_delay);
      return std::nullopt;
    }
    out.push_back(*v);
  }
  return out;
}

inline Param delays_param(std::string help) {
  return Param{
      .name = "delays",
      .help = std::move(help),
      .default_value = "5,8,2",
      .check = [](std::string_view text) -> std::string {
        std::string why;
        parse_delays(text, why);
        return why;
      },
      .kind = "LIST",
  };
}

inline std::vector<double> delays(const Context& ctx) {
  std::string why;
  return *parse_delays(ctx.params.get("delays"), why);
}

// The seed only says "this retrieves a list of random ints"; ours draws how
// many (3 to 6), then each (1 to 10), in the order the Python below does.
inline std::vector<long long> random_number_list(Random& rng) {
  std::vector<long long> n(static_cast<std::size_t>(rng.randint(3, 6)));
  for (auto& x : n)
    x = rng.randint(1, 10);
  return n;
}

inline constexpr std::string_view random_number_list_python = R"(def random_number_list():
    # 3 to 6 random ints from 1 to 10
    return [random.randint(1, 10) for _ in range(random.randint(3, 6))]
)";

// The seed's line, "Sum([3, 7, 1]) = 11", with Python's spelling of a list.
inline std::string sum_line(const std::vector<long long>& n) {
  return fmt::format("Sum([{}]) = {}", fmt::join(n, ", "),
                     std::accumulate(n.begin(), n.end(), 0LL));
}

} // namespace asyncdemo::seed003
