#!/usr/bin/env python3
"""to_thread's executor has a size, and asyncdemo's is CPython's.

    executor_test.py ASYNCDEMO

A scenario file whose to_thread calls outnumber the workers (nine jobs that
ask at once, a race under asyncio.wait whose loser is cancelled while its
call still waits for a worker, a task that blocks the loop while a worker
frees) runs in every mode with --workers=N, N from 1 to 4 and 32, and its
--python program runs under CPython on the exact virtual clock
(virtual_clock.py --workers N, whose executor is ThreadPoolExecutor's queue:
the first free worker takes the first call that waits; a call cancelled
while it waits never runs). Every line and its time must be the same. The
default size, with neither given, is CPython's on this machine on both
sides. The real clock's figures agree with the model (one figure: the
summary line's ratio is JSON's speedup).
"""
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
VIRTUAL_CLOCK = os.path.join(HERE, "virtual_clock.py")

FILE = '''\
summary = "more to_thread calls than workers"

[[coroutine]]
name = "fast"
steps = [ { to_thread = 1 }, { print = "fast done at {now():.1f}" }, { return = "'fast'" } ]

[[coroutine]]
name = "slow"
steps = [ { to_thread = 5 }, { print = "slow done at {now():.1f}" }, { return = "'slow'" } ]
on_cancel = [ { print = "slow cancelled at {now():.1f}" } ]

[[job]]
name = "w{index}"
count = 9
steps = [
  { print = "w{index} asks at {now():.1f}" },
  { to_thread = "index % 3 + 1" },
  { print = "w{index} done at {now():.1f}" },
]

[[job]]
name = "racer"
steps = [
  { sleep = 0.5 },
  { wait = ["slow", "fast"], return_when = "FIRST_COMPLETED", cancel_pending = true, as = "won" },
  { print = "racer: {won} at {now():.1f}" },
  { block = 1.5 },
  { print = "racer blocked the loop until {now():.1f}" },
  { to_thread = 0.5 },
  { print = "racer done at {now():.1f}" },
]
'''

MODES = ["await", "create_task", "gather", "as_completed"]

# Twelve calls of 1 s on three workers: 4 s, where sync takes 12 s.
MANY = '[[job]]\nname = "j{index}"\ncount = 12\nsteps = [ { to_thread = 1 } ]\n'


def cpython(binary, path, mode, workers):
    program = subprocess.run([binary, "run", path, f"--mode={mode}", "--python"],
                             capture_output=True, text=True, check=True).stdout
    with tempfile.TemporaryDirectory() as tmp:
        events = os.path.join(tmp, "events.jsonl")
        args = [sys.executable, VIRTUAL_CLOCK, "-", "--events", events]
        if workers:
            args += ["--workers", str(workers)]
        run = subprocess.run(args, input=program, capture_output=True, text=True, timeout=120)
        if run.returncode != 0:
            sys.exit(f"the --python program failed ({run.returncode}):\n{run.stderr}")
        with open(events, encoding="utf-8") as f:
            return [(round(r["time"], 9), r["text"]) for r in map(json.loads, f) if "text" in r]


def asyncdemo(binary, path, mode, workers, clock="virtual"):
    args = [binary, "run", path, f"--mode={mode}", f"--clock={clock}", "--format=jsonl"]
    if workers:
        args.append(f"--workers={workers}")
    if clock == "real":
        args.append("--speed=20")
    run = subprocess.run(args, capture_output=True, text=True, timeout=120)
    if run.returncode != 0:
        sys.exit(f"{' '.join(args[1:])} exited {run.returncode}:\n{run.stderr}")
    records = [json.loads(line) for line in run.stdout.splitlines() if line]
    lines = [(round(e["time"], 9), e["text"]) for e in records
             if e.get("type") == "event" and e.get("kind") == "print"]
    summary = next(r for r in records if r.get("type") == "summary")
    return lines, summary


def main():
    binary = sys.argv[1]
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "executor.toml")
        with open(path, "w", encoding="utf-8") as f:
            f.write(FILE)
        for workers in (1, 2, 3, 4, 32, None):
            for mode in MODES:
                want = cpython(binary, path, mode, workers)
                got, summary = asyncdemo(binary, path, mode, workers)
                size = workers or min(32, (os.cpu_count() or 1) + 4)
                if summary.get("workers") != size:
                    print(f"--workers={workers} --mode={mode}: JSON says {summary.get('workers')} "
                          f"workers, not {size}")
                    failures += 1
                if want != got:
                    failures += 1
                    print(f"--workers={workers} --mode={mode}: not CPython's lines and times")
                    for w, g in zip(want + [None] * len(got), got + [None] * len(want)):
                        if w != g:
                            print(f"  python    {w}\n  asyncdemo {g}")
                            break
        # The real clock: the model is the same executor's, so the run is
        # close to it, and the summary line's ratio is JSON's speedup.
        many = os.path.join(tmp, "many.toml")
        with open(many, "w", encoding="utf-8") as f:
            f.write(MANY)
        exported = os.path.join(tmp, "real.json")
        text = subprocess.run([binary, "run", many, "--mode=gather", "--speed=20", "--workers=3",
                               "-q", f"--export-json={exported}"],
                              capture_output=True, text=True, check=True).stdout
        with open(exported, encoding="utf-8") as f:
            figures = json.load(f)["summary"]
        if abs(figures["model"] - 4.0) > 1e-9 or abs(figures["elapsed"] - 4.0) > 0.5:
            failures += 1
            print(f"real clock: elapsed {figures['elapsed']}, model {figures['model']}; "
                  "both should be 4 s")
        ratio = f"{figures['speedup']:.2f} × faster than sync"
        if ratio not in text:
            failures += 1
            print(f"real clock: the summary says {text.strip()!r}; JSON's speedup is "
                  f"{figures['speedup']}")
    if failures:
        sys.exit(f"{failures} problems")
    print(f"{len(MODES)} modes x 6 executor sizes: the same lines and times as CPython "
          f"{sys.version.split()[0]}'s ThreadPoolExecutor on the virtual clock")


if __name__ == "__main__":
    main()
