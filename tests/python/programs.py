#!/usr/bin/env python3
"""Python programs as written: `asyncdemo run PROGRAM.py` prints what CPython prints.

    programs.py ASYNCDEMO PROGRAM.py...

Each program runs twice on an exact virtual clock: under this python3
(virtual_clock.py) and under `asyncdemo run PROGRAM.py --clock=virtual
--format=jsonl`. The printed lines, their order, their times (to floating
rounding) and the end (CPython's last traceback line against asyncdemo's
"error") must be the same. Every difference is reported; the exit is the
number of programs that differ (at most 1).
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compare import TOLERANCE, python_lines, scenario_lines, show  # noqa: E402

SEED = 1


def check(binary, path):
    """None when asyncdemo runs `path` as CPython does; else what differs."""
    with open(path, encoding="utf-8") as f:
        program = f.read()
    # A program that draws without seeding draws the same on both sides.
    # (--seed is refused where nothing is drawn.)
    draws = "random" in program
    want, want_error = python_lines(program, seed=SEED if draws else None)
    got, got_error = scenario_lines(binary, ["run", path] + ([f"--seed={SEED}"] if draws else []))
    if [t for _, t in want] != [t for _, t in got]:
        import difflib
        return "lines differ (- python, + asyncdemo):\n" + "".join(
            difflib.unified_diff(show(want), show(got), "python", "asyncdemo"))
    if want_error != got_error:
        return f"another end:\n  python    {want_error!r}\n  asyncdemo {got_error!r}"
    late = [(n, w, g) for n, (w, g) in enumerate(zip(want, got), 1)
            if abs(w[0] - g[0]) >= TOLERANCE]
    if late:
        return "same lines, other times:\n" + "".join(
            f"  line {n}: {w[1]!r}: python {w[0]:.9f} s, asyncdemo {g[0]:.9f} s\n"
            for n, w, g in late)
    return None


def main():
    binary, paths = sys.argv[1], sys.argv[2:]
    failed = 0
    for path in paths:
        problem = check(binary, path)
        if problem:
            failed += 1
            print(f"{path}: {problem}")
        else:
            print(f"{path}: same lines, times and end as CPython")
    print(f"{len(paths) - failed} of {len(paths)} programs as CPython runs them")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
