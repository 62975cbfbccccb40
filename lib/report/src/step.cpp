// --step: the frames of a run, one at a time, and the commands that move
// between them; and the reporter that does it once the run is recorded.
#include "asyncdemo/report/step.hpp"

#include "asyncdemo/process/signals.hpp"
#include "asyncdemo/process/terminal_input.hpp"
#include "asyncdemo/report/detail/text.hpp"
#include "asyncdemo/report/frames.hpp"
#include "asyncdemo/text/quote.hpp"
#include "asyncdemo/text/units.hpp"

#include "frame_story.hpp"
#include "outputs.hpp"
#include "source_pane.hpp"

#include <fmt/format.h>

#include <unistd.h>

#include <algorithm>
#include <cstdlib>

namespace asyncdemo {

namespace {

using report_detail::bold;
using report_detail::columns;
using report_detail::dim;
using report_detail::pad;
using report_detail::paint;
using report_detail::task_colour;

constexpr std::size_t min_width = 40;
constexpr std::size_t label_width = 8; // "ran", "ready", "timers", "waits", "output"
constexpr std::size_t output_lines = 8;
constexpr std::size_t most_listed = 12; // of what ran, what is ready, the timers, the waits
constexpr std::size_t pane_lines = 14;  // of the program: the lines around the current one
constexpr std::size_t narrow = 60;      // narrower: only the lines around the current one

// The first most_listed, then how many more.
std::vector<std::string> listed(const std::vector<std::string>& items) {
  if (items.size() <= most_listed) return items;
  std::vector<std::string> out(items.begin(), items.begin() + most_listed);
  out.push_back(fmt::format("… {} more", items.size() - most_listed));
  return out;
}

// Cuts text to w columns, with "…" where it was cut.
std::string fit(std::string_view text, std::size_t w) {
  if (columns(text) <= w) return std::string(text);
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if ((c & 0xC0) != 0x80 && columns(out) + 1 >= w) break;
    out += text[i];
  }
  return out + "…";
}

// Words into lines of at most w columns (a longer word is cut).
std::vector<std::string> wrap(std::string_view text, std::size_t w) {
  std::vector<std::string> lines;
  std::string line;
  std::size_t i = 0;
  while (i < text.size()) {
    const auto space = text.find(' ', i);
    const auto word = text.substr(i, space == std::string_view::npos ? space : space - i);
    i = space == std::string_view::npos ? text.size() : space + 1;
    if (word.empty()) continue;
    if (!line.empty() && columns(line) + 1 + columns(word) > w) {
      lines.push_back(line);
      line.clear();
    }
    line += (line.empty() ? "" : " ") + fit(word, w);
  }
  if (!line.empty() || lines.empty()) lines.push_back(line);
  return lines;
}

// "  ready   coffee, eggs": a labelled block, its text wrapped beside the label.
void row(std::string& out, std::string_view label, std::string_view text, std::size_t width) {
  const auto indent = 2 + label_width;
  const auto lines = wrap(text, width - indent);
  for (std::size_t i = 0; i < lines.size(); ++i)
    out += (i == 0 ? "  " + pad(label, label_width) : std::string(indent, ' ')) + lines[i] + "\n";
}

// A range only when it shows (a real clock's microseconds do not).
std::string times_of(const Frame& f) {
  const auto began = format_seconds(f.began), ended = format_seconds(f.ended);
  return began == ended ? began : fmt::format("{} → {}", began, ended);
}

// " 1.000 s  coffee  coffee: waiting...", its text cut to `width` columns
// in all, in the live output's colours when they are on.
std::string printed_line(const RecordedEvent& e, const Recorder& rec, int time_width,
                         std::size_t name_width, const Style& style,
                         std::size_t width = std::string::npos) {
  const auto time = fmt::format("{:>{}.3f} s", to_seconds(e.time), time_width);
  const auto name = pad(rec.task_name(e.task), name_width);
  const auto used = columns(time) + 2 + columns(name) + 2;
  const auto text =
      width == std::string::npos ? e.text : fit(e.text, width > used + 1 ? width - used : 1);
  return fmt::format("{}  {}  {}", paint(style, dim, time), paint(style, task_colour(e.task), name),
                     text);
}

class Stepper {
public:
  Stepper(const RunResult& run, std::FILE* out, std::size_t width, Style style, std::string program)
      : run_(run), rec_(run.recorder), out_(out), width_(std::max(width, min_width)), style_(style),
        pane_(!program.empty()),
        program_(pane_ ? report_detail::program_text(std::move(program), rec_)
                       : report_detail::ProgramText{}),
        frames_(frames_of(rec_, run.clock, run.mode,
                          program_.lines.empty() ? nullptr : &program_.lines)) {
    time_width_ = static_cast<int>(fmt::format("{:.3f}", to_seconds(run.elapsed)).size());
    for (const auto& e : rec_.events())
      if (e.kind == EventKind::print) {
        prints_.push_back(&e);
        name_width_ = std::max(name_width_, columns(rec_.task_name(e.task)));
      }
  }

