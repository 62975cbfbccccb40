#!/usr/bin/env python3
"""Fidelity check: a scenario prints what CPython's asyncio prints, when it prints it.

    compare.py ASYNCDEMO SCENARIO [OPTIONS...]

Runs `asyncdemo SCENARIO OPTIONS --python` to get the equivalent asyncio
program and runs that with this python3 on an exact virtual clock
(virtual_clock.py, beside this file), then compares it with the scenario's
own run on the virtual clock (`--clock=virtual --format=jsonl`, its "print"
events): the same lines, in the same order, each printed at the same virtual
time (up to floating rounding). Both clocks are exact, so nothing is masked,
and both runs are instant. A program that raises must raise on both sides,
and end the same way: CPython's last traceback line (and an exception
group's sub-exceptions) against asyncdemo's "error".
"""
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile

VIRTUAL_CLOCK = os.path.join(os.path.dirname(os.path.abspath(__file__)), "virtual_clock.py")
TOLERANCE = 1e-9  # seconds: floating rounding only; both sides count whole nanoseconds


def python_lines(program, seed=None):
    """(time, text) of each line the program prints, run on the virtual clock,
    and how its traceback ends if it raised (else None)."""
    with tempfile.TemporaryDirectory() as tmp:
        events = os.path.join(tmp, "events.jsonl")
        seeded = ["--seed", str(seed)] if seed is not None else []
        run = subprocess.run([sys.executable, VIRTUAL_CLOCK, "-", "--events", events, *seeded],
                             input=program, capture_output=True, text=True, timeout=60)
        with open(events, encoding="utf-8") as f:
            records = [json.loads(line) for line in f]
        error = next((r["error"] for r in records if "error" in r), None)
        if run.returncode != 0 and error is None:
            sys.exit(f"the --python program failed ({run.returncode}):\n{run.stderr}")
        return [(r["time"], r["text"]) for r in records if "text" in r], error


def scenario_lines(binary, args):
    """(time, text) of each line the scenario prints, on asyncdemo's virtual
    clock, and its run's "error" (None if it did not fail)."""
    run = subprocess.run([binary, *args, "--clock=virtual", "--format=jsonl"],
                         capture_output=True, text=True, timeout=60)
    if run.returncode not in (0, 1):  # 1: the scenario failed, which it may mean to
        sys.exit(f"asyncdemo {' '.join(args)} exited {run.returncode}:\n{run.stderr}")
    records = [json.loads(line) for line in run.stdout.split("\n") if line]
    error = next((r.get("error") for r in records if r.get("type") == "summary"), None)
    return [(e["time"], e["text"]) for e in records
            if e.get("type") == "event" and e.get("kind") == "print"], error


def show(lines):
    return [f"{t:12.9f} s  {text}\n" for t, text in lines]


def report_texts(args, want, got):
    import difflib
    print(f"asyncdemo {' '.join(args)}: lines differ from CPython's (- python, + asyncdemo)")
    sys.stdout.writelines(difflib.unified_diff(show(want), show(got), "python", "asyncdemo",
                                               lineterm="\n"))


def report_times(args, late):
    print(f"asyncdemo {' '.join(args)}: same lines as CPython, printed at other times")
    for n, (want, got) in late:
        print(f"  line {n}: {want[1]!r}\n    python {want[0]:.9f} s, asyncdemo {got[0]:.9f} s")


# The program's first line names the command it mirrors, parameters included.
HEADER = re.compile(r"^# The asyncio program that `asyncdemo (.*)` mirrors\.$", re.M)


def header_args(program):
    m = HEADER.search(program)
    if not m:
        sys.exit("the --python program does not name the command it mirrors")
    return shlex.split(m.group(1))


def main():
    binary, args = sys.argv[1], sys.argv[2:]
    program = subprocess.run([binary, *args, "--python"], capture_output=True, text=True,
                             check=True).stdout
    # The header's own command is what is run: a header that drops a
    # parameter mirrors another run, and the lines then differ. A catalogue
    # entry that is a Python program (scenarios/*.py) has no header: its
    # --python is the program itself, its constants set from the options
    # (docs/python-programs.md), and those options are what is run.
    if HEADER.search(program) or not program.startswith('"""'):
        args = header_args(program)
    (want, want_error), (got, got_error) = python_lines(program), scenario_lines(binary, args)
    if [text for _, text in want] != [text for _, text in got]:
        report_texts(args, want, got)
        sys.exit(1)
    if want_error != got_error:
        print(f"asyncdemo {' '.join(args)}: same lines as CPython, another end:\n"
              f"  python    {want_error!r}\n  asyncdemo {got_error!r}")
        sys.exit(1)
    late = [(n, (w, g)) for n, (w, g) in enumerate(zip(want, got), 1)
            if abs(w[0] - g[0]) >= TOLERANCE]
    if late:
        report_times(args, late)
        sys.exit(1)
    end = got[-1][0] if got else 0.0
    raised = f"; both raise {got_error.splitlines()[0]}" if got_error else ""
    print(f"{len(got)} lines, same lines and times as CPython {sys.version.split()[0]} "
          f"(virtual clock, last at {end:.3f} s){raised}")


if __name__ == "__main__":
    main()
