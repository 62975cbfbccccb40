#pragma once
// The program beside the loop (--step, --html, -v): the text --python
// prints, where each task is in it, and the chain of awaits that led there,
// in words. Private to the reporters.
#include "asyncdemo/report/frames.hpp"
#include "asyncdemo/run/plan.hpp"
#include "asyncdemo/run/runner.hpp"

#include <string>
#include <vector>

namespace asyncdemo::report_detail {

// The program a run shows: its lines (line n is lines[n - 1]); empty, with
// why_none saying why, when the run did not tell where its code was (a
// compiled catalogue entry).
struct ProgramText {
  std::vector<std::string> lines;
  std::string why_none;
  const std::string& line(int n) const;
};

// The program of `mode` as --python prints it; empty for a scenario with
// no Python twin.
std::string shown_program(const Scenario& s, const RunPlan& plan, Mode mode);
ProgramText program_text(std::string program, const Recorder& rec);

// What line n does, as a chain says it: "await coffee()" of
// "    result = await coffee()  # note"; "line 12" when there is no text.
std::string line_words(const ProgramText& p, int n);

// "main → await coffee() (line 36) → await asyncio.sleep(5) (line 21)";
// a task that awaits others ends with them: "→ coffee, eggs". Empty when
// the task's code has not run yet.
std::string chain_words(const ProgramText& p, const Recorder& rec, const TaskState& t);

// Where the tasks are at the end of a frame, line by line.
struct LineMark {
  int line = 0;
  std::vector<std::string> ran;     // tasks that ran in the frame, now at this line
  std::vector<std::string> waiting; // tasks suspended at it
  std::vector<std::string> inside;  // tasks whose outer frame awaits a coroutine inline here
};
std::vector<LineMark> line_marks(const std::vector<TaskState>& states);

// The line a frame is about: where the last task that ran is now, else the
// first task's line; 0 if none.
int current_line(const Frame& f, const std::vector<TaskState>& states);

} // namespace asyncdemo::report_detail
