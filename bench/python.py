#!/usr/bin/env python3
"""Python programs under asyncdemo, side by side with what they are held to,
and a table of ratios (wall time, peak RSS).

    bench/python.py [--tasks N] [--real-tasks N] [--real-max-sleep S ...]
                    [--runs R] [--start-runs R] [--asyncdemo PATH]
                    [--python PATH] [--no-peers]

Three comparisons, each contender once a round (a noisy minute on a shared
machine falls on all of them alike):

1. Virtual clock: bench/py_swarm.py with --tasks tasks (1,000,000) against
   the compiled swarm (`asyncdemo swarm`) with the same count, sleeps and
   seed. Target: within 2x its wall time and 1.5x its peak memory.
2. Real clock: the same file with --real-tasks tasks (100,000), each
   sleeping a random time below S seconds (each --real-max-sleep), under
   asyncdemo, CPython 3.11 and CPython with uvloop (Debian's python3-uvloop;
   the file run by runpy after uvloop.install()). Target: asyncdemo at least
   3x faster than either.
3. Start-up: a small program (tests/python/programs/seed001_breakfast_gather.py)
   on the virtual clock, the whole process; beside it the compiled breakfast
   scenario. Target: under 20 ms.

Wall time is measured around each process, peak RSS is the child's own
maximum resident set (wait4's rusage). The programs are copies of
bench/py_swarm.py in a temporary directory with TASKS and MAX_SLEEP set.
Never part of the test suite at full size (tests run it with tiny counts).
"""
import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
from compare import cpu_model  # noqa: E402

SEED = "2024"  # the seed py_swarm.py sets, and the compiled swarm's --seed
UVLOOP = ("import runpy, sys, uvloop; uvloop.install(); "
          "runpy.run_path(sys.argv[1], run_name='__main__')")
BREAKFAST = os.path.join(ROOT, "tests", "python", "programs", "seed001_breakfast_gather.py")


def program(directory, tasks, max_sleep):
    """A copy of py_swarm.py with TASKS and MAX_SLEEP set; its path."""
    with open(os.path.join(HERE, "py_swarm.py")) as f:
        text = f.read()
    text, n = re.subn(r"^TASKS = .*$", f"TASKS = {tasks:_}", text, flags=re.M)
    text, m = re.subn(r"^MAX_SLEEP = .*$", f"MAX_SLEEP = {max_sleep!r}", text, flags=re.M)
    assert n == 1 and m == 1, "py_swarm.py sets TASKS and MAX_SLEEP once each"
    path = os.path.join(directory, f"py_swarm_{tasks}_{max_sleep}.py")
    with open(path, "w") as f:
        f.write(text)
    return path


