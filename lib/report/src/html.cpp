// --html=FILE: the replay page (its data as JSON, its timeline as SVG, both
// inline in the template), and the reporter that writes it at the end of
// the session, as the trace is written.
#include "asyncdemo/report/html.hpp"

#include "asyncdemo/report/frames.hpp"
#include "asyncdemo/report/output_file.hpp"
#include "asyncdemo/report/svg.hpp"
#include "asyncdemo/version.hpp"

#include "frame_story.hpp"
#include "json_doc.hpp"
#include "outputs.hpp"
#include "replay_assets.hpp"
#include "source_pane.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace asyncdemo {

namespace {

using json = json_doc::json;

// Milliseconds are plenty on a page, and keep a 10,000-event run small.
double secs(Duration d) {
  return static_cast<double>(d.count() / 1000) / 1e6;
}

// A run's data: its events and frames written into the page's text item by
// item (json_doc::Spliced). Keys in the order a sorted object has them.
json run_data(const RunResult& r, json_doc::Spliced& spliced, std::string program) {
  const auto& rec = r.recorder;
  json tasks = json::array();
  for (const auto& t : rec.tasks())
    tasks.push_back(t.name);
  // Events as [time, task, kind, text]; a suspension says on what, in the
  // captions' words, and a sleep until when: the page works the timers out
  // from them (a list per iteration would grow as tasks times iterations).
  auto events = spliced.later([&r](int, const json_doc::Spliced::Item& item) {
    const auto& rec = r.recorder;
    const auto& all = rec.events();
    for (std::size_t i = 0; i < all.size(); ++i) {
      const auto& e = all[i];
      if (e.kind != EventKind::task_suspended) {
        item(json_doc::dumped(json::array({secs(e.time), e.task, to_string(e.kind), e.text})));
        continue;
      }
      auto event =
          json::array({secs(e.time), e.task, to_string(e.kind), wait_words(rec, i, r.clock)});
      if (const auto* w = rec.wait_at(i); w && w->kind == Suspension::Kind::sleep)
        event.push_back(secs(w->deadline));
      item(json_doc::dumped(event));
    }
  });
  // The program beside the loop: its lines, or why there are none.
  auto text = std::make_shared<report_detail::ProgramText>(
      program.empty() ? report_detail::ProgramText{}
                      : report_detail::program_text(std::move(program), rec));
  auto frames = spliced.later([&r, text](int, const json_doc::Spliced::Item& item) {
    for (const auto& f :
         frames_of(r.recorder, r.clock, r.mode, text->lines.empty() ? nullptr : &text->lines)) {

      // What ran: its label, what it did, and the task whose step it was
      // (the page marks that task's row), or -1 for the loop's own callbacks.
      json ran = json::array();
      for (const auto& it : f.ran) {
        const auto k = it.item.kind;
        const bool step = k == ReadyItem::Kind::step || k == ReadyItem::Kind::wakeup;
        ran.push_back(json::array({it.label, it.did, step ? it.item.task : -1}));
      }
      json ready_tasks = json::array();
      for (const auto& it : f.ready_items)
        if (it.kind == ReadyItem::Kind::step || it.kind == ReadyItem::Kind::wakeup)
          ready_tasks.push_back(it.task);
      item(json_doc::dumped(
          json::array({secs(f.began), secs(f.ended), f.caption, std::move(ran), f.ready,
                       f.first_event, f.end_event, f.printed, std::move(ready_tasks),
                       text->lines.empty() ? json::array() : json(f.lines)})));
    }
  });
  // Where each task is once it suspends: [event, task, line, its await
  // chain in words]; the page takes each task's latest before a frame's
  // end (a list per iteration would grow as tasks times iterations).
  json places = json::array();
  if (!text->lines.empty()) {
    const auto& all = rec.events();
    for (std::size_t i = 0; i < all.size(); ++i) {
      if (all[i].kind != EventKind::task_suspended || rec.chain_at(i).empty()) continue;
      TaskState s{all[i].task, rec.task_name(all[i].task).data(), {}, false, false, rec.chain_at(i),
                  {}};
      if (const auto* w = rec.wait_at(i)) {
        if (w->kind == Suspension::Kind::gather ||
            (w->kind == Suspension::Kind::primitive && w->name == "TaskGroup"))
          s.children = w->tasks;
        if (w->kind == Suspension::Kind::task && w->task != no_task) s.children = {w->task};
      }
      places.push_back(
          json::array({i, s.id, s.chain.back().line, report_detail::chain_words(*text, rec, s)}));
    }
  }
  return json{{"elapsed", secs(r.elapsed)},     {"events", std::move(events)},
              {"frames", std::move(frames)},    {"mode", to_string(r.mode)},
              {"places", std::move(places)},    {"program", text->lines},
              {"program_note", text->why_none}, {"tasks", std::move(tasks)}};
}

// Inside <script>, "</script>" (or "<!--") would end the data early: no
// "<" is left unescaped (JSON has none outside its strings).
std::string script_safe(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text)
    if (c == '<')
      out += "\\u003c";
    else
      out += c;
  return out;
}

