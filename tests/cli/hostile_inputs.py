#!/usr/bin/env python3
"""Hostile inputs: every bad command line is refused in one clear line.

    hostile_inputs.py ASYNCDEMO CLI_CHECK [--sample N] [--seed S]

For every scenario (`asyncdemo list`) and every option it takes (`asyncdemo
SCENARIO --help`), tries a battery of bad values, as --opt=VALUE and as
--opt VALUE: empty, control characters, escape sequences, bidirectional
overrides, invalid UTF-8, 128 KB, numbers out of range, NaN, inf, hex, huge
lists, lists with empty items; and switches given values, unknown options,
an empty --opt= before another option, options before the scenario, `--`
tricks, paths that cannot be written for --trace, --html, --svg and
--export-* and files that cannot be read for --expect (always inside a
temporary directory: never a device or a system path).

Each bad input must exit 2 with nothing on stdout and exactly one line on
stderr that starts with "asyncdemo: ", contains no control or bidirectional
character, is at most 300 bytes, names the option it refuses, and carries
none of CLI11's own wording. A few good inputs must be accepted, and run by
the binary must exit 0, quickly, to show that the checks can tell the
difference.

Every case (and the discovery: list, each scenario's --help) is answered by
CLI_CHECK (tests/cli/cli_check.cpp), in one process: what the binary would
print and exit with, from the same library, without running anything. Then
a random sample of N cases (300 unless --sample says; the seed is printed,
and differs each run unless --seed gives it), the discovery and the good
inputs are run by ASYNCDEMO itself, one process each, and each must exit
with the status and print on stderr (and, when nothing runs, on stdout) what
CLI_CHECK said. Exits 0 when all is well, 1 otherwise, printing each failure
and then the counts.
"""
import concurrent.futures
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time

MAX_LINE = 300
TIMEOUT = 60  # seconds: a bad input taken as good would run on the real clock
GOOD_TIME = 10  # seconds a good input may take (they run on the virtual clock)
SAMPLE = 300  # bad inputs run by the binary itself, unless --sample says
ENV = {**os.environ, "NO_COLOR": "1", "COLUMNS": "80"}

# What may differ from one process to the next: swarm's caps on --tasks
# follow the memory available (and its threads, the threads the machine
# still allows) at the moment they are asked.
VOLATILE = [re.compile(p) for p in (rb"from 1 to \d+", rb"\(\d+ tasks at most",
                                    rb"--tasks=\d+ or fewer", rb"allows \d+ more")]


def steady(err):
    """stderr with the numbers that differ from one process to the next masked."""
    for v in VOLATILE:
        err = v.sub(lambda m: re.sub(rb"\d+", b"#", m.group()), err)
    return err

# CLI11's own words, which must never reach the user.
CLI11_WORDING = [
    re.compile(r"Could not convert"),
    re.compile(r"\brequired\b"),
    re.compile(r"\bTEXT\b"),
    re.compile(r"The following argument"),
    re.compile(r"\bExpected\b"),
    re.compile(r"\bINT\b"),
    re.compile(r"\bUINT\b"),
    re.compile(r"\bFLOAT\b"),
    re.compile(r"ArgumentMismatch"),
    re.compile(r"Run with --help"),
    re.compile(r"at least \d+ argument"),
    re.compile(r"is not a valid"),
    re.compile(r"Subcommand"),
]

# A value echoed back, in quotes: what it says is the user's, not ours.
QUOTED = re.compile(r"'(?:[^'\\]|\\.)*'")

# Characters that change what a terminal shows: C0 (but the final newline),
# DEL, C1, bidirectional marks, overrides and isolates, line and paragraph
# separators, the byte-order mark.
INVISIBLE = re.compile(
    "[\x00-\x1f\x7f\x80-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff]"
)

NEWLINE = b"\n"
# 128 KB, less room for "--option=": Linux takes no single argument over 128 KB.
BIG = 128 * 1024 - 256
SWITCHES = {"timeline", "python", "quiet", "verbose", "step"}
# Options that name a file to write: each gets the batteries of bad paths
# (never a device or a system path: always inside the temporary directory).
FILES = {"trace", "html", "svg", "export-json", "export-markdown", "export-csv"}


