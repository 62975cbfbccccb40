// --svg=FILE: the timeline drawn as SVG, and the reporter that writes it at
// the end of the session. The spans are the ones --timeline and --trace
// draw (spans.hpp); the ticks are --timeline's round steps.
#include "asyncdemo/report/svg.hpp"

#include "asyncdemo/report/output_file.hpp"
#include "asyncdemo/report/spans.hpp"
#include "asyncdemo/report/summary.hpp"
#include "asyncdemo/report/timeline.hpp"
#include "asyncdemo/text/units.hpp"

#include "outputs.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdint>

namespace asyncdemo {

namespace {

// The geometry, in pixels.
constexpr double pad = 16;
constexpr double char_w = 7.8; // of the 13 px monospace the names are in
constexpr double plot_w = 720;
constexpr double row_h = 22;
constexpr double axis_h = 26;
constexpr double heading_h = 24;
constexpr double gap = 14;
constexpr double legend_h = 20;
constexpr std::size_t max_name = 24; // columns; longer names are cut

constexpr const char* font = "DejaVu Sans Mono, Menlo, Consolas, monospace";

struct Mark {
  const char* css; // class
  const char* colour;
  double height; // of the bar (0: a dotted line)
  const char* words;
};
// By SpanKind: ready, running, blocking, awaiting, waiting (--timeline's words).
constexpr std::array<Mark, 5> marks{{
    {"ready", "#8d99ae", 0, "ready, waiting for the loop"},
    {"running", "#66a182", 10, "running"},
    {"blocking", "#d1495b", 16, "blocking the loop"},
    {"awaiting", "#00798c", 4, "awaiting (a timer or a task)"},
    {"waiting", "#edae49", 6, "waiting on a primitive (Lock, Queue, Event, ...)"},
}};

std::string num(double v) {
  return fmt::format("{:.1f}", v);
}

// Columns of UTF-8 text.
std::size_t columns(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string cut(const std::string& name) {
  if (columns(name) <= max_name) return name;
  std::string out;
  std::size_t cols = 0;
  for (char c : name) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80 && ++cols > max_name - 1) break;
    out += c;
  }
  return out + "…";
}

} // namespace

std::string xml_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  const auto bad = "\xef\xbf\xbd"; // U+FFFD
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        if (c < 0x20 || c == 0x7F)
          out += bad;
        else
          out += static_cast<char>(c);
      }
      ++i;
      continue;
    }
    // A whole, shortest, valid UTF-8 sequence of a character XML allows.
    const std::size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
    std::uint32_t cp = len == 4 ? c & 0x07u : len == 3 ? c & 0x0Fu : c & 0x1Fu;
    bool ok = len > 0 && c < 0xF5 && i + len <= text.size();
    for (std::size_t k = 1; ok && k < len; ++k) {
      const auto cc = static_cast<unsigned char>(text[i + k]);
      ok = (cc & 0xC0) == 0x80;
      cp = (cp << 6) | (cc & 0x3Fu);
    }
    ok = ok && !(len == 3 && cp < 0x800) && !(len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) &&
         !(cp >= 0xD800 && cp <= 0xDFFF) && cp != 0xFFFE && cp != 0xFFFF;
    if (ok) {
      out.append(text.substr(i, len));
      i += len;
    } else {
      out += bad;
      ++i;
    }
  }
  return out;
}

std::string run_figures(const SvgRun& r) {
  const auto& run = *r.run;
  const auto elapsed = format_seconds(run.elapsed);
  if (run.interrupted) return "interrupted at " + elapsed;
  if (run.failure) return "failed at " + elapsed;
  if (run.mode == Mode::sync && (!r.speedup || *r.speedup == 1.0))
    return elapsed + " · sync, the baseline";
  if (!r.speedup) return elapsed;
  return elapsed + " · " + versus_sync(Ratio{*r.speedup, 0}, 0, false, Style{});
}

std::vector<SvgRun> svg_runs(const std::vector<const RunResult*>& runs, bool headed,
                             std::optional<Duration> sync_model) {
  std::optional<Duration> base = sync_model;
  for (const auto* r : runs)
    if (r->mode == Mode::sync && r->ok()) base = r->elapsed;
  std::vector<SvgRun> out;
  for (const auto* r : runs) {
    SvgRun s{headed ? std::string(to_string(r->mode)) : std::string(), r, std::nullopt};
    if (base && r->ok() && r->elapsed.count() > 0)
      s.speedup = to_seconds(*base) / to_seconds(r->elapsed);
    out.push_back(std::move(s));
  }
  return out;
}

