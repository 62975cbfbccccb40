#!/usr/bin/env python3
"""Differential test: random scenario files, run by asyncdemo and by CPython.

    random_scenarios.py ASYNCDEMO [--programs N | --long] [--seed S] [--shard K/N]
                                  [--jobs J] [--keep DIR]

Writes N random scenario files (500; --long: 20,000), drawn with a seed that
is new each run and printed (the same seed, the same files):
jobs of prints, sleeps and blocks whose durations are drawn from a few
values so that ties abound, repeats, jobs with count, helper coroutines
called inline, values drawn with random, main's before, each and after,
and programs with a main of their own (tasks, awaits, cancels, gathers,
on_cancel). Some programs take the primitives' steps too: a [shared]
Lock, Semaphore, Event, Queue and counter, with, timeout and wait_for
blocks (every wait that could last for ever is inside one, so that no
program hangs), taskgroups, wait, to_thread, if and raise. A program that
raises must end as CPython's does (its last traceback line). Each runs in every mode it supports on asyncdemo's virtual
clock and, as its --python program, under CPython on an exact virtual clock
(virtual_clock.py): every printed line must match, in order and in time.
"""
import argparse
import concurrent.futures
import contextlib
import gc
import io
import itertools
import json
import os
import random
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import virtual_clock  # noqa: E402

MODES = ["sync", "await", "create_task", "gather", "as_completed"]
# Words a text may hold that a writer of Python by text would trip on:
# keywords and code the sync program must not rewrite, quotes of every kind,
# braces (written doubled: a file's literal brace), backslashes, a '#',
# format specs that are only text, non-ASCII, and control characters.
HOSTILE = ["await", "async def", "await asyncio.sleep(1)", "asyncio.Lock()",
           "time.sleep(1)  # x", "it's", 'say "hi"', "'" * 3, '"' * 3, "{{braces}}",
           "{{0:>5}}", "{{x!r}}", "back\\slash", "trailing\\", "#hash", "%s %d",
           "__import__('os').system('x')", "café", "日本語", "🎉", "\x1b[31m",
           "\u202eevil", "tab\there", "f'{{x}}'", "\x85next"]


def toml_inside(text):
    """A text as the inside of a TOML basic string ("..."): backslashes and
    quotes escaped, control and invisible characters as \\uXXXX."""
    out = []
    for c in text:
        if c in '\\"':
            out.append("\\" + c)
        elif ord(c) < 0x20 or ord(c) == 0x7f or 0x80 <= ord(c) < 0xa0 or c == "\u202e":
            out.append(f"\\u{ord(c):04x}")
        else:
            out.append(c)
    return "".join(out)
# Durations with ties, sums that meet (0.1 + 0.2 and 0.3), and zero.
DURATIONS = [0, 0.1, 0.2, 0.3, 0.5, 0.5, 1, 1, 1.5, 2]


# Steps only an event loop runs: their programs leave sync mode out.
LOOP_ONLY = ("timeout =", "wait_for =", "taskgroup =", "wait =", "put =", "get =",
             "task_done =", "join =", "set_event =", "wait_event =", "clear_event =")