def b(text):
    return text if isinstance(text, bytes) else text.encode("utf-8")


def run(binary, argv, cwd, timeout=TIMEOUT):
    """The binary's answer to argv (the arguments after its name): (status, stdout,
    stderr, seconds); the status is None if it did not finish in time."""
    start = time.monotonic()
    try:
        p = subprocess.run(
            [b(binary)] + [b(a) for a in argv],
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            timeout=timeout,
            env=ENV,
        )
    except subprocess.TimeoutExpired:
        return None, b"", b"", time.monotonic() - start
    return p.returncode, p.stdout, p.stderr, time.monotonic() - start


def answers(check, cases, cwd):
    """cli_check's answer to each command line: (kind, status, stdout, stderr).
    The cases are split among a few cli_check processes, one a core."""
    shards = max(1, min(4, os.cpu_count() or 1, len(cases)))
    size = -(-len(cases) // shards)
    parts = [cases[i:i + size] for i in range(0, len(cases), size)]
    with concurrent.futures.ThreadPoolExecutor(len(parts)) as pool:
        out = []
        for part in pool.map(lambda part: answer_part(check, part, cwd), parts):
            out += part
    return out


def answer_part(check, cases, cwd):
    p = subprocess.Popen([check], cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, env=ENV)

    def send():  # while the answers are read: neither pipe fills up
        try:
            for argv in cases:
                p.stdin.write(b"%d\n" % len(argv))
                for a in argv:
                    a = b(a)
                    p.stdin.write(b"%d\n" % len(a))
                    p.stdin.write(a)
        except BrokenPipeError:
            pass  # cli_check stopped: its status says why
        finally:
            p.stdin.close()

    writer = concurrent.futures.ThreadPoolExecutor(1)
    writer.submit(send)
    answered, errors = p.stdout.read(), p.stderr.read()
    writer.shutdown()
    if p.wait() != 0:
        sys.exit(f"hostile_inputs: cli_check exited {p.returncode}: "
                 f"{errors.decode(errors='replace')}")
    out, pos, buf = [], 0, answered
    while pos < len(buf):
        end = buf.index(b"\n", pos)
        kind, status, n_out, n_err = buf[pos:end].split()
        pos = end + 1
        stdout = buf[pos:pos + int(n_out)]
        pos += int(n_out)
        stderr = buf[pos:pos + int(n_err)]
        pos += int(n_err)
        out.append((kind.decode(), int(status), stdout, stderr))
    if len(out) != len(cases):
        sys.exit(f"hostile_inputs: cli_check answered {len(out)} of {len(cases)} command lines")
    return out


def show(arg, limit=70):
    r = repr(arg if isinstance(arg, str) else arg.decode("utf-8", "backslashreplace"))
    return r if len(r) <= limit else r[: limit - 12] + f"...({len(arg)} B)'"


def shown_argv(argv):
    return " ".join(show(a) for a in argv)


# --- what the tool says it takes -------------------------------------------


MODES = {}  # each scenario's modes, as list --format=json gives them


def scenarios(rc, out, err):
    if rc != 0:
        sys.exit(f"hostile_inputs: 'asyncdemo list' exited {rc}: {err.decode(errors='replace')}")
    listed = json.loads(out)["scenarios"]
    MODES.update({s["name"]: s["modes"] for s in listed})
    names = [s["name"] for s in listed]
    if not names:
        sys.exit("hostile_inputs: 'asyncdemo list' listed no scenarios")
    return names


HELP_OPTION = re.compile(r"^  (?:-(\w), )?--([\w-]+)(?: ([A-Z]+)(?:=\S*)?)?(?:\s|$)")


def options(scenario, rc, out, err):
    """(value options {name: kind}, switches {name: short or None}, modes)."""
    if rc != 0:
        sys.exit(f"hostile_inputs: '{scenario} --help' exited {rc}: {err.decode(errors='replace')}")
    values, switches, modes = {}, {}, list(MODES.get(scenario, []))
    for line in out.decode().splitlines():
        m = HELP_OPTION.match(line)
        if m:
            short, name, kind = m.groups()
            if name == "help":
                continue
            if kind:
                values[name] = kind
            else:
                switches[name] = short
    for must in ("mode", "clock", "speed", "color", "format", "trace", "html", "svg", "runs"):
        if must not in values:
            sys.exit(f"hostile_inputs: '{scenario} --help' does not list --{must}")
    for must in SWITCHES:
        if must not in switches:
            sys.exit(f"hostile_inputs: '{scenario} --help' does not list --{must}")
    return values, switches, modes


# --- the batteries ---------------------------------------------------------

# Bad for every option that takes a number, a name or a list.
GENERIC = [
    b"",
    b"gat\nher",
    b"\x1b[31mred",
    b"gather\rsync",
    b"\x1b]0;pwned\x07",
    "\u202egather".encode(),
    "\u2066gather\u2069".encode(),
    b"gather\x7f",
    "gather\u0085".encode(),
    "\ufeffgather".encode(),
    b"x" * BIG,
    b"1" * BIG,
    b"\xff\xfe",
    b"gather\xc3",
    b"\xc0\xaf",
    b"\xed\xa0\x80",
    b"-1",
    b"-",
    b"nan",
    b"NaN",
    b"inf",
    b"-inf",
    b"Infinity",
    b"0x10",
    b"0x1p3",
    b"1e999",
    b"-1e999",
    b"9" * 400,
    b"18446744073709551616",
    b"-9223372036854775809",
    b" 1",
    b"1 ",
    b"+1",
    b"1,,2",
    b",",
    b"1,2,",
    b",".join([b"1"] * 5000),
    b"," * 5000,
    b"\x1b" * 1000,
    "\u202e".encode() * 1000,
    "\U0001f600".encode() * 1000,
    "\u00e9".encode() * 1000,
]

# Bad for each option in particular: out of range, or not one of its names.
SPECIFIC = {
    "mode": [b"bogus", b"=gather", b"GATHER", b"gather ", b"all,gather", b"gather,sync", b"create task"],
    "clock": [b"Virtual", b"realtime", b"fake", b"virtual,real"],
    "speed": [b"0", b"0.0009", b"1000.5", b"1001", b"1e4", b"-0.5", b"1,5", b"1/2"],
    "color": [b"yes", b"true", b"Always", b"on"],
    "format": [b"JSON", b"xml", b"txt", b"json,csv"],
    "runs": [b"0", b"10001", b"1.5", b"2147483648", b"99999999999", b"1e3"],
    "workers": [b"0", b"1025", b"-1", b"1.5", b"18446744073709551617", b"8 ", b"all"],
    "seed": [b"1.5", b"1e3", b"-0", b"18446744073709551616", b"seed"],
    "delay": [b"3601", b"-0.1", b"1e6", b"2s"],
    "times": [b"0", b"1001", b"1.5", b"5x"],
    "numbers": [b"21", b"1.5", b"5,7,3,21", b"5,-7", b",".join([b"1"] * 101), b"a"],
    "variant": [b"bogus", b"BLOCKING", b"no_await", b"none"],
    "interval": [b"0", b"10.5", b"-0.3", b"0.3s"],
    "tasks": [b"0", b"1.5", b"1e6", b"99999999999999999999", b"18446744073709551615", b"1k"],
    "max-sleep": [b"0", b"86401", b"-1", b"1s"],
    "min-speedup": [b"0", b"0.0", b"-1", b"1e10", b"2x", b"x2", b"1.5 "],
}

# random-add and pitfalls: seconds from 0 to 3600; as-completed: three
# seconds from 0 to 60, or random.
DELAYS = {
    "as-completed": [b"1,2", b"1,2,3,4", b"61,1,1", b"1,1,-1", b"RANDOM", b"1,1,x", b"random,1"],
    None: [b"3601", b"5,8,-2", b"5,8,x", b",".join([b"1"] * 101), b"5;8;2", b"5 8 2"],
}

# Free text (delayed-print --texts): numbers are fine, control characters,
# invisible ones, invalid UTF-8, empty items and huge values are not.
TEXTS = [
    b"",
    b"a\nb",
    b"\x1b[31mred",
    b"a\rb",
    b"a\tb",
    b"a\x7f",
    "a\u0085".encode(),
    "\u202eevil".encode(),
    "\u2066x\u2069".encode(),
    "x\u2028y".encode(),
    b"x" * BIG,
    b"First,Second," + b"x" * 10000,
    b"\xff\xfe",
    b"First\xc3",
    b"a,,b",
    b",",
    b",a",
    b"a,",
    b",".join([b"t"] * 5000),
    b"," * 5000,
    b"\x1b" * 1000,
]


def bad_value_cases(scenario, name, kind, modes, tmp):
    """(argv tail, option named) for each bad value of --name."""
    if name == "texts":
        values = TEXTS
    elif name in FILES:
        values = trace_values(tmp)
    elif name == "expect":
        values = expect_values(tmp)
    else:
        values = list(GENERIC) + SPECIFIC.get(name, [])
        if name == "delays":
            values += DELAYS.get(scenario, DELAYS[None])
        if name == "mode":
            every = ["sync", "await", "create_task", "create-task", "gather", "as_completed",
                     "threads"]
            supported = set(modes) | ({"create-task"} if "create_task" in modes else set())
            values += [m.encode() for m in every if m not in supported]
    # Options that could start a run get the virtual clock first, so that a
    # bad value taken as good finishes at once (and shows as a failure).
    before = [] if name in ("clock", "speed", "runs") else ["--clock=virtual"]
    if name == "runs":
        before = ["--speed=1000"]
    out = []
    for v in values:
        out.append((before + [b"--" + name.encode() + b"=" + v], "--" + name))
        out.append((before + ["--" + name, v], "--" + name))
    # Given with no value at all: at the end, and before another option.
    out.append((before + ["--" + name], "--" + name))
    mode = "--mode=" + (modes[0] if modes else "gather")
    for other in ("--clock=virtual", "-q", "--timeline", mode, "--", "-v"):
        if other.startswith("--" + name + "="):  # given twice, the last would win
            other = "--format=json"
        out.append((before + ["--" + name + "=", other], "--" + name))
        out.append((before + ["--" + name, other], "--" + name))
    # Given twice, the last one wins: a bad last one is refused.
    good = {"mode": modes[0] if modes else "gather", "clock": "virtual", "speed": "2",
            "color": "never", "format": "text", "runs": "1", "seed": "7", "trace": "t.json",
            "html": "t.html", "svg": "t.svg"}
    if name in good:
        out.append((before + ["--" + name + "=" + good[name], "--" + name + "=bogus\x1b[0m"],
                    "--" + name))
        out.append((before + ["--" + name + "=" + good[name], "--" + name + "="], "--" + name))
    return out


def trace_values(tmp):
    deep = os.path.join(tmp, "deep", *(["d" * 200] * 5))
    os.makedirs(deep, exist_ok=True)
    odd_dir = os.path.join(tmp, "odd\x1b[31mdir")
    os.makedirs(odd_dir, exist_ok=True)
    a_file = os.path.join(tmp, "a-file")
    with open(a_file, "w") as f:
        f.write("x")
    return [
        b"",
        tmp.encode(),
        tmp.encode() + b"/",
        b".",
        b"..",
        os.path.join(tmp, "missing", "sub", "trace.json").encode(),
        os.path.join(a_file, "trace.json").encode(),
        deep.encode(),
        os.path.join(deep, "missing", "trace.json").encode(),
        odd_dir.encode(),
        os.path.join(odd_dir, "missing", "t.json").encode(),
        b"x" * BIG,
        os.path.join(tmp, "x" * 300).encode(),
        b"trace\nfile.json",
        b"\x1b[31mtrace.json",
        b"trace\r.json",
        "\u202enosj.json".encode(),
        "\u2066t.json".encode(),
        b"t\xff.json",
        b"t\x7f.json",
    ]


def expect_values(tmp):
    """--expect=FILE: files that cannot be read (never a FIFO: it would wait)."""
    a_file = os.path.join(tmp, "a-file")
    with open(a_file, "w") as f:
        f.write("x")
    odd_dir = os.path.join(tmp, "odd\x1b[31mdir")
    os.makedirs(odd_dir, exist_ok=True)
    return [
        b"",
        tmp.encode(),
        tmp.encode() + b"/",
        b".",
        b"..",
        os.path.join(tmp, "missing.txt").encode(),
        os.path.join(tmp, "missing", "sub", "lines.txt").encode(),
        os.path.join(a_file, "lines.txt").encode(),
        odd_dir.encode(),
        b"x" * BIG,
        os.path.join(tmp, "x" * 300).encode(),
        b"lines\nfile.txt",
        b"\x1b[31mlines.txt",
        "\u202etxt.senil".encode(),
        b"l\xff.txt",
    ]


def switch_cases(name, short):
    out = []
    for v in (b"maybe", b"", b"1", b"yes", b"0", b"\x1b[31m", b"x" * BIG, b"\xff"):
        out.append(([b"--clock=virtual", b"--" + name.encode() + b"=" + v], "--" + name))
    if short:
        for v in (b"1", b"", b"yes", b"\x1b[31m"):
            out.append(([b"--clock=virtual", b"-" + short.encode() + b"=" + v], "-" + short))
    return out


def flag_param_cases(name):
    """A scenario's own switch (task-callbacks --cancel): true or false only."""
    out = []
    for v in (b"", b"maybe", b"yes", b"1", b"0", b"TRUE", b"\x1b[31m", b"x" * BIG, b"\xff",
              "\u202etrue".encode(), b"true=1", b"=true"):
        out.append(([b"--clock=virtual", b"--" + name.encode() + b"=" + v], "--" + name))
    out.append(([b"--clock=virtual", "--" + name + "=", "--timeline"], "--" + name))
    return out


def general_cases(names, tmp):
    """Cases that are not about one option: (argv tail, None)."""
    s = names[0]
    out = [
        # unknown scenarios
        ["bogus"],
        ["breakfats"],
        [""],
        ["\x1b[31mbreakfast"],
        ["break\nfast"],
        ["\u202ebreakfast"],
        [b"\xffbreakfast"],
        ["x" * BIG],
        ["BREAKFAST"],
        # unknown options, at the top and in a scenario
        ["--bogus"],
        ["-x"],
        ["--bogus=1"],
        ["--list"],
        ["--version=1"],
        ["--version", "extra"],
        ["--help=1"],
        ["list", "--bogus"],
        ["list", "-q"],
        ["list", "extra"],
        ["list", ""],
        ["list", "--mode=gather"],
        ["list", "--", "x"],
        ["list", "breakfast"],
        # options before the scenario
        ["--clock=virtual", s],
        ["--mode=gather", s],
        ["--mode", "gather", s],
        ["-q", s],
        ["--timeline", s],
        ["--bogus", s],
        # "--" tricks
        ["--", s],
        ["--", "list"],
        ["--", "--clock=virtual"],
        ["--", "x"],
        ["-", s],
    ]
    for n in names:
        out += [
            [n, "--clock=virtual", "extra"],
            [n, "--clock=virtual", ""],
            [n, "--clock=virtual", "--", "extra"],
            [n, "--clock=virtual", "--", "--mode=gather"],
            [n, "--", "--clock=virtual"],
            [n, "--clock=virtual", "--", "--"],
            [n, "--clock=virtual", "list"],
            [n, "--clock=virtual", n],
            [n, "--clock=virtual", "--bogus"],
            [n, "--clock=virtual", "--bogus=1"],
            [n, "--clock=virtual", "--bogus", "1"],
            [n, "--clock=virtual", "--Mode=gather"],
            [n, "--clock=virtual", "--MODE=gather"],
            [n, "--clock=virtual", "---mode=gather"],
            [n, "--clock=virtual", "--mode-x=gather"],
            [n, "--clock=virtual", "--=x"],
            [n, "--clock=virtual", "--="],
            [n, "--clock=virtual", "-="],
            [n, "--clock=virtual", "-x"],
            [n, "--clock=virtual", "-Q"],
            [n, "--clock=virtual", "-q-"],
            [n, "--clock=virtual", "-qx"],
            [n, "--clock=virtual", "-q1"],
            [n, "--clock=virtual", "-1"],
            [n, "--clock=virtual", "-mode=gather"],
            [n, "--clock=virtual", "--version"],
            [n, "--clock=virtual", "--\x1b[31mred"],
            [n, "--clock=virtual", "--\x1b[31mred=1"],
            [n, "--clock=virtual", "-\x1b"],
            [n, "--clock=virtual", b"--\xff"],
            [n, "--clock=virtual", "--" + "x" * BIG],
            [n, "--clock=virtual", "--\u202eedom=gather"],
            [n, "--clock=virtual", "--clock virtual"],
            [n, "--clock=virtual", "--mode=gather --clock=virtual"],
        ]
    cases = [(argv, None) for argv in out]
    # An option that the rest of the command line would make it ignore.
    cases += [
        (["pitfalls", "--clock=virtual", "--delays=1,2"], "--delays"),
        (["pitfalls", "--clock=virtual", "--variant=sequential", "--delays=1"], "--delays"),
    ]
    return cases


def cross_scenario_cases(names, opts):
    """An option of one scenario given to another that does not take it."""
    out = []
    own = {n: set(opts[n][0]) | set(opts[n][1]) for n in names}
    everything = set().union(*own.values())
    for n in names:
        for name in sorted(everything - own[n]):
            out.append(([n, "--clock=virtual", "--" + name + "=1"], "--" + name))
            out.append(([n, "--clock=virtual", "--" + name], "--" + name))
    return out


def good_cases(names, tmp):
    trace = os.path.join(tmp, "good-trace.json")
    expected = os.path.join(tmp, "expected.txt")
    with open(expected, "w") as f:
        f.write("Main - Starting\ndo_something - will wait for worker\nworker - will take some time\n"
                "worker - done it\ndo_something - result: 42\nMain - Done\n")
    return [
        ["worker", "--clock=virtual", "--expect=" + expected],
        ["worker", "--clock=virtual", "--mode=sync", "--expect", expected],
        ["breakfast", "--clock=virtual", "--mode=all", "--min-speedup=1.5"],
        ["breakfast", "--clock=virtual", "--mode=all", "--export-json=" + os.path.join(tmp, "e.json"),
         "--export-markdown", os.path.join(tmp, "e.md"), "--export-csv=" + os.path.join(tmp, "e.csv")],
        ["list"],
        ["breakfast", "--clock=virtual"],
        ["breakfast", "--clock", "virtual"],
        ["breakfast", "--clock=virtual", "-q"],
        ["breakfast", "--clock=virtual", "--mode=all"],
        ["breakfast", "--clock=virtual", "--mode=sync", "--mode=gather"],
        ["breakfast", "--speed=1000"],
        ["breakfast", "--python"],
        ["breakfast", "--clock=virtual", "--timeline", "-v"],
        ["breakfast", "--clock=virtual", "--format=json"],
        ["breakfast", "--clock=virtual", "--trace=" + trace],
        ["breakfast", "--clock=virtual", "--trace", trace],
        ["breakfast", "--clock=virtual", "--html=" + os.path.join(tmp, "good.html")],
        ["breakfast", "--clock=virtual", "--svg", os.path.join(tmp, "good.svg"), "--mode=all"],
        ["breakfast", "--clock=virtual", "--step"],
        ["delayed-print", "--texts=A,B", "--clock=virtual"],
        ["delayed-print", "--texts=h\u00e9llo,w\u00f6rld,\u65e5\u672c", "--clock=virtual"],
        ["delayed-print", "--texts", "1e999,nan,-1", "--delay", "0.5", "--clock=virtual"],
        ["delayed-print", "--times=1", "--delay=0", "--clock=virtual"],
        ["task-callbacks", "--cancel", "--clock=virtual"],
        ["task-callbacks", "--cancel=true", "--clock=virtual"],
        ["task-callbacks", "--cancel=false", "--clock=virtual"],
        ["task-callbacks", "--cancel", "--cancel=false", "--clock=virtual"],
        ["pitfalls", "--variant=no-await", "--delays=1,2", "--clock=virtual"],
        ["pitfalls", "--variant=sequential", "--clock=virtual"],
        ["random-add", "--seed=7", "--delays", "1,2,3", "--clock=virtual", "--format=csv"],
        ["as-completed", "--delays=1.5,0.5,1", "--clock=virtual"],
        ["as-completed", "--seed=18446744073709551615", "--clock=virtual"],
        ["factorial", "--numbers=20,0", "--clock=virtual"],
        ["swarm", "--tasks=100", "--clock=virtual"],
        ["create-task", "--variant=cancel", "--clock=virtual"],
        ["futures", "--interval=0.25", "--clock=virtual"],
        ["worker", "--mode=sync", "--clock=virtual", "--color=never"],
        ["gather-workers", "--mode=create-task", "--clock=virtual"],
        ["rate-limit", "--limit=3", "--jobs", "7", "--clock=virtual"],
        ["lock", "--lock", "--mode=all", "--clock=virtual"],
        ["taskgroup", "--mode=gather", "--return-exceptions", "--clock=virtual"],
        ["producer-consumer", "--forget-task-done", "--join-timeout=0.5", "--clock=virtual"],
    ]


# --- the checks ------------------------------------------------------------


def judge_bad(rc, out, err, named):
    why = []
    if rc is None:
        return [f"did not finish within {TIMEOUT} s"]
    if rc != 2:
        why.append(f"exit status {rc}, expected 2")
    if out:
        why.append(f"{len(out)} bytes on stdout, expected none")
    if not err.endswith(b"\n") or err.count(b"\n") != 1:
        why.append(f"{err.count(NEWLINE)} lines on stderr, expected exactly one")
    line = err[:-1] if err.endswith(b"\n") else err
    if not line.startswith(b"asyncdemo: "):
        why.append('stderr does not start with "asyncdemo: "')
    if len(err) > MAX_LINE:
        why.append(f"stderr is {len(err)} bytes, more than {MAX_LINE}")
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        why.append("stderr is not valid UTF-8")
        text = line.decode("utf-8", "replace")
    if INVISIBLE.search(text):
        why.append(f"stderr has a raw control or bidirectional character "
                   f"(U+{ord(INVISIBLE.search(text).group()):04X})")
    ours = QUOTED.sub("''", text)
    for word in CLI11_WORDING:
        if word.search(ours):
            why.append(f"stderr has CLI11's wording ({word.pattern})")
    if named and rc == 2 and named not in text:
        why.append(f"stderr does not name {named}")
    return why


def judge_good(rc, out, err, elapsed):
    why = []
    if rc is None:
        return [f"did not finish within {TIMEOUT} s"]
    if rc != 0:
        why.append(f"exit status {rc}, expected 0")
    if not out:
        why.append("nothing on stdout")
    if b"asyncdemo: " in err:  # a scenario may warn on stderr (pitfalls), but not refuse
        why.append("stderr has a message from asyncdemo")
    if elapsed > GOOD_TIME:
        why.append(f"took {elapsed:.1f} s, more than {GOOD_TIME} s")
    return why


def judge_same(said, rc, out, err):
    """The binary's answer against cli_check's: the same status, and the same
    stderr and stdout, but for a run's own (cli_check runs nothing)."""
    kind, status, said_out, said_err = said
    if rc is None:
        return [f"did not finish within {TIMEOUT} s"]
    why = []
    if rc != status:
        why.append(f"exit status {rc}, and cli_check said {status} ({kind})")
    if kind != "run" and steady(err) != steady(said_err):
        why.append(f"stderr is not cli_check's: {show(said_err, 300)}")
    if kind != "run" and out != said_out:
        why.append(f"stdout is not cli_check's ({len(out)} bytes, cli_check said {len(said_out)})")
    return why


def arguments(args):
    usage = "usage: hostile_inputs.py ASYNCDEMO CLI_CHECK [--sample N] [--seed S]"
    positional, sample, seed = [], SAMPLE, None
    i = 0
    while i < len(args):
        if args[i] in ("--sample", "--seed"):
            if i + 1 == len(args) or not args[i + 1].isdigit():
                sys.exit(f"{args[i]} needs a whole number; {usage}")
            if args[i] == "--sample":
                sample = int(args[i + 1])
            else:
                seed = int(args[i + 1])
            i += 2
            continue
        positional.append(args[i])
        i += 1
    if len(positional) != 2:
        sys.exit(usage)
    if seed is None:
        seed = random.SystemRandom().randrange(2**32)
    binary, check = (os.path.abspath(p) for p in positional)
    return binary, check, sample, seed


def main():
    binary, check, sample, seed = arguments(sys.argv[1:])
    print(f"hostile_inputs: seed {seed} (--seed {seed} draws this sample again)", flush=True)
    with tempfile.TemporaryDirectory(prefix="asyncdemo-hostile-") as tmp:
        work = os.path.join(tmp, "cwd")  # where every run starts
        os.mkdir(work)
        listing = ["list", "--format=json"]
        listed = answers(check, [listing], work)
        names = scenarios(*listed[0][1:])
        helps = [[n, "--help"] for n in names]
        helped = answers(check, helps, work)
        opts = {n: options(n, *a[1:]) for n, a in zip(names, helped)}

        bad = []  # (argv, option named or None)
        for n in names:
            values, switches, modes = opts[n]
            for name, kind in values.items():
                for tail, named in bad_value_cases(n, name, kind, modes, tmp):
                    bad.append(([n] + tail, named))
            for name, short in switches.items():
                if name in SWITCHES:
                    cases = switch_cases(name, short)
                else:
                    cases = flag_param_cases(name)
                for tail, named in cases:
                    bad.append(([n] + tail, named))
        bad += general_cases(names, tmp) + cross_scenario_cases(names, opts)
        good = good_cases(names, tmp)

        before = set(os.listdir(work))
        start = time.monotonic()
        said = answers(check, [argv for argv, _ in bad] + good, work)
        in_process = time.monotonic() - start
        said_bad, said_good = said[:len(bad)], said[len(bad):]

        failures = []  # (who, argv, why, stderr)
        clear = 0
        for (argv, named), (kind, rc, out, err) in zip(bad, said_bad):
            why = judge_bad(rc, out, err, named)
            if why:
                failures.append(("BAD INPUT", argv, why, err))
            else:
                clear += 1
        accepted = 0
        for argv, (kind, rc, out, err) in zip(good, said_good):
            if kind in ("run", "print") and rc == 0:
                accepted += 1
            else:
                failures.append(("GOOD INPUT REFUSED", argv, [f"cli_check said {kind}, exit "
                                                              f"status {rc}"], err))

        # The binary itself: the discovery, the good inputs, and a sample.
        picked = sorted(random.Random(seed).sample(range(len(bad)), min(sample, len(bad))))
        real = [(argv, a) for argv, a in zip([listing] + helps, listed + helped)]
        real += [(bad[i][0], said_bad[i]) for i in picked]
        start = time.monotonic()
        workers = max(2, min(16, 2 * (os.cpu_count() or 1)))
        same = 0
        with concurrent.futures.ThreadPoolExecutor(workers) as pool:
            ran = pool.map(lambda case: run(binary, case[0], work), real)
            for (argv, a), (rc, out, err, _) in zip(real, ran):
                why = judge_same(a, rc, out, err)
                if why:
                    failures.append(("NOT WHAT CLI_CHECK SAID", argv, why, err))
                else:
                    same += 1
            good_ran = 0
            for argv, a, (rc, out, err, elapsed) in zip(
                    good, said_good, pool.map(lambda argv: run(binary, argv, work), good)):
                why = judge_good(rc, out, err, elapsed) + judge_same(a, rc, out, err)
                if why:
                    failures.append(("GOOD INPUT FAILED", argv, why, err))
                else:
                    good_ran += 1
        processes = time.monotonic() - start
        stray = sorted(set(os.listdir(work)) - before)

    for who, argv, why, err in failures:
        print(f"{who}: asyncdemo {shown_argv(argv)}")
        for w in why:
            print(f"    {w}")
        print(f"    stderr: {show(err, 400)}")
    if stray:
        print(f"bad inputs left files behind in the working directory: "
              f"{', '.join(show(s) for s in stray)}")
    print(f"{len(bad)} bad inputs tried in-process ({in_process:.1f} s), {clear} gave one clear "
          f"line and exit 2; {len(good)} good inputs, {accepted} accepted; by the binary "
          f"({processes:.1f} s): {len(real)} cases ({len(picked)} of them a sample drawn with "
          f"seed {seed}), {same} answered as cli_check did, {len(good)} good inputs, "
          f"{good_ran} ran and exited 0")
    ok = not failures and not stray
    if not ok:
        print(f"hostile_inputs: failed; --seed {seed} draws the same sample")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