  std::size_t size() const noexcept { return frames_.size(); }

  void show(std::size_t k) const {
    const auto& f = frames_[k];
    std::string out;
    const auto head =
        fmt::format("── iteration {} of {} · {} ", f.number, frames_.size(), times_of(f));
    auto rule = head;
    for (auto c = columns(head); c < width_; ++c)
      rule += "─";
    out += "\n" + paint(style_, bold, rule) + "\n";
    for (const auto& line : wrap(f.caption, width_))
      out += line + "\n";
    out += "\n";
    const auto states = task_states(rec_, f, run_.clock);
    if (pane_) out += source_pane(f, states);

    std::size_t who_width = 0;
    for (const auto& item : f.ran)
      who_width = std::max(who_width, columns(item.label));
    who_width = std::min(who_width, width_ / 3);
    bool first = true;
    for (std::size_t n = 0; n < f.ran.size(); ++n) {
      const auto& item = f.ran[n];
      if (n == most_listed) { // a thousand tasks started at once: the first few, and a count
        out += std::string(2 + label_width, ' ') +
               fmt::format("… {} more items\n", f.ran.size() - most_listed);
        break;
      }
      const auto indent = 2 + label_width + who_width + 2;
      // The loop's own callbacks say it all in their label.
      const auto what = join(item.did);
      const auto lines = wrap(what, width_ > indent + 10 ? width_ - indent : 10);
      for (std::size_t i = 0; i < lines.size(); ++i) {
        auto line = i == 0 ? "  " + pad(first ? "ran" : "", label_width) +
                                 pad(fit(item.label, who_width), who_width) + "  " + lines[i]
                           : std::string(indent, ' ') + lines[i];
        line.erase(line.find_last_not_of(' ') + 1);
        out += line + "\n";
      }
      first = false;
    }
    row(out, "ready", f.ready.empty() ? "nothing" : join(listed(f.ready)), width_);
    std::vector<std::string> timers;
    for (const auto& t : f.timers)
      if (timers.size() < most_listed)
        timers.push_back(fmt::format("{} at {}", t.name, format_seconds(t.deadline)));
    if (f.sleeping > timers.size())
      timers.push_back(fmt::format("… {} more", f.sleeping - timers.size()));
    row(out, "timers", timers.empty() ? "none" : join(timers), width_);
    std::vector<std::string> waits;
    for (const auto& s : states)
      // (and a primitive's waiters: "task2 waits on Lock")
      if ((s.state.rfind("awaits", 0) == 0 && s.state.rfind("awaits asyncio.sleep(", 0) != 0) ||
          s.state.rfind("waits on ", 0) == 0)
        waits.push_back(fmt::format("{} {}", s.name, s.state));
    if (!waits.empty()) row(out, "waits", join(listed(waits), "; "), width_);
    if (pane_ && !program_.lines.empty()) {
      bool first_chain = true;
      std::size_t chains = 0;
      for (const auto& st : states) {
        const auto words = report_detail::chain_words(program_, rec_, st);
        if (words.empty() || st.over) continue;
        if (++chains > most_listed) break;
        row(out, first_chain ? "chain" : "", words, width_);
        first_chain = false;
      }
    }
    out += output(f.printed);
    std::fputs(out.c_str(), out_);
    std::fflush(out_);
  }

