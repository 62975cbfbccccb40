#!/usr/bin/env python3
"""Hostile scenario files: whatever a file says, asyncdemo refuses it in one
line or runs it faithfully, in bounded time and memory, and the Python it
writes prints the file's text and does nothing else.

    hostile_files.py ASYNCDEMO [--files N] [--seed S] [--long]

Generates N files (seeded; the seed is printed, and changes from run to run
unless given) from hostile parts: texts with control characters, escape
sequences (OSC 52, clear-screen), bidirectional overrides, quotes, braces,
backslashes and code (`__import__('os').system(...)`) in prints, job names,
raise messages, summaries and parameter help; format specs that try to nest
a field or ask for a huge width; numbers at the edges of 64 bits, powers,
floor divisions by -1, deep chains of one operator, huge repetitions and
ranges, counts as floats or past memory; hostile file names. For each:

- `asyncdemo run FILE --clock=virtual` ends within its time, by itself
  (no signal), with status 0, 1 or 2; a refusal is one line on stderr,
  "asyncdemo: ...", and a failure ends with one (after warnings such as
  CPython's "Task exception was never retrieved"), none of them with a raw
  control or invisible character;
  under an address-space limit (not in the sanitized build) it stays in it;
- its stdout (text output) carries no raw control character but newlines;
- `--python` ends with the same refusal (status 2) when run refused the
  file, else prints a program that CPython runs on its exact virtual clock
  in an empty directory, printing the same lines at the same times when the
  run succeeded; and the directory stays empty: nothing the file said ran.

--long tries 20 times as many files.
"""
import argparse
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile

TIMEOUT = 20
# A --python program of a run asyncdemo failed (a count past its limits, where
# CPython's ints grow) may loop for ever under CPython: its lines are not
# compared, only that it executes nothing, which it would do at once.
FAILED_TIMEOUT = 3
MEMORY = 2 << 30  # bytes of address space a run may map (the files' limits keep it far below)
SANITIZED = os.environ.get("ASYNCDEMO_SANITIZED") == "1"
# The most jobs a file asks for that are run: a million take 5 s here, or
# 10 s when each fails at its first step (an exception a task); the
# sanitized tree, four times slower and without the address-space limit,
# asks for a hundred thousand.
MANY = "100000" if SANITIZED else "1000000"

# Characters that change what a terminal shows (as hostile_inputs.py's).
INVISIBLE = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f\x80-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff]")

MARK = "MARKER"  # a file the code in a text would make, were it run


def toml_text(text):
    """The inside of a TOML basic string."""
    out = []
    for c in text:
        if c in '\\"':
            out.append("\\" + c)
        elif ord(c) < 0x20 or ord(c) == 0x7F or 0x80 <= ord(c) < 0xA0:
            out.append(f"\\u{ord(c):04x}")
        else:
            out.append(c)
    return "".join(out)


# Texts (their file form is TOML-escaped by toml_text).
TEXTS = [
    "plain", "\x1b[31mred\x1b[0m", "\x1b]52;c;aGVsbG8=\x07", "\x1b]0;title\x07", "\x1b[2J\x1b[H",
    "\x9b31m", "\x85next", "\u202eevil\u202c", "\u2066iso\u2069", "\ufeffbom", "line\nbreak",
    "tab\there", "cr\rhere", "it's", 'say "hi"', "'''", '"""', "back\\slash", "trailing\\",
    "{{literal braces}}", "#hash", "await asyncio.sleep(1)", "asyncio.Lock()",
    "time.sleep(1)  # x", "__import__('os').system('touch MARKER')",
    "{0:({__import__('os').system('touch MARKER')})}", "{1:>{2}}", "{27:c}", "{200:c}",
    "{-1:c}", "{55296:c}", "{1114112:c}", "{1:>300000000}", "{1:,n}", "{None:>5}", "{1:L}",
    "{'x'!r:^9}", "café 日本語 🎉", "x" * 300,
]

