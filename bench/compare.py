#!/usr/bin/env python3
"""Runs the swarm workload in asyncdemo and its peers, several runs each, and
prints a side-by-side table (wall time, peak RSS, per task, ratios).

    bench/compare.py [--tasks N] [--runs R] [--slow-runs S] [--asyncdemo PATH] [--no-peers]

asyncdemo runs it twice over: the compiled swarm and the same swarm as a
scenario file (bench/swarm.toml), each on both clocks. Peers run where
present on the machine (unless --no-peers): CPython asyncio (bench/swarm.py)
and Node (bench/swarm.js). Wall time is measured around each process, peak
RSS is the child's own maximum resident set (wait4's rusage). CPython is
slow at a million tasks (tens of seconds), so it gets --slow-runs runs (1 by
default) to keep the shared cores free. Never part of the test suite.
"""
import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
MAX_SLEEP = "1"
SEED = "2024"


def measure(cmd):
    """(wall seconds, peak RSS bytes) of one run of cmd, its output discarded."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    if proc.returncode != 0:
        sys.exit(f"compare.py: {' '.join(cmd)} failed ({proc.returncode}): {err.strip()}")
    return wall, usage.ru_maxrss * 1024, usage.ru_utime + usage.ru_stime


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tasks", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--slow-runs", type=int, default=1)
    ap.add_argument("--asyncdemo", default=os.path.join(ROOT, "build", "asyncdemo"))
    ap.add_argument("--no-peers", action="store_true",
                    help="asyncdemo only: leave out CPython and Node")
    args = ap.parse_args()
    n = str(args.tasks)

    contenders = [
        ("asyncdemo (real clock)", [args.asyncdemo, "swarm", "--tasks=" + n, "--mode=gather",
                                    "--max-sleep=" + MAX_SLEEP, "--seed=" + SEED], args.runs),
        ("asyncdemo (virtual clock)", [args.asyncdemo, "swarm", "--tasks=" + n, "--mode=gather",
                                       "--clock=virtual", "--max-sleep=" + MAX_SLEEP,
                                       "--seed=" + SEED], args.runs),
    ]
    # The same swarm written as a scenario file (bench/swarm.toml), on each
    # clock: what the interpreter costs against the compiled coroutines.
    toml = os.path.join(HERE, "swarm.toml")
    file_args = ["--tasks=" + n, "--mode=gather", "--max-sleep=" + MAX_SLEEP, "--seed=" + SEED]
    contenders += [
        ("scenario file (real clock)", [args.asyncdemo, "run", toml] + file_args, args.runs),
        ("scenario file (virtual clock)", [args.asyncdemo, "run", toml, "--clock=virtual"] +
         file_args, args.runs),
    ]
    node = None if args.no_peers else shutil.which("node")
    if node:
        contenders.append(("Node " + subprocess.run([node, "--version"], capture_output=True,
                                                    text=True).stdout.strip(),
                           [node, os.path.join(HERE, "swarm.js"), n, MAX_SLEEP, SEED], args.runs))
    python = None if args.no_peers else shutil.which("python3")
    if python:
        contenders.append(("CPython " + platform.python_version() + " asyncio",
                           [python, os.path.join(HERE, "swarm.py"), n, MAX_SLEEP, SEED],
                           args.slow_runs))

    # Round by round, each contender once a round: a noisy minute on the
    # shared machine then falls on all of them alike.
    samples = {name: ([], [], []) for name, _, _ in contenders}
    for i in range(max(runs for _, _, runs in contenders)):
        for name, cmd, runs in contenders:
            if i >= runs:
                continue
            w, r, c = measure(cmd)
            for kept, value in zip(samples[name], (w, r, c)):
                kept.append(value)
            print(f"  {name}: run {i + 1}/{runs}: {w:.3f} s, {r / 2**20:.0f} MiB", file=sys.stderr)
    rows = [(name, samples[name][0], max(samples[name][1]), statistics.mean(samples[name][2]))
            for name, _, _ in contenders]
    missing = [] if args.no_peers else [
        p for p, found in (("node", node), ("python3", python)) if not found]

    base_wall = statistics.mean(rows[0][1])
    base_rss = rows[0][2]
    header = ("runtime", "wall (mean ± σ)", "min", "CPU", "peak RSS", "per task", "× wall",
              "× RSS")
    table = [header]
    for name, walls, rss, cpu in rows:
        mean = statistics.mean(walls)
        sd = statistics.stdev(walls) if len(walls) > 1 else 0.0
        table.append((name, f"{mean:.3f} ± {sd:.3f} s", f"{min(walls):.3f} s", f"{cpu:.3f} s",
                      f"{rss / 2**20:.0f} MiB", f"{rss / args.tasks:.0f} B",
                      f"{mean / base_wall:.2f}", f"{rss / base_rss:.2f}"))
    widths = [max(len(r[i]) for r in table) for i in range(len(header))]
    print(f"swarm: {args.tasks} tasks sleeping random times below {MAX_SLEEP} s (seed {SEED}); "
          f"{args.runs} runs each ({args.slow_runs} for CPython)")
    print(f"machine: {cpu_model()}, {os.cpu_count()} cores, {platform.system()} "
          f"{platform.release()}; load average {os.getloadavg()[0]:.2f} at the end")
    print()
    for i, r in enumerate(table):
        cells = [r[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(r[1:], widths[1:])]
        print("| " + " | ".join(cells) + " |")
        if i == 0:
            print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    print()
    print("× wall, × RSS: that runtime's figure divided by asyncdemo's on the real clock "
          "(above 1: asyncdemo is faster, leaner). CPU: user + system time. Per task: peak RSS / "
          "tasks.")
    by_name = {name: (statistics.median(walls), rss) for name, walls, rss, _ in rows}
    for clock in ("real", "virtual"):
        compiled = by_name[f"asyncdemo ({clock} clock)"]
        scripted = by_name[f"scenario file ({clock} clock)"]
        print(f"scenario file / compiled swarm, {clock} clock: × {scripted[0] / compiled[0]:.2f} "
              f"median wall, × {scripted[1] / compiled[1]:.2f} peak RSS")
    if missing:
        print("not on this machine, so not compared: " + ", ".join(missing))


if __name__ == "__main__":
    main()