  // The program beside the loop: the lines around where the tasks are, each
  // marked: ▶ a task that ran in this iteration is now there, • one waits
  // there; ┃ the line ran in this iteration.
  std::string source_pane(const Frame& f, const std::vector<TaskState>& states) const {
    if (program_.lines.empty()) {
      std::string out;
      for (const auto& line : wrap(program_.why_none, width_))
        out += paint(style_, dim, line) + "\n";
      return out + "\n";
    }
    const auto marks = report_detail::line_marks(states);
    const int n = static_cast<int>(program_.lines.size());
    const int current = report_detail::current_line(f, states);
    // The lines worth showing: each task's, with one either side, and those
    // that ran; on a narrow terminal, only those around the current one.
    std::vector<bool> shown(static_cast<std::size_t>(n) + 2, false);
    auto show = [&](int line, int around) {
      for (int l = std::max(1, line - around); l <= std::min(n, line + around); ++l)
        shown[static_cast<std::size_t>(l)] = true;
    };
    if (width_ < narrow || current == 0) {
      if (current > 0) show(current, 3);
    } else {
      for (const auto& m : marks)
        show(m.line, 1);
      for (int l : f.lines)
        show(l, 0);
    }
    // At most pane_lines, the nearest to the current line kept.
    std::vector<int> lines;
    for (int l = 1; l <= n; ++l)
      if (shown[static_cast<std::size_t>(l)]) lines.push_back(l);
    if (lines.size() > pane_lines) {
      std::stable_sort(lines.begin(), lines.end(), [current](int a, int b) {
        return std::abs(a - current) < std::abs(b - current);
      });
      lines.resize(pane_lines);
      std::sort(lines.begin(), lines.end());
    }
    const auto digits = fmt::format("{}", n).size();
    std::string out = "  " + pad("source", label_width) +
                      paint(style_, dim,
                            fit("▶ ran and is there · • waits there · ◦ awaits a call "
                                "there · ┃ ran now",
                                width_ - 2 - label_width)) +
                      "\n";
    int previous = 0;
    for (int l : lines) {
      if (previous != 0 && l > previous + 1)
        out += std::string(2 + 2 + digits, ' ') + paint(style_, dim, "⋮") + "\n";
      previous = l;
      const auto mark = std::find_if(marks.begin(), marks.end(),
                                     [l](const report_detail::LineMark& m) { return m.line == l; });
      const bool ran = std::find(f.lines.begin(), f.lines.end(), l) != f.lines.end();
      std::string who, sign = " ";
      if (mark != marks.end()) {
        auto all = mark->ran;
        all.insert(all.end(), mark->waiting.begin(), mark->waiting.end());
        all.insert(all.end(), mark->inside.begin(), mark->inside.end());
        who = "  ← " + report_detail::names(all, 3);
        sign = !mark->ran.empty() ? "▶" : !mark->waiting.empty() ? "•" : "◦";
      }
      const auto head = fmt::format("  {} {:>{}} {} ", sign, l, digits, ran ? "┃" : " ");
      const auto room =
          width_ > columns(head) + columns(who) + 8 ? width_ - columns(head) - columns(who) : 8;
      auto text = fit(program_.line(l), room);
      auto line = head + text;
      if (!who.empty()) line += paint(style_, dim, who);
      line.erase(line.find_last_not_of(' ') + 1);
      const bool strong = l == current || ran;
      out += (strong ? paint(style_, bold, line) : line) + "\n";
    }
    return out + "\n";
  }

  // The output so far: its last lines, fitted to the width.
  std::string output(std::size_t printed) const {
    std::string out;
    const auto indent = std::string(2 + label_width, ' ');
    if (printed == 0) return "  " + pad("output", label_width) + "nothing yet\n";
    const auto from = printed > output_lines ? printed - output_lines : 0;
    bool first = true;
    auto label = [&] {
      const auto l = first ? "  " + pad("output", label_width) : indent;
      first = false;
      return l;
    };
    if (from > 0) out += label() + fmt::format("… {} earlier line{}\n", from, from == 1 ? "" : "s");
    for (auto i = from; i < printed && i < prints_.size(); ++i)
      out += label() +
             printed_line(*prints_[i], rec_, time_width_, name_width_, style_,
                          width_ - indent.size()) +
             "\n";
    return out;
  }