void fill(std::string& page, std::string_view slot, std::string_view with) {
  const auto at = page.find(slot);
  if (at != std::string::npos) page.replace(at, slot.size(), with);
}

} // namespace

std::string replay_html(const ReplayPage& page) {
  json_doc::Spliced spliced;
  json runs = json::array();
  Duration scale{};
  for (std::size_t i = 0; i < page.runs.size(); ++i) {
    const auto* r = page.runs[i];
    runs.push_back(run_data(*r, spliced, i < page.programs.size() ? page.programs[i] : ""));
    scale = std::max(scale, r->elapsed);
  }
  const json data{
      {"first", to_string(page.first)}, {"runs", std::move(runs)}, {"title", page.title}};
  // Filled last to first, so that nothing inserted is taken for a slot.
  std::string out(assets::page_html);
  fill(out, "@@SCRIPT@@", assets::replay_js);
  fill(out, "@@DATA@@", script_safe(spliced.text(data, -1)));
  fill(out, "@@TIMELINE@@",
       svg_timeline(svg_runs(page.runs, page.runs.size() > 1, page.sync_model), scale,
                    SvgOptions{{}, {}, false, 1}));
  fill(out, "@@SUBTITLE@@", xml_text(page.subtitle));
  fill(out, "@@TITLE@@", xml_text(page.title));
  fill(out, "@@TITLE@@", xml_text(page.title));
  fill(out, "@@VERSION@@", version);
  fill(out, "@@STYLE@@", assets::style_css);
  // The root font size (--scale): the page's text is sized in rem.
  fill(out, "@@FONT_SIZE@@", fmt::format("{:g}px", 16 * page.scale));
  return out;
}

namespace {

// Each mode's first run, then the page at the end.
class HtmlReporter final : public FirstRunsFile {
public:
  using FirstRunsFile::FirstRunsFile;

private:
  std::string render() const override {
    ReplayPage page;
    page.title = heading();
    page.subtitle = what_ran() + " · " + clock_words();
    if (plan_.clock == ClockKind::real && plan_.speed != 1.0)
      page.subtitle += fmt::format(" at {:g}× speed", plan_.speed);
    if (view_->scenario.random) page.subtitle += fmt::format(" · seed {}", plan_.seed);
    page.subtitle += " · one step is one iteration of the event loop";
    page.runs = runs_;
    for (const auto* r : runs_)
      page.programs.push_back(report_detail::shown_program(view_->scenario, plan_, r->mode));
    page.sync_model = view_->sync_model;
    page.scale = plan_.scale;
    // The default mode first, when it ran; else the first that did.
    page.first = runs_.front()->mode;
    for (const auto* r : runs_)
      if (r->mode == view_->scenario.default_mode) page.first = r->mode;
    return replay_html(page);
  }
};

} // namespace

std::unique_ptr<Reporter> make_html_reporter(const RunPlan& plan, std::FILE*, std::string& error) {
  auto file = OutputFile::prepare("--html", *plan.html, error, "replay.html");
  if (!file) return nullptr;
  return std::make_unique<HtmlReporter>(plan, std::move(*file));
}

} // namespace asyncdemo