class Writer:
    """One random program."""

    def __init__(self, rng):
        self.rng = rng
        self.lines = []
        self.texts = 0
        self.shared = []          # [shared] names this program has
        self.cancel_prints = set()  # helpers that print when cancelled (or call one that does)

    def text(self, names):
        """A line to print (the inside of a TOML string), with a placeholder
        now and then, and hostile words."""
        self.texts += 1
        words = [f"line {self.texts}"]
        for _ in range(self.rng.choice([0, 0, 1, 2])):
            words.append(toml_inside(self.rng.choice(HOSTILE)))
        if names and self.rng.random() < 0.5:
            spec = self.rng.choice(["", "", "!r", ":>6", ":^7", ":<4"])
            words.append("{" + self.rng.choice(names) + spec + "}")
        if self.rng.random() < 0.3:
            words.append("at {now():.3f}")
        return " ".join(words)

    def duration(self, names):
        r = self.rng.random()
        if r < 0.15 and "index" in names:
            return f'"{self.rng.choice([0.5, 1])} * (index % 2)"'
        if r < 0.25 and "p" in names:
            return '"p"'
        return repr(self.rng.choice(DURATIONS))

    def primitive_step(self, kind, names, depth, helpers):
        """One of the primitives' steps (None if this program cannot take it)."""
        rng = self.rng
        inner = lambda: self.steps(names, depth + 1, helpers, in_block=True)  # noqa: E731
        said = lambda: f'[ {{ print = "{self.text([])} timed out" }} ]'  # noqa: E731
        limit = lambda: repr(rng.choice([0, 0.5, 1, 1.5, 2]))  # noqa: E731
        if kind == "with" and ({"lock", "sem"} & set(self.shared)):
            name = rng.choice(sorted({"lock", "sem"} & set(self.shared)))
            return f'{{ with = "{name}", steps = {inner()} }}'
        if kind == "bump" and "counter" in self.shared:  # read, await, write: lost updates
            var = f"b{self.texts}"
            return (f'{{ set = "{var}", to = "counter" }}, {{ sleep = {self.duration(names)} }}, '
                    f'{{ set = "counter", to = "{var} + 1" }}, {{ print = "counter {{counter}}" }}')
        if kind == "queue" and "queue" in self.shared:
            if rng.random() < 0.5:
                body = f'[ {{ put = "queue", item = "{self.texts}" }} ]'
            else:
                var = f"q{self.texts}"
                body = (f'[ {{ get = "queue", as = "{var}" }}, {{ print = "got {{{var}}}" }}, '
                        f'{{ task_done = "queue" }} ]')
            if rng.random() < 0.2:
                body = '[ { join = "queue" } ]'
            return f'{{ timeout = {limit()}, steps = {body}, on_timeout = {said()} }}'
        if kind == "event" and "gate" in self.shared:
            r = rng.random()
            if r < 0.4:
                return '{ set_event = "gate" }'
            if r < 0.5:
                return '{ clear_event = "gate" }'
            return (f'{{ timeout = {limit()}, steps = [ {{ wait_event = "gate" }}, '
                    f'{{ print = "{self.text([])} gate open" }} ], on_timeout = {said()} }}')
        if kind == "timeout":
            return f'{{ timeout = {limit()}, steps = {inner()}, on_timeout = {said()} }}'
        if kind == "wait_for" and helpers:
            var = f"w{self.texts}"
            names.append(var)
            return (f'{{ wait_for = "{rng.choice(helpers)}", timeout = {limit()}, as = "{var}", '
                    f'on_timeout = {said()} }}')
        quiet = [h for h in helpers if h not in self.cancel_prints]
        if kind == "taskgroup" and quiet:
            # (Helpers that print when cancelled are left out: CPython
            # cancels a failing group's others in set order, which varies.)
            var = f"g{self.texts}"
            names.append(var)
            picks = ", ".join(f'"{rng.choice(quiet)}"' for _ in range(rng.randint(1, 3)))
            return f'{{ taskgroup = [{picks}], as = "{var}" }}'
        if kind == "wait" and helpers:
            var = f"d{self.texts}"
            names.append(var)
            picks = ", ".join(f'"{rng.choice(helpers)}"' for _ in range(rng.randint(1, 3)))
            when = rng.choice(["FIRST_COMPLETED", "FIRST_EXCEPTION", "ALL_COMPLETED"])
            timeout = f", timeout = {limit()}" if rng.random() < 0.3 else ""
            return (f'{{ wait = [{picks}], return_when = "{when}"{timeout}, '
                    f'cancel_pending = true, as = "{var}" }}')
        if kind == "to_thread":
            return f"{{ to_thread = {rng.choice([0, 0.1, 0.5, 1])} }}"
        if kind == "if":
            cond = rng.choice(["random.random() < 0.5", "now() > 1", "True"])
            other = f", else = {inner()}" if rng.random() < 0.5 else ""
            return f'{{ if = "{cond}", steps = {inner()}{other} }}'
        return None

    def steps(self, names, depth, helpers, tasks=None, allow_return=False, in_block=False):
        """An inline array of steps; `names` are those an expression may use."""
        out = []
        names = list(names)
        primitives = bool(self.shared) or self.primitives
        for _ in range(self.rng.randint(1, 4 if depth else 6)):
            kinds = ["print", "sleep", "block", "repeat", "set", "call"]
            weights = [5, 5, 2, 2 if depth < 2 else 0, 2, 1 if helpers and not in_block else 0]
            if primitives and in_block:
                # Inside a block nothing waits for a lock or another task:
                # a with in a with, or a task waiting for a child that wants
                # the lock its parent holds, would wait for ever.
                kinds += ["bump", "to_thread"]
                weights += [2, 1]
            elif primitives and depth < 3:
                kinds += ["with", "bump", "queue", "event", "timeout", "wait_for", "taskgroup",
                          "wait", "to_thread", "if"]
                weights += [2, 2, 2, 2, 1, 1, 1, 1, 1, 1]
            kind = self.rng.choices(kinds, weights=weights)[0]
            if kind not in ("print", "sleep", "block", "repeat", "set", "call"):
                step = self.primitive_step(kind, names, depth, helpers)
                if step:
                    out.append(step)
                continue
            if kind == "print":
                out.append(f'{{ print = "{self.text(names)}" }}')
            elif kind in ("sleep", "block"):
                value = self.duration(names) if kind == "sleep" else repr(
                    self.rng.choice([0, 0.1, 0.5, 1]))
                out.append(f"{{ {kind} = {value} }}")
            elif kind == "repeat":
                var = f"r{depth}"
                body = self.steps(names + [var], depth + 1, helpers, in_block=in_block)
                out.append(f'{{ repeat = {self.rng.randint(0, 3)}, as = "{var}", steps = {body} }}')
            elif kind == "set":
                var = f"v{len(out)}d{depth}"
                expr = self.rng.choice(["random.randint(1, 9)", "random.random() < 0.5",
                                        "round(random.uniform(0, 2), 2)", "len(str(now()))"])
                out.append(f'{{ set = "{var}", to = "{expr}" }}')
                names.append(var)
            elif kind == "call":
                helper = self.rng.choice(helpers)
                var = f"c{len(out)}d{depth}"
                out.append(f'{{ call = "{helper}", as = "{var}" }}')
                names.append(var)
        if not out:
            out.append(f'{{ print = "{self.text(names)}" }}')
        if allow_return and primitives and self.rng.random() < 0.1:
            out.append(f'{{ raise = "ValueError", message = "line {self.texts} failed" }}')
        elif allow_return and self.rng.random() < 0.5:
            out.append('{ return = "' + self.rng.choice(
                ["random.randint(1, 100)", "str(now())", "[1, 2]", "None"]) + '" }')
        return "[ " + ", ".join(out) + " ]"

    def program(self):
        rng = self.rng
        w = self.lines
        w.append(f'summary = "a random program"')
        own_main = rng.random() < 0.2
        param = rng.random() < 0.3
        if param:
            w.append("[params.p]\ntype = \"seconds\"\ndefault = 0.5")
        # Shared primitives and the steps that use them.
        self.primitives = rng.random() < 0.4
        if self.primitives and rng.random() < 0.8:
            self.shared = [n for n in ("counter", "lock", "sem", "gate", "queue")
                           if rng.random() < 0.6]
            decl = {"counter": "0", "lock": '"Lock()"', "sem": '"Semaphore(2)"',
                    "gate": '"Event()"', "queue": f'"Queue({rng.choice([0, 1, 2])})"'}
            if self.shared:
                w.append("[shared]\n" + "\n".join(f"{n} = {decl[n]}" for n in self.shared))
        base = ["p"] if param else []
        helpers = []
        for h in range(rng.randint(0, 2)):
            name = f"helper{h}"
            body = self.steps(base, 1, helpers[:], allow_return=True)
            w.append(f'[[coroutine]]\nname = "{name}"\nsteps = {body}')
            if rng.random() < 0.3:
                w.append(f'on_cancel = [ {{ print = "{name} cancelled" }} ]')
                self.cancel_prints.add(name)
            if any(f'"{c}"' in body for c in self.cancel_prints):
                self.cancel_prints.add(name)  # it calls (or waits for) one that does
            helpers.append(name)
        jobs = rng.randint(1, 3)
        for j in range(jobs):
            names = list(base)
            w.append("[[job]]")
            if rng.random() < 0.3:
                w.append(f'name = "j{j}_{{index}}"\ncount = {rng.randint(1, 3)}')
                names.append("index")
            else:
                w.append(f'name = "j{j}"')
            w.append(f"steps = {self.steps(names, 0, helpers, allow_return=True)}")
        if own_main:
            pool = [f"helper{h}" for h in range(len(helpers))]
            if not pool:
                own_main = False
            else:
                steps = []
                made = []
                for k in range(rng.randint(1, 5)):
                    kind = rng.choice(["task", "task", "await", "cancel", "gather", "sleep",
                                       "print"])
                    if kind == "task":
                        t = f"t{k}"
                        steps.append(f'{{ task = "{rng.choice(pool)}", as = "{t}" }}')
                        made.append(t)
                    elif kind == "await" and made:
                        steps.append(f'{{ await = "{rng.choice(made)}", as = "a{k}" }}')
                    elif kind == "cancel" and made:
                        steps.append(f'{{ cancel = "{rng.choice(made)}" }}')
                    elif kind == "gather":
                        steps.append('{ gather = [' + ", ".join(
                            f'"{rng.choice(pool)}"' for _ in range(rng.randint(1, 2)))
                            + f'], as = "g{k}" }}')
                    elif kind == "sleep":
                        steps.append(f"{{ sleep = {rng.choice(DURATIONS)!r} }}")
                    else:
                        steps.append(f'{{ print = "{self.text([])}" }}')
                w.append("[main]\nsteps = [ " + ", ".join(steps) + " ]")
                # Awaiting a cancelled task raises: these programs end failed
                # on both sides, which is compared too.
        if not own_main and rng.random() < 0.7:
            w.append("[main]")
            if rng.random() < 0.6:
                w.append(f'before = [ {{ print = "{self.text([])}" }}, '
                         f'{{ set = "start", to = "now()" }} ]')
            if rng.random() < 0.5:
                w.append('each = [ { print = "got {result}" } ]')
            w.append('after = [ { print = "results {results} after {now():.3f}" } ]')
        return "\n".join(w) + "\n"