EXPRESSIONS = [
    "(-9223372036854775807-1)//-1", "(-9223372036854775807-1)%-1", "1**(2**62)", "0**(2**62)",
    "(-1)**(2**62+1)", "2**63", "2**(2**62)", "9223372036854775807+1", "-(-9223372036854775807-1)",
    "abs(-9223372036854775807-1)", "random.randint(-(2**62), 2**62)", "len(range(2**62))",
    "len('x'*1000000*1000000)", "len([0]*1000000*1000000)", "round(1234.5, -2)", "int('+5')",
    "int(' 5')", "True*'x'", "2.0**1e308", "1/0", "1.0//0", "int('1e5')", "float('nan') < 1",
    "round(float('inf'))", "'abc'[5]", "[1][-2]", "str(10**18)", "min([])", "int(2.0**70)",
]


def chain(n):
    return "+".join(["1"] * n)


class Maker:
    def __init__(self, rng):
        self.rng = rng

    def text(self):
        return toml_text(self.rng.choice(TEXTS))

    def expr(self):
        r = self.rng.random()
        if r < 0.1:
            return chain(self.rng.choice([50, 99, 101, 18000]))
        return self.rng.choice(EXPRESSIONS)

    def step(self):
        r = self.rng.random()
        if r < 0.35:
            return f'{{ print = "{self.text()}" }}'
        if r < 0.6:
            return f'{{ print = "{{{toml_text(self.expr())}}}" }}'
        if r < 0.7:
            return f'{{ raise = "ValueError", message = "{self.text()}" }}'
        if r < 0.8:
            return f'{{ set = "v", to = "{toml_text(self.expr())}" }}'
        if r < 0.9:
            count = self.rng.choice(["3", "0", "-1", '"2**62"', "2.5", '"1**(2**62)"', "10000001"])
            return f'{{ repeat = {count}, steps = [ {{ sleep = 0 }} ] }}'
        return f'{{ sleep = {self.rng.choice(["0", "0.5", "-1", "1e30", chr(34) + "2**62" + chr(34)])} }}'

    def file(self):
        rng = self.rng
        lines = []
        if rng.random() < 0.3:
            lines.append(f'summary = "{self.text()}"')
        if rng.random() < 0.2:
            lines.append(f'origin = "{self.text()[:30]}"')
        if rng.random() < 0.3:
            lines.append(f'[params.p]\ndefault = 1\nhelp = "{self.text()}"')
        if rng.random() < 0.2:
            value = rng.choice(["Semaphore(2**62)", "Semaphore(-1)", "Queue(2**62)", "Lock()"])
            lines.append(f'[shared]\nprim = "{value}"')
        for j in range(rng.randint(1, 2)):
            lines.append("[[job]]")
            lines.append(f'name = "{self.text()}"' if rng.random() < 0.5 else f'name = "j{j}"')
            if rng.random() < 0.2:
                lines.append("count = " + rng.choice(["2", "2.5", '"2**62"', MANY, '"-3"']))
            steps = ", ".join(self.step() for _ in range(rng.randint(1, 4)))
            lines.append(f"steps = [ {steps} ]")
        return "\n".join(lines) + "\n"

    def name(self):
        return self.rng.choice(["f.toml", "f\n__import__('os').system('touch MARKER')\n#.toml",
                                "f\x1b[2J.toml", "f'q\".toml", "日本.toml", "\u202ef.toml"])


def limit_memory():
    if not SANITIZED:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def run(argv, cwd):
    try:
        p = subprocess.run(argv, cwd=cwd, capture_output=True, timeout=TIMEOUT,
                           preexec_fn=limit_memory,
                           env={**os.environ, "NO_COLOR": "1", "COLUMNS": "80"})
    except subprocess.TimeoutExpired:
        return None, b"", b""
    return p.returncode, p.stdout, p.stderr


def error_lines(stderr, refused):
    """What is wrong with what a refusal (one line) or a failed run (its
    warnings, as CPython's, then the one line that says how it ended) wrote
    on stderr."""
    text = stderr.decode("utf-8", "replace")
    if not text.endswith("\n"):
        return f"no line: {text!r}"
    lines = text[:-1].split("\n")
    if refused and len(lines) != 1:
        return f"not one line: {text!r}"
    if not lines[-1].startswith("asyncdemo: "):
        return f"not ours: {text!r}"
    if any(INVISIBLE.search(line) for line in lines):
        return f"raw control character: {text!r}"
    return None


