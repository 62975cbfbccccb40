#include "man.hpp"

#include "asyncdemo/version.hpp"

#include <fmt/format.h>

#include <cstdint>

namespace asyncdemo::cli {

namespace {

// Text as roff reads it: a backslash is \e, a dash \- (so that options
// copy as typed), a character beyond ASCII its \[uXXXX] (groff reads
// ASCII), and a line that starts with a dot or a quote is escaped.
std::string roff(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\\') {
      out += "\\e";
    } else if (c == '-') {
      out += "\\-";
    } else if (c < 0x80) {
      out += static_cast<char>(c);
    } else {
      // UTF-8: the lead byte says how many continuation bytes follow.
      const int more = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : 1;
      char32_t code = c & (0x3f >> more);
      for (int k = 0; k < more && i + 1 < text.size(); ++k)
        code = (code << 6) | (static_cast<unsigned char>(text[++i]) & 0x3f);
      out += fmt::format("\\[u{:04X}]", static_cast<std::uint32_t>(code));
    }
  }
  if (!out.empty() && (out.front() == '.' || out.front() == '\'')) out = "\\&" + out;
  return out;
}

// A help text as a sentence: ending with a full stop.
std::string sentence(std::string text) {
  if (!text.empty() && text.back() != '.') text += '.';
  return text;
}

std::string option_item(const OptionDoc& o, bool with_default = true) {
  std::string term;
  if (o.short_name) term = fmt::format("\\fB\\-{}\\fR, ", o.short_name);
  term += "\\fB" + roff("--" + o.name) + "\\fR";
  if (!o.kind.empty()) term += " \\fI" + roff(o.kind) + "\\fR";
  std::string text = roff(sentence(o.help));
  if (with_default && !o.fallback.empty()) text += " Default: \\fB" + roff(o.fallback) + "\\fR.";
  if (!o.choices.empty() && o.name != "mode") {
    std::string list;
    for (const auto& c : o.choices)
      list += (list.empty() ? "" : ", ") + ("\\fB" + roff(c) + "\\fR");
    text += " One of " + list + ".";
  }
  return ".TP\n" + term + "\n" + text + "\n";
}

const CommandDoc* find(const std::vector<CommandDoc>& docs, const std::string& name) {
  for (const auto& d : docs)
    if (d.name == name) return &d;
  return nullptr;
}

} // namespace

std::string man_page(const std::vector<CommandDoc>& docs) {
  std::string out =
      fmt::format(".TH ASYNCDEMO 1 \"\" \"asyncdemo {}\" \"User Commands\"\n", version);
  out += R"(.SH NAME
asyncdemo \- watch async concurrency happen: the classic Python asyncio teaching programs, run as C++20 coroutines
.SH SYNOPSIS
.B asyncdemo
.I scenario
.RI [ options ]
.br
.B asyncdemo run
.I file
.RI [ options ]
.br
.B asyncdemo list
.RB [ \-\-format =\fIformat\fR]
.br
.B asyncdemo show
.I name
.br
.B asyncdemo help
.RI [ name ]
.br
.B asyncdemo
.RB [ \-h | \-\-help | \-V | \-\-version | \-\-generate =\fIkind\fR]
.SH DESCRIPTION
.B asyncdemo
runs the classic Python asyncio teaching programs as C++20 coroutines on an
event loop of its own that follows CPython's asyncio, in five modes, and
prints each line as it happens, with its time and the task that printed it.
The lines come in the order CPython 3.11 prints them for the same program.
On the real clock a run takes as long as its sleeps (scaled by
\fB\-\-speed\fR); on the virtual clock time jumps to the next deadline, so
a run is instant, exact and the same every time.
.PP
After a run, a summary compares it with its \fImodel\fR (the same mode on
the virtual clock) and with \fIsync\fR (the same work one after another);
\fB\-\-mode=all\fR runs every mode and compares them in a table.
\fB\-\-python\fR prints the same program in asyncio, ready to run with
python3.
.SH MODES
.TP
.B sync
plain functions called one after another: every sleep blocks
.TP
.B await
\fBawait a(); await b()\fR: async, still one after another
.TP
.B create_task
every job a task first (\fBasyncio.create_task\fR), then each awaited in turn
.TP
.B gather
\fBawait asyncio.gather(a(), b())\fR: results in argument order
.TP
.B as_completed
\fBfor f in asyncio.as_completed(...)\fR: results in completion order
.TP
.B threads
swarm's own: one thread per task, each blocking
.TP
.B all
every mode the scenario supports, one after another, then a table comparing them
)";
  out += ".SH COMMANDS\n";
  if (const auto* list = find(docs, "list")) {
    out += ".TP\n.B asyncdemo list\n" + roff(list->summary) + ".\n.RS\n";
    for (const auto& o : list->options)
      if (o.name != "help") out += option_item(o);
    out += ".RE\n";
  }
  out += ".TP\n.BI \"asyncdemo show \" name\nPrint a built-in scenario's file, to start one of "
         "your own from.\n";
  out += ".TP\n.BI \"asyncdemo run \" file\nRun a scenario file of your own (see \\fBSCENARIO "
         "FILES\\fR); \\fBasyncdemo run \\fIfile\\fB \\-\\-help\\fR lists its own parameters "
         "too.\n";
  out += ".TP\n.BI \"asyncdemo help \" \\fR[\\fIname\\fR]\nThis page's short form "
         "(\\fBasyncdemo \\-\\-help\\fR), or a scenario's options (as \\fBasyncdemo "
         "\\fIname\\fB \\-\\-help\\fR).\n";
  if (const auto* top = find(docs, "")) {
    out += ".SH GENERAL OPTIONS\n";
    for (const auto& o : top->options)
      out += option_item(o);
  }
  if (const auto* run = find(docs, "run")) {
    out += ".SH OPTIONS\nEvery scenario, and every scenario file, takes these. "
           "\\fB\\-\\-mode\\fR's default is the scenario's own (gather for most); "
           "\\fB\\-\\-seed\\fR is for the scenarios that draw random numbers.\n";
    for (const auto& o : run->options)
      if (!o.own) out += option_item(o, o.name != "mode");
  }
  out += ".SH SCENARIOS\nEach scenario says where it comes from: one of the tutorials "
         "asyncdemo retells (\\fBtutorial 2, section 34.6.2\\fR), or beyond them. "
         "Its own options follow it.\n";
  for (const auto& d : docs) {
    if (!d.scenario || d.name == "run") continue;
    const auto& s = *d.scenario;
    out += ".TP\n.B " + roff(s.name) + "\n" + roff(s.summary) +
           ". From: " + roff(origin_words(s.seed)) + ". Modes: " + roff(join(s.modes)) +
           "; default " + roff(std::string(to_string(s.default_mode))) +
           (s.source.empty() ? ""
                             : "; a scenario file (\\fBasyncdemo show " + roff(s.name) + "\\fR)") +
           ".\n";
    bool any = false;
    for (const auto& o : d.options)
      if (o.own) {
        if (!any) out += ".RS\n";
        any = true;
        out += option_item(o);
      }
    if (any) out += ".RE\n";
  }
  out += R"(.SH SCENARIO FILES