  // What was printed after frame k: the rest of the run, for c.
  void rest(std::size_t k) const {
    const auto from = frames_[k].printed;
    if (from >= prints_.size()) return;
    std::string out = "\nthe rest of the run:\n";
    for (auto i = from; i < prints_.size(); ++i)
      out += printed_line(*prints_[i], rec_, time_width_, name_width_, style_) + "\n";
    std::fputs(out.c_str(), out_);
  }

  void say(const std::string& text) const {
    std::string out;
    for (const auto& line : wrap(text, width_))
      out += line + "\n";
    std::fputs(out.c_str(), out_);
    std::fflush(out_);
  }

private:
  static std::string join(const std::vector<std::string>& v, std::string_view sep = ", ") {
    std::string out;
    for (const auto& s : v)
      out += (out.empty() ? "" : std::string(sep)) + s;
    return out;
  }

  const RunResult& run_;
  const Recorder& rec_;
  std::FILE* out_;
  std::size_t width_;
  Style style_;
  bool pane_ = false; // a program was given: the pane, or a line saying why there is none
  report_detail::ProgramText program_;
  std::vector<Frame> frames_;
  std::vector<const RecordedEvent*> prints_;
  int time_width_ = 5;
  std::size_t name_width_ = 4;
};

constexpr const char* help = "Enter or space: next · b: back · c: to the end · q: quit";

// What a line says: a command, or an unknown one (`typed` then holds the
// word, for the refusal). A line too long to be a command is unknown.
StepCommand command_of(Typed& typed) {
  auto& text = typed.text;
  while (!text.empty() && (text.back() == '\r' || text.back() == ' ' || text.back() == '\t'))
    text.pop_back();
  const auto start = text.find_first_not_of(" \t");
  const std::string word = start == std::string::npos ? "" : text.substr(start);
  if (typed.bytes <= TerminalInput::max_line) {
    if (word.empty() || word == "n" || word == "next") return StepCommand::next;
    if (word == "b" || word == "back") return StepCommand::back;
    if (word == "c" || word == "continue") return StepCommand::finish;
    if (word == "q" || word == "quit") return StepCommand::quit;
  }
  if (typed.bytes == text.size()) typed.bytes = word.size();
  text = word;
  return StepCommand::unknown;
}

// What a key says.
StepCommand command_of_key(const std::string& key) {
  if (key == "\r" || key == "\n" || key == " " || key == "n" || key == "\x1b[C" || key == "\x1bOC")
    return StepCommand::next;
  if (key == "b" || key == "\x1b[D" || key == "\x1bOD") return StepCommand::back;
  if (key == "c" || key == "\x04") return StepCommand::finish;
  if (key == "q") return StepCommand::quit;
  return StepCommand::unknown; // the key is what was typed
}

// Commands from a descriptor: keys on a terminal, lines otherwise
// (process/terminal_input.hpp reads them).
class FdInput final : public StepInput {
public:
  FdInput(int fd, InterruptSource irq) : in_(fd, irq) {}

  bool keys() const override { return in_.keys(); }

  StepCommand read(Typed& typed) override {
    TerminalInput::Got got{};
    if (in_.keys()) {
      got = in_.read_key(typed.text);
      typed.bytes = typed.text.size();
    } else {
      TerminalInput::Line line;
      got = in_.read_line(line);
      typed = Typed{std::move(line.text), line.bytes};
    }
    switch (got) {
    case TerminalInput::Got::input:
      return in_.keys() ? command_of_key(typed.text) : command_of(typed);
    case TerminalInput::Got::end:
      return StepCommand::finish; // end of input: c
    case TerminalInput::Got::interrupted:
      break;
    }
    return StepCommand::interrupted;
  }

private:
  TerminalInput in_;
};

class ScriptInput final : public StepInput {
public:
  explicit ScriptInput(std::string lines) : lines_(std::move(lines)) {}
  bool keys() const override { return false; }
  StepCommand read(Typed& typed) override {
    if (pos_ >= lines_.size()) {
      typed = Typed{};
      return StepCommand::finish;
    }
    const auto nl = lines_.find('\n', pos_);
    typed.text = lines_.substr(pos_, nl == std::string::npos ? std::string::npos : nl - pos_);
    typed.bytes = typed.text.size();
    pos_ = nl == std::string::npos ? lines_.size() : nl + 1;
    return command_of(typed);
  }

private:
  std::string lines_;
  std::size_t pos_ = 0;
};

const char* name_of(StepCommand c) {
  switch (c) {
  case StepCommand::next:
    return "next";
  case StepCommand::back:
    return "back";
  case StepCommand::finish:
    return "to the end";
  case StepCommand::quit:
    return "quit";
  case StepCommand::interrupted:
  case StepCommand::unknown:
    break;
  }
  return "";
}

} // namespace