VIRTUAL_CLOCK = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python",
                             "virtual_clock.py")


def python_lines(program, cwd, files, timeout=TIMEOUT):
    """Lines the --python program prints under CPython on its exact virtual
    clock, run in cwd as a process of its own (CPython's ints grow: a power
    asyncdemo refuses may take CPython a long time): (lines, error), or None
    if it did not end in time."""
    path = os.path.join(files, "program.py")
    events = os.path.join(files, "events.jsonl")
    with open(path, "w", encoding="utf-8") as f:
        f.write(program)
    try:
        subprocess.run([sys.executable, VIRTUAL_CLOCK, path, "--events", events], cwd=cwd,
                       capture_output=True, timeout=timeout, preexec_fn=limit_memory)
    except subprocess.TimeoutExpired:
        return None
    with open(events, encoding="utf-8") as f:
        lines = [json.loads(x) for x in f.read().split("\n") if x]
    got = [(e["time"], e["text"]) for e in lines if "text" in e]
    error = next((e["error"] for e in lines if "error" in e), None)
    return got, error


def check(binary, text, filename, tmp):
    """Problems with one file (empty when all is well)."""
    problems = []
    work = tempfile.mkdtemp(dir=tmp)
    path = os.path.join(work, filename)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    code, out, err = run([binary, "run", path, "--clock=virtual"], work)
    if code is None:
        return [f"hung (over {TIMEOUT} s)"]
    if code not in (0, 1, 2):
        return [f"exit status {code}: {err.decode(errors='replace')[-300:]!r}"]
    if code != 0 and (why := error_lines(err, refused=code == 2)):
        problems.append(why)
    if INVISIBLE.search(out.decode("utf-8", "replace")):
        problems.append("a raw control character in the output")
    pcode, program, perr = run([binary, "run", path, "--python"], work)
    if code == 2:
        if pcode != 2:
            problems.append(f"run refused the file, --python exited {pcode}")
        return problems
    if pcode != 0:
        return problems + [f"--python exited {pcode}: {perr.decode(errors='replace')[:200]!r}"]
    sandbox = tempfile.mkdtemp(dir=tmp)
    ran = python_lines(program.decode("utf-8"), sandbox, work,
                       TIMEOUT if code == 0 else FAILED_TIMEOUT)
    if ran is None and code == 0:
        problems.append(f"the --python program did not end within {TIMEOUT} s")
    if os.listdir(sandbox):
        problems.append(f"the --python program made {os.listdir(sandbox)}")
    if os.path.exists(os.path.join(work, MARK)) or os.path.exists(os.path.join(sandbox, MARK)):
        problems.append("running the file made a file")
    if code == 0 and ran is not None:
        got, error = ran
        jsonl = run([binary, "run", path, "--clock=virtual", "--format=jsonl"], work)[1]
        events = [json.loads(x) for x in jsonl.decode().split("\n") if x]
        want = [(e["time"], e["text"]) for e in events
                if e.get("type") == "event" and e.get("kind") == "print"]
        # A printed newline: one print to asyncdemo, two lines to the harness.
        def flat(lines):
            return [part for _, t in lines for part in t.split("\n")]
        if flat(want) != flat(got) or error:
            problems.append(f"CPython printed otherwise: {got[:3]!r} {error!r}, "
                            f"asyncdemo {want[:3]!r}")
    return problems


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("--files", type=int, default=120)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--long", action="store_true", help="20 times as many files")
    args = ap.parse_args()
    args.binary = os.path.abspath(args.binary)
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(2**32)
    files = args.files * (20 if args.long else 1)
    print(f"hostile_files: {files} files, --seed {seed}")
    rng = random.Random(seed)
    failures = 0
    outcomes = {0: 0, 1: 0, 2: 0}
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(files):
            maker = Maker(rng)
            text, name = maker.file(), maker.name()
            problems = check(args.binary, text, name, tmp)
            if problems:
                failures += 1
                print(f"file {i} ({name!r}, --seed {seed}):\n{text}" +
                      "".join(f"  {p}\n" for p in problems))
                if failures >= 5:
                    break
    print(f"hostile_files: {files} files, {failures} with problems (--seed {seed})")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