A scenario file is a TOML file: its jobs (each a coroutine made of steps),
what main does before and after them, and its parameters. Start from a
built-in one:
.PP
.nf
.RS
asyncdemo show breakfast > kitchen.toml
asyncdemo run kitchen.toml \-\-mode=all \-\-clock=virtual
asyncdemo run kitchen.toml \-\-python > kitchen.py
.RE
.fi
.PP
Every option of a built-in scenario works on a file. Its mistakes are
reported as \fIFILE\fB:\fILINE\fB:\fICOLUMN\fR and what would be right.
scenario\-files.md in asyncdemo's documentation (share/doc/asyncdemo) is the
reference.
.SH OUTPUT
\fB\-\-format=text\fR prints each line as it happens, then the summary (with
\fB\-\-mode=all\fR, the table of modes and a closing line that names the
fastest mode, or the modes that tie within the noise on the real clock).
Narration (\fBwhy:\fR, \fBpitfall:\fR) is set apart from the program's
lines. \fBjson\fR prints one document after the run; \fBjsonl\fR one JSON
object per event, as it happens; both are schema 1, described by
json.md and schema.json in the documentation, and each document names the schema and
asyncdemo's version. \fBcsv\fR and \fBmarkdown\fR print the table of tasks
(and of modes). \fB\-\-export\-json\fR, \fB\-\-export\-markdown\fR and
\fB\-\-export\-csv\fR write the same to a file beside the text. On a
terminal, \fB\-\-runs\fR and swarm draw a progress bar on stderr.
)";
  out += ".SH WORDS\n";
  for (const auto& [word, meaning] : words())
    out += ".TP\n.B " + roff(word) + "\n" + roff(meaning) + ".\n";
  out += R"(.SH ENVIRONMENT
.TP
.B COLUMNS
the width to fit: help, list, the summary line, the timeline (else the
terminal's; 80 for help and list in a pipe)
.TP
.B NO_COLOR
when set and not empty, no colour (as \fB\-\-color=never\fR)
.TP
.B TERM
\fBdumb\fR: no colour
)";
  out += ".SH EXIT STATUS\n";
  for (const auto& [status, meaning] : exit_statuses())
    out += ".TP\n.B " + roff(status) + "\n" + roff(meaning) + ".\n";
  out += R"(.SH EXAMPLES
Watch coffee and eggs overlap, on the real clock:
.PP
.RS
asyncdemo breakfast \-\-mode=gather
.RE
.PP
Every mode compared, at once and exactly:
.PP
.RS
asyncdemo breakfast \-\-mode=all \-\-clock=virtual
.RE
.PP
The same program in asyncio, and run:
.PP
.RS
asyncdemo breakfast \-\-mode=gather \-\-python > breakfast.py && python3 breakfast.py
.RE
.PP
In CI, or an autograder: exit 3 unless the best mode is 1.5 times faster
than sync, or unless a learner's file prints the expected lines:
.PP
.RS
.nf
asyncdemo run mine.toml \-\-mode=all \-\-clock=virtual \-q \e
    \-\-min\-speedup=1.5
asyncdemo run mine.toml \-\-clock=virtual \-\-expect=expected.txt
.fi
.RE
.SH SEE ALSO
.BR python3 (1),
.BR hyperfine (1)
)";
  return out;
}

} // namespace asyncdemo::cli