std::string svg_timeline(const std::vector<SvgRun>& runs, Duration scale,
                         const SvgOptions& options) {
  if (scale <= Duration::zero()) scale = std::chrono::milliseconds(1);
  std::size_t name_cols = 4;
  for (const auto& r : runs)
    for (const auto& t : r.run->recorder.tasks())
      name_cols = std::max(name_cols, std::min(columns(t.name), max_name));
  const double x0 = pad + static_cast<double>(name_cols) * char_w + 14;
  // Wide enough for the heading too (15 px bold monospace: 9 px a character).
  const double width =
      std::max(x0 + plot_w + 48, 2 * pad + 9.0 * static_cast<double>(columns(options.caption)));
  auto x_of = [&](Duration t) { return x0 + plot_w * (to_seconds(t) / to_seconds(scale)); };

  // Ticks as --timeline chooses them: a round step, about 70 px apart.
  const auto tick = column_duration(scale, static_cast<std::size_t>(plot_w / 70));

  std::string body;
  double y = pad;
  bool any_waiting = false; // a task waited on a primitive: its mark joins the legend
  if (!options.caption.empty()) {
    body += fmt::format("<text class=\"caption\" x=\"{}\" y=\"{}\" font-size=\"15\" "
                        "font-weight=\"bold\">{}</text>\n",
                        num(pad), num(y + 15), xml_text(options.caption));
    y += 24;
  }
  if (!options.subtitle.empty()) {
    body += fmt::format("<text class=\"subtitle\" x=\"{}\" y=\"{}\" font-size=\"12\" "
                        "fill=\"#5c6070\">{}</text>\n",
                        num(pad), num(y + 12), xml_text(options.subtitle));
    y += 20;
  }
  if (!options.caption.empty() || !options.subtitle.empty()) y += 8;
  for (const auto& r : runs) {
    const auto& rec = r.run->recorder;
    const double top = y;
    std::string section;
    // The heading row: the mode's name, and its figures at the right.
    if (!r.title.empty())
      section += fmt::format("<text class=\"heading\" x=\"{}\" y=\"{}\" font-size=\"13\" "
                             "font-weight=\"bold\">{}</text>\n",
                             num(pad), num(y + 15), xml_text(r.title));
    section += fmt::format("<text class=\"figures\" x=\"{}\" y=\"{}\" font-size=\"13\" "
                           "text-anchor=\"end\" fill=\"#2b2d42\">{}</text>\n",
                           num(x0 + plot_w), num(y + 15), xml_text(run_figures(r)));
    y += heading_h;
    // The axis: labels over ticks, and a light line down through the rows.
    const double rows_top = y + axis_h;
    const double rows_bottom = rows_top + row_h * static_cast<double>(rec.tasks().size());
    section += fmt::format("<line class=\"axis\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" "
                           "stroke=\"#2b2d42\"/>\n",
                           num(x0), num(rows_top - 4), num(x0 + plot_w), num(rows_top - 4));
    for (Duration t{}; t <= scale; t += tick) {
      const double x = x_of(t);
      section += fmt::format(
          "<text class=\"tick\" x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"middle\" "
          "fill=\"#2b2d42\">{}</text>\n<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" "
          "stroke=\"#d9dce3\"/>\n",
          num(x), num(rows_top - 10), xml_text(tick_label(t, scale)), num(x), num(rows_top - 4),
          num(x), num(rows_bottom));
    }
    // One row per task, in the order they were made.
    const auto spans = task_spans(rec, r.run->elapsed);
    for (const auto& t : rec.tasks()) {
      const double mid = rows_top + row_h * static_cast<double>(t.id) + row_h / 2;
      section += fmt::format("<g class=\"task\" data-task=\"{}\">\n", xml_text(t.name));
      section += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"13\">{}</text>\n", num(pad),
                             num(mid + 4.5), xml_text(cut(t.name)));
      for (const auto& s : spans[static_cast<std::size_t>(t.id)]) {
        if (s.end <= s.begin) continue;
        if (s.kind == SpanKind::waiting) any_waiting = true;
        const auto& m = marks[static_cast<std::size_t>(s.kind)];
        const double a = x_of(s.begin), b = x_of(std::min(s.end, scale));
        if (m.height == 0)
          section += fmt::format("<line class=\"{}\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" "
                                 "stroke=\"{}\" stroke-width=\"2\" stroke-dasharray=\"2 3\"/>\n",
                                 m.css, num(a), num(mid), num(b), num(mid), m.colour);
        else
          section += fmt::format("<rect class=\"{}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" "
                                 "fill=\"{}\"/>\n",
                                 m.css, num(a), num(mid - m.height / 2), num(std::max(b - a, 0.5)),
                                 num(m.height), m.colour);
      }
      if (t.outcome != TaskOutcome::pending && t.finished.count() >= 0) {
        const double x = x_of(std::min(t.finished, scale));
        if (t.outcome == TaskOutcome::done)
          section += fmt::format("<line class=\"done\" x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" "
                                 "y2=\"{2}\" stroke=\"#2b2d42\" stroke-width=\"2\"/>\n",
                                 num(x), num(mid - 8), num(mid + 8));
        else if (t.outcome == TaskOutcome::cancelled)
          section += fmt::format("<path class=\"cancelled\" d=\"M{} {}L{} {}M{} {}L{} {}\" "
                                 "stroke=\"#2b2d42\" stroke-width=\"2\"/>\n",
                                 num(x - 5), num(mid - 5), num(x + 5), num(mid + 5), num(x + 5),
                                 num(mid - 5), num(x - 5), num(mid + 5));
        else
          section += fmt::format("<text class=\"failed\" x=\"{}\" y=\"{}\" font-size=\"16\" "
                                 "font-weight=\"bold\" text-anchor=\"middle\" "
                                 "fill=\"#d1495b\">!</text>\n",
                                 num(x), num(mid + 6));
      }
      section += "</g>\n";
    }
    y = rows_bottom;
    // The figures as data, exact, for a script or the page.
    std::string figures = fmt::format(" data-elapsed=\"{}\"", to_seconds(r.run->elapsed));
    if (r.speedup) figures += fmt::format(" data-speedup=\"{}\"", *r.speedup);
    body += fmt::format("<g class=\"run\" data-mode=\"{}\"{} data-y=\"{}\" data-rows-y=\"{}\" "
                        "data-height=\"{}\">\n{}</g>\n",
                        xml_text(r.title.empty() ? std::string(to_string(r.run->mode)) : r.title),
                        figures, num(top), num(rows_top), num(y - top), section);
    y += gap;
  }

  // The legend, wrapped to the width.
  struct Item {
    std::string mark; // the shape
    const char* words;
  };
  std::vector<Item> legend;
  for (std::size_t k : {2u, 1u, 3u, 4u, 0u}) { // --timeline's order: #, =, -, ~, .
    // (Waiting on a primitive only in the charts that have it, as --timeline.)
    if (k == 4 && !any_waiting) continue;
    const auto& m = marks[k];
    legend.push_back({m.height == 0
                          ? fmt::format("<line x1=\"0\" y1=\"0\" x2=\"18\" y2=\"0\" stroke=\"{}\" "
                                        "stroke-width=\"2\" stroke-dasharray=\"2 3\"/>",
                                        m.colour)
                          : fmt::format("<rect x=\"0\" y=\"{}\" width=\"18\" height=\"{}\" "
                                        "fill=\"{}\"/>",
                                        num(-m.height / 2), num(m.height), m.colour),
                      m.words});
  }
  legend.push_back({"<line x1=\"9\" y1=\"-8\" x2=\"9\" y2=\"8\" stroke=\"#2b2d42\" "
                    "stroke-width=\"2\"/>",
                    "done"});
  legend.push_back(
      {"<path d=\"M4 -5L14 5M14 -5L4 5\" stroke=\"#2b2d42\" stroke-width=\"2\"/>", "cancelled"});
  legend.push_back({"<text x=\"9\" y=\"6\" font-size=\"16\" font-weight=\"bold\" "
                    "text-anchor=\"middle\" fill=\"#d1495b\">!</text>",
                    "failed"});
  std::string legend_svg;
  double lx = pad, ly = y + 8;
  for (const auto& item : legend) {
    const double w = 26 + 7.3 * static_cast<double>(columns(item.words)) + 18;
    if (lx > pad && lx + w > width - pad) {
      lx = pad;
      ly += legend_h;
    }
    legend_svg += fmt::format("<g transform=\"translate({},{})\">{}<text x=\"26\" y=\"4\" "
                              "font-size=\"12\">{}</text></g>\n",
                              num(lx), num(ly), item.mark, xml_text(item.words));
    lx += w;
  }
  legend_svg += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"12\" fill=\"#5c6070\">time "
                            "axis: scenario seconds; one tick: {}</text>\n",
                            num(pad), num(ly + legend_h), xml_text(tick_label(tick, tick)));
  const double height = ly + legend_h + pad;

  std::string out;
  if (options.standalone) out += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += fmt::format("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"timeline\" width=\"{}\" "
                     "height=\"{}\" viewBox=\"0 0 {} {}\" font-family=\"{}\" "
                     "data-x0=\"{}\" data-plot-width=\"{}\" data-scale=\"{}\">\n",
                     num(width * options.scale), num(height * options.scale), num(width),
                     num(height), font, num(x0), num(plot_w), to_seconds(scale));
  out += fmt::format("<title>{}</title>\n",
                     xml_text(options.caption.empty() ? "asyncdemo timeline" : options.caption));
  out +=
      fmt::format("<rect width=\"{}\" height=\"{}\" fill=\"#ffffff\"/>\n", num(width), num(height));
  out += body + "<g class=\"legend\">\n" + legend_svg + "</g>\n</svg>\n";
  return out;
}

namespace {

// Each mode's first run, then the image at the end.
class SvgReporter final : public FirstRunsFile {
public:
  using FirstRunsFile::FirstRunsFile;

private:
  std::string render() const override {
    Duration scale{};
    for (const auto* r : runs_)
      scale = std::max(scale, r->elapsed);
    return svg_timeline(
        svg_runs(runs_, plan_.several(), view_->sync_model), scale,
        SvgOptions{heading(), what_ran() + " · " + clock_words(), true, plan_.scale});
  }
};

} // namespace

std::unique_ptr<Reporter> make_svg_reporter(const RunPlan& plan, std::FILE*, std::string& error) {
  auto file = OutputFile::prepare("--svg", *plan.svg, error, "timeline.svg");
  if (!file) return nullptr;
  return std::make_unique<SvgReporter>(plan, std::move(*file));
}

} // namespace asyncdemo