def asyncdemo_lines(binary, path, mode):
    """(time, text) of every print, on asyncdemo's virtual clock; and how it
    ended: None, or its "error" (CPython's last traceback line)."""
    r = subprocess.run([binary, "run", path, f"--mode={mode}", "--clock=virtual", "--format=jsonl"],
                       capture_output=True, text=True, timeout=60)
    if r.returncode == 2:
        raise RuntimeError(f"asyncdemo refused {path}: {r.stderr.strip()}")
    events = [json.loads(line) for line in r.stdout.split("\n") if line]
    lines = [(e["time"], e["text"]) for e in events
             if e.get("type") == "event" and e.get("kind") == "print"]
    error = next((e.get("error") for e in events if e.get("type") == "summary"), None)
    if r.returncode != 0 and error is None:
        error = f"exit status {r.returncode}: {r.stderr.strip()}"
    return lines, error


def python_lines(binary, path, mode):
    program = subprocess.run([binary, "run", path, f"--mode={mode}", "--python"],
                             capture_output=True, text=True, check=True, timeout=60).stdout
    events = io.StringIO()
    error = None
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        try:
            virtual_clock.run_program(program, path + ".py", events)
        except BaseException as exc:  # the program raised, as the scenario may have
            error = virtual_clock.error_text(exc)
        gc.collect()  # "Task exception was never retrieved" goes where the rest went
    return [(e["time"], e["text"]) for e in map(json.loads, filter(None, events.getvalue().split("\n")))], error