def measure(cmd, directory, expect):
    """(wall seconds, peak RSS bytes, CPU seconds) of one run of cmd, whose
    output (kept in `directory`) must hold the line `expect`."""
    out_path = os.path.join(directory, "out.txt")
    with open(out_path, "wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
    with open(out_path, errors="replace") as f:
        text = f.read()
    code = os.waitstatus_to_exitcode(status)
    if code != 0 or (expect and not any(line.endswith(expect) for line in text.splitlines())):
        sys.exit(f"python.py: {' '.join(cmd)} exited {code}"
                 + ("" if code else f" without printing {expect!r}") + f":\n{text[-2000:]}")
    return wall, usage.ru_maxrss * 1024, usage.ru_utime + usage.ru_stime


def swarm_line(tasks):
    """What py_swarm.py prints, under every runtime."""
    return f"{tasks} tasks, the last {tasks - 1}"


def rounds(contenders, runs, directory):
    """{name: (walls, peak RSS, mean CPU)}, each contender (name, command,
    a line its output ends, or None) once a round."""
    samples = {name: ([], [], []) for name, _, _ in contenders}
    for i in range(runs):
        for name, cmd, expect in contenders:
            w, r, c = measure(cmd, directory, expect)
            for kept, value in zip(samples[name], (w, r, c)):
                kept.append(value)
            print(f"  {name}: run {i + 1}/{runs}: {w:.3f} s, {r / 2**20:.0f} MiB", file=sys.stderr)
    return {name: (walls, max(rss), statistics.mean(cpu))
            for name, (walls, rss, cpu) in samples.items()}


def table(title, results, base, note):
    """Prints a markdown table; the ratios are each row's against `base`'s."""
    base_wall = statistics.median(results[base][0])
    base_rss = results[base][1]
    base_cpu = results[base][2]
    header = ("runtime", "wall (median)", "min–max", "CPU (mean)", "peak RSS", "× wall", "× CPU",
              "× RSS")
    rows = [header]
    for name, (walls, rss, cpu) in results.items():
        med = statistics.median(walls)
        rows.append((name, f"{med:.3f} s", f"{min(walls):.3f}–{max(walls):.3f} s", f"{cpu:.3f} s",
                     f"{rss / 2**20:.1f} MiB", f"{med / base_wall:.2f}", f"{cpu / base_cpu:.2f}",
                     f"{rss / base_rss:.2f}"))
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    print(title)
    print()
    for i, r in enumerate(rows):
        cells = [r[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(r[1:], widths[1:])]
        print("| " + " | ".join(cells) + " |")
        if i == 0:
            print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    print()
    print(f"× wall, × CPU, × RSS: each row's median wall, mean CPU (user + system) and peak RSS "
          f"divided by {base}'s. {note}")
    print()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tasks", type=int, default=1_000_000,
                    help="tasks on the virtual clock (against the compiled swarm)")
    ap.add_argument("--real-tasks", type=int, default=100_000,
                    help="tasks on the real clock (against CPython and uvloop)")
    ap.add_argument("--real-max-sleep", type=float, nargs="+", default=[1.0, 0.01],
                    help="each task sleeps below this many seconds on the real clock; one "
                         "comparison for each")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--start-runs", type=int, default=20)
    ap.add_argument("--asyncdemo", default=os.path.join(ROOT, "build", "asyncdemo"))
    ap.add_argument("--python", default="/usr/bin/python3",
                    help="the CPython to compare with (Debian's 3.11)")
    ap.add_argument("--no-peers", action="store_true", help="asyncdemo only: no CPython, uvloop")
    args = ap.parse_args()
    if args.tasks < 1 or args.real_tasks < 1 or args.runs < 1 or args.start_runs < 1:
        sys.exit("python.py: --tasks, --real-tasks, --runs and --start-runs are at least 1")
    ad = os.path.abspath(args.asyncdemo)
    if not os.access(ad, os.X_OK):
        sys.exit(f"python.py: no asyncdemo at {ad}; build it, or give --asyncdemo PATH")

    print(f"machine: {cpu_model()}, {os.cpu_count()} cores, {platform.system()} "
          f"{platform.release()}; load average {os.getloadavg()[0]:.2f} at the start")
    print()
    unmet = []
    with tempfile.TemporaryDirectory(prefix="asyncdemo-bench-") as tmp:
        # 1. Virtual clock: the program against the compiled swarm.
        prog = program(tmp, args.tasks, 1.0)
        virtual = rounds([
            ("compiled swarm", [ad, "swarm", f"--tasks={args.tasks}", "--mode=gather",
                                "--clock=virtual", "--max-sleep=1", "--seed=" + SEED], None),
            ("py_swarm.py", [ad, "run", prog, "--clock=virtual"], swarm_line(args.tasks)),
        ], args.runs, tmp)
        table(f"## {args.tasks:,} tasks, virtual clock ({args.runs} runs each)", virtual,
              "compiled swarm",
              "Target: py_swarm.py within 2x the compiled swarm's wall time and 1.5x its peak "
              "RSS.")
        wall = (statistics.median(virtual["py_swarm.py"][0]) /
                statistics.median(virtual["compiled swarm"][0]))
        rss = virtual["py_swarm.py"][1] / virtual["compiled swarm"][1]
        if wall > 2:
            unmet.append(f"virtual clock: wall x{wall:.2f} of the compiled swarm's (target 2)")
        if rss > 1.5:
            unmet.append(f"virtual clock: peak RSS x{rss:.2f} of the compiled swarm's (target 1.5)")

        # 2. Real clock: the same file under asyncdemo, CPython and uvloop.
        python = None if args.no_peers else shutil.which(args.python)
        uvloop = python and subprocess.run([python, "-c", "import uvloop"],
                                           capture_output=True).returncode == 0
        version = python and subprocess.run([python, "-c", "import platform; "
                                             "print(platform.python_version())"],
                                            capture_output=True, text=True).stdout.strip()
        for max_sleep in args.real_max_sleep:
            prog = program(tmp, args.real_tasks, max_sleep)
            line = swarm_line(args.real_tasks)
            contenders = [("asyncdemo", [ad, "run", prog], line)]
            if python:
                contenders.append((f"CPython {version}", [python, prog], line))
            if uvloop:
                contenders.append((f"CPython {version} + uvloop", [python, "-c", UVLOOP, prog],
                                   line))
            real = rounds(contenders, args.runs, tmp)
            table(f"## {args.real_tasks:,} tasks sleeping below {max_sleep:g} s, real clock "
                  f"({args.runs} runs each)", real, "asyncdemo",
                  "Target: the others' wall at least 3x asyncdemo's.")
            base = statistics.median(real["asyncdemo"][0])
            for name, (walls, _, _) in real.items():
                if name != "asyncdemo" and statistics.median(walls) / base < 3:
                    unmet.append(f"real clock, sleeps below {max_sleep:g} s: {name} x"
                                 f"{statistics.median(walls) / base:.2f} of asyncdemo's wall "
                                 "(target 3)")
        if not args.no_peers and not python:
            print(f"{args.python} not found: not compared with CPython\n")
        elif python and not uvloop:
            print("uvloop not installed (apt-get install python3-uvloop): not compared\n")

        # 3. Start-up: a small program, the whole process on the virtual clock.
        start = rounds([
            ("breakfast (compiled)", [ad, "breakfast", "--mode=gather", "--clock=virtual"], None),
            ("seed001_breakfast_gather.py", [ad, "run", BREAKFAST, "--clock=virtual"],
             "breakfast is ready in 6.0 min"),
        ], args.start_runs, tmp)
        table(f"## Start-up: breakfast on the virtual clock, the whole process "
              f"({args.start_runs} runs each)", start, "breakfast (compiled)",
              "Target: the program's whole run under 20 ms.")
        ms = statistics.median(start["seed001_breakfast_gather.py"][0]) * 1000
        if ms >= 20:
            unmet.append(f"start-up: breakfast.py {ms:.1f} ms (target 20)")

    print(f"load average {os.getloadavg()[0]:.2f} at the end")
    print("targets unmet: " + ("; ".join(unmet) if unmet else "none"))


if __name__ == "__main__":
    main()