std::unique_ptr<StepInput> step_input(int fd, InterruptSource interrupts) {
  return std::make_unique<FdInput>(fd, interrupts);
}

std::unique_ptr<StepInput> step_script(std::string lines) {
  return std::make_unique<ScriptInput>(std::move(lines));
}

StepEnd step_through(const RunResult& run, StepInput& in, std::FILE* out, std::size_t width,
                     bool out_is_terminal, Style style, std::string program) {
  const Stepper stepper(run, out, width, style, std::move(program));
  if (stepper.size() == 0) return StepEnd::finished;
  std::size_t k = 0;
  // Past the last iteration: the loop has stopped, and what is left is the
  // summary (Enter), or the last iteration again (b).
  bool past_end = false;
  stepper.show(k);
  for (;;) {
    // A person sees the keys to press; a script's transcript shows each
    // command it gave.
    if (in.keys()) {
      std::fputs(fmt::format("{}› ", help).c_str(), out);
      std::fflush(out);
    }
    Typed typed;
    const auto command = in.read(typed);
    if (in.keys() && out_is_terminal)
      std::fputs("\r\x1b[2K", out); // the prompt goes: the frame that follows says it all
    else if (in.keys() || command != StepCommand::interrupted)
      std::fputs(
          fmt::format("› {}\n", command == StepCommand::unknown ? quote(typed.text, typed.bytes)
                                : !in.keys() && command == StepCommand::finish && typed.text.empty()
                                    ? "end of input: to the end"
                                    : name_of(command))
              .c_str(),
          out);
    switch (command) {
    case StepCommand::next:
      if (past_end) return StepEnd::finished;
      if (k + 1 == stepper.size()) {
        stepper.say("\nthat was the last iteration: the loop has stopped. Enter: the summary · "
                    "b: back to the last iteration · q: quit");
        past_end = true;
        break;
      }
      stepper.show(++k);
      break;
    case StepCommand::back:
      if (past_end) {
        past_end = false;
        stepper.show(k);
      } else if (k == 0)
        stepper.say("this is the first iteration: there is none before it");
      else
        stepper.show(--k);
      break;
    case StepCommand::finish:
      stepper.rest(k);
      return StepEnd::finished;
    case StepCommand::quit:
      return StepEnd::quit;
    case StepCommand::interrupted:
      return StepEnd::interrupted;
    case StepCommand::unknown:
      stepper.say(fmt::format("{} is not a command: {}", quote(typed.text, typed.bytes), help));
      break;
    }
  }
}

namespace {

// Once the run is recorded: its frames, one at a time, from stdin.
class StepReporter final : public Reporter {
public:
  StepReporter(const RunPlan& plan, std::FILE* out) : plan_(plan), out_(out) {}
  void run_ended(const RunResult& r, int) override {
    if (r.recorder.snapshots().empty()) return;
    auto in = step_input(STDIN_FILENO, signals::source());
    auto program = plan_.scenario ? report_detail::shown_program(*plan_.scenario, plan_, r.mode)
                                  : std::string();
    quit_ = step_through(r, *in, out_, plan_.width, ::isatty(::fileno(out_)) != 0, plan_.style,
                         std::move(program)) != StepEnd::finished;
  }
  bool quit() const override { return quit_; }

private:
  const RunPlan& plan_;
  std::FILE* out_;
  bool quit_ = false;
};

} // namespace

std::unique_ptr<Reporter> make_step_reporter(const RunPlan& plan, std::FILE* out, std::string&) {
  return std::make_unique<StepReporter>(plan, out);
}

} // namespace asyncdemo