def modes_of(text):
    if "[main]\nsteps" in text:
        return ["create_task"]
    if any(verb in text for verb in LOOP_ONLY):
        return [m for m in MODES if m != "sync"]
    return MODES


LONG_PROGRAMS = 20_000


def check(binary, where, seed, i):
    """Writes program i of the sample drawn with seed, runs it in each of its
    modes on both sides: (runs, lines, what differed, the program's text)."""
    text = Writer(random.Random(seed * 1_000_003 + i)).program()
    path = os.path.join(where, f"random{i}.toml")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    runs = lines = 0
    differences = []
    for mode in modes_of(text):
        runs += 1
        got, got_error = asyncdemo_lines(binary, path, mode)
        want, want_error = python_lines(binary, path, mode)
        lines += len(got)
        same = [t for _, t in got] == [t for _, t in want] and all(
            abs(a[0] - b[0]) < 1e-9 for a, b in zip(got, want)) and got_error == want_error
        if not same:
            report = (f"{path} --mode={mode}: differs from CPython "
                      f"(asyncdemo {got_error or 'ok'!r}, python {want_error or 'ok'!r})")
            for a, b in zip(got + [None] * len(want), want + [None] * len(got)):
                if a != b:
                    report += f"\n  asyncdemo {a}\n  python    {b}"
                    break
            differences.append(report)
    return runs, lines, differences, text


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("--programs", type=int, default=500, help="the sample's size (default 500)")
    ap.add_argument("--long", action="store_true",
                    help=f"{LONG_PROGRAMS:,} programs, the thorough run (use --jobs)")
    ap.add_argument("--seed", type=int,
                    help="draws the sample (default: a new seed each run, printed)")
    ap.add_argument("--shard", default="1/1", metavar="K/N",
                    help="only programs K, K+N, K+2N, ... of the sample (ctest runs shards side by side)")
    ap.add_argument("--jobs", type=int, default=1, help="programs checked at once")
    ap.add_argument("--keep", help="write the programs here (else a temporary directory)")
    args = ap.parse_args()
    programs = LONG_PROGRAMS if args.long else args.programs
    try:
        shard, shards = (int(n) for n in args.shard.split("/"))
    except ValueError:
        ap.error(f"--shard {args.shard!r}: give K/N, e.g. 2/4")
    if not 1 <= shard <= shards:
        ap.error(f"--shard {args.shard}: K must be 1 to N")
    # A new sample each run, so that runs add up to many programs; the seed
    # brings one back.
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1, 1_000_000)
    again = (f"{os.path.basename(sys.argv[0])} ASYNCDEMO --seed {seed} --programs {programs}"
             + (f" --shard {args.shard}" if shards > 1 else ""))
    print(f"seed {seed}: to run this sample again, {again}", flush=True)
    started = time.monotonic()
    runs = failures = lines = checked = 0
    with tempfile.TemporaryDirectory() as tmp, \
            concurrent.futures.ProcessPoolExecutor(max_workers=args.jobs) as pool:
        where = args.keep or tmp
        os.makedirs(where, exist_ok=True)
        indices = range(shard - 1, programs, shards)
        results = pool.map(check, itertools.repeat(args.binary), itertools.repeat(where),
                           itertools.repeat(seed), indices, chunksize=8)
        for n, (program_runs, program_lines, differences, text) in enumerate(results, 1):
            checked, runs, lines = n, runs + program_runs, lines + program_lines
            for report in differences:
                failures += 1
                print(report)
            if failures >= 10:
                print("stopping after 10 differences")
                print(text)
                pool.shutdown(cancel_futures=True)
                break
            if args.long and n % 1000 == 0:
                print(f"{n} programs, {time.monotonic() - started:.0f} s", flush=True)
    print(f"{checked} random programs, {runs} runs, {lines} lines: "
          f"{runs - failures} the same as CPython {sys.version.split()[0]} "
          f"(seed {seed}, {time.monotonic() - started:.0f} s)")
    if failures:
        print(f"{failures} differed; to run this sample again, {again}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
