#!/usr/bin/env python3
"""A program's modes: the ones derived from its jobs print what CPython prints.

    program_modes.py [--shard K/N] ASYNCDEMO PROGRAM.py...

(ctest python.program_modes: the tutorials' programs, python/programs/, and
python/modes/'s.)

For every program and each of the five modes, `asyncdemo run PROGRAM.py
--python --mode=M` either prints the program of that mode or refuses in one
line (exit 2). A printed program of a derived mode (not the program's own,
which python.programs checks) runs under this python3 on an exact virtual
clock (virtual_clock.py) and must print the same lines at the same times,
and end the same way, as `asyncdemo run PROGRAM.py --mode=M --clock=virtual
--format=jsonl`. The modes each tutorial program takes are listed below: a
program of the jobs shape that stops deriving a mode fails here. Every
difference is reported; the exit is 1 if any.
"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compare import TOLERANCE, python_lines, scenario_lines, show  # noqa: E402

SEED = 1
ALL = ["sync", "await", "create_task", "gather", "as_completed"]

# Each tutorial program's own mode and the modes it runs in.
EXPECTED = {
    "seed000_delayed_print_await.py": ("await", ALL),
    "seed000_delayed_print_gather.py": ("gather", ALL),
    "seed000_delayed_print_sync.py": ("sync", ["sync"]),
    "seed000_delayed_print_tasks.py": ("create_task", ALL),
    "seed000_delayed_print_tasks_unawaited.py": ("create_task", ["create_task"]),
    "seed001_breakfast_await.py": ("await", ALL),
    "seed001_breakfast_create_task.py": ("create_task", ALL),
    "seed001_breakfast_gather.py": ("gather", ALL),
    "seed001_breakfast_sync.py": ("sync", ["sync"]),
    "seed002_as_completed.py": ("as_completed", ALL),
    "seed002_factorial.py": ("gather", ["gather"]),
    "seed002_gather.py": ("gather", ALL),
    "seed002_task_callbacks.py": ("create_task", ["create_task"]),
    "seed002_worker.py": ("await", ALL),
    "seed003_random_add_async_test.py": ("await", ALL),
    "seed003_random_add_gather.py": ("gather", ALL),
    "seed003_random_add_sync.py": ("sync", ["sync"]),
    "seed003_random_add_tasks.py": ("create_task", ALL),
    "seed004_await_foo.py": ("await", ALL),
    "seed004_futures.py": ("create_task", ["create_task"]),
    "seed004_main.py": ("await", ["await"]),
    "seed004_task.py": ("create_task", ["create_task"]),
    "seed004_task_await.py": ("create_task", ALL),
    "seed004_task_sleep.py": ("create_task", ["create_task"]),
    "seed004_task_sleep_short.py": ("create_task", ["create_task"]),
    # python/modes/: the shapes and refusals the tutorials do not show.
    "awaits_list.py": ("await", ALL),
    "no_sync.py": ("gather", ALL[1:]),
    "per_result.py": ("as_completed", ALL),
    "results_by_position.py": ("gather", ALL[:-1]),
    "task_variables.py": ("create_task", ALL[:-1]),
}


def asyncdemo(binary, *args):
    return subprocess.run([binary, *args], capture_output=True, text=True, timeout=60)


def own_mode(binary, path):
    """The mode the program runs in by default (its summary's)."""
    run = asyncdemo(binary, "run", path, "--clock=virtual", "--format=jsonl")
    for line in run.stdout.splitlines():
        record = json.loads(line)
        if record.get("type") == "summary":
            return record.get("mode")
    return None


def differs(binary, path, mode, program, draws):
    """None when the derived program runs on both sides alike; else what differs."""
    want, want_error = python_lines(program, seed=SEED if draws else None)
    got, got_error = scenario_lines(
        binary, ["run", path, f"--mode={mode}"] + ([f"--seed={SEED}"] if draws else []))
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


def check(binary, path):
    """The problems of one program, and how many derived modes were compared."""
    problems, compared = [], 0
    name = os.path.basename(path)
    with open(path, encoding="utf-8") as f:
        draws = "random" in f.read()
    own = own_mode(binary, path)
    modes = []
    for mode in ALL:
        run = asyncdemo(binary, "run", path, "--python", f"--mode={mode}")
        if run.returncode == 2:
            lines = run.stderr.splitlines()
            if len(lines) != 1 or not lines[0].startswith("asyncdemo: ") or run.stdout:
                problems.append(f"--mode={mode} is refused in other than one line:\n{run.stderr}")
            continue
        if run.returncode != 0:
            problems.append(f"--python --mode={mode} exited {run.returncode}:\n{run.stderr}")
            continue
        modes.append(mode)
        if mode == own:
            continue  # as written: python.programs compares it
        compared += 1
        problem = differs(binary, path, mode, run.stdout, draws)
        if problem:
            problems.append(f"--mode={mode}: {problem}")
    if name in EXPECTED and EXPECTED[name] != (own, modes):
        problems.append(f"runs as {own} in {modes}; expected as {EXPECTED[name][0]} in "
                        f"{EXPECTED[name][1]}")
    return problems, compared


def main():
    args = sys.argv[1:]
    shard, of = 1, 1
    if args and args[0] == "--shard":  # --shard K/N: every Nth program, from the Kth
        shard, of = (int(x) for x in args[1].split("/"))
        args = args[2:]
    binary, paths = args[0], args[1:][shard - 1::of]
    failed = compared = 0
    for path in paths:
        problems, n = check(binary, path)
        compared += n
        if problems:
            failed += 1
            for p in problems:
                print(f"{path}: {p}")
        else:
            print(f"{path}: {n} derived modes print what CPython prints")
    print(f"{len(paths) - failed} of {len(paths)} programs as expected; "
          f"{compared} derived programs compared with CPython")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
