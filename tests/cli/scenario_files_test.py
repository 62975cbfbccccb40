#!/usr/bin/env python3
"""Bad scenario files get a clear error, never a crash.

    scenario_files_test.py ASYNCDEMO

Each case is a file (or a path) and what `asyncdemo run FILE` must say: exit
status 2, one line on stderr, naming FILE:LINE:COLUMN where the file is at
fault, with the expected words. A few good files must run (exit 0), so that
the test can tell the difference.
"""
import os
import subprocess
import sys
import tempfile

JOB = '[[job]]\nname = "a"\nsteps = [ { print = "hi" } ]\n'

# (file text, where (line, column) or None, words the message must hold)
BAD = [
    # TOML itself
    ('name = "x\n', (1, 10), "string"),
    ('[[job]]\nname = \n', (2, 8), ""),
    ('x = 1\nx = 2\n', (2, 5), "cannot redefine"),
    # keys and types
    ('nmae = "x"\n' + JOB, (1, 1), "did you mean 'name'?"),
    ('name = 5\n' + JOB, (1, 8), "name must be a string, not an integer"),
    ('name = "Big Name"\n' + JOB, (1, 8), "is not a scenario name"),
    ('summary = "two\\nlines"\n' + JOB, (1, 11), "summary is one line"),
    ('modes = ["gathr"]\n' + JOB, (1, 10), "'gathr' is not a mode"),
    ('modes = ["sync", "sync"]\n' + JOB, (1, 18), "listed twice"),
    ('default_mode = "gather"\nmodes = ["sync"]\n' + JOB, (1, 16), "not one of this scenario's modes"),
    ('[[job]]\nname = "a"\nstesp = []\n', (3, 1), "did you mean 'steps'?"),
    ('[[job]]\nname = "a"\n', (1, 1), "needs steps"),
    ('[[job]]\nname = "a"\nsteps = []\n', (3, 9), "an empty job"),
    ('[[job]]\nsteps = [ { print = "x" } ]\n', (1, 1), "needs 'name'"),
    ('name = "x"\n', (1, 1), "at least one [[job]]"),
    ('[[job]]\nname = "a"\nsteps = [ { slep = 1 } ]\n', (3, 11), "did you mean 'sleep'?"),
    ('[[job]]\nname = "a"\nsteps = [ { sleep = 1, print = "x" } ]\n', (3, 11), "does one thing"),
    ('[[job]]\nname = "a"\nsteps = [ 5 ]\n', (3, 11), "a step is a table"),
    ('[[job]]\nname = "a"\nsteps = [ { print = 5 } ]\n', (3, 21), "print must be a string"),
    ('[[job]]\nname = "a"\nsteps = [ { sleep = [1] } ]\n', (3, 21), "takes seconds"),
    # durations
    ('[[job]]\nname = "a"\nsteps = [ { sleep = -1 } ]\n', (3, 21), "seconds from 0"),
    ('[[job]]\nname = "a"\nsteps = [ { block = nan } ]\n', (3, 21), "seconds from 0"),
    ('[[job]]\nname = "a"\nsteps = [ { sleep = inf } ]\n', (3, 21), "seconds from 0"),
    ('[[job]]\nname = "a"\nsteps = [ { sleep = 1e12 } ]\n', (3, 21), "a year"),
    # names
    ('[[job]]\nname = "a"\nsteps = [ { sleep = "dealy" } ]\n', (3, 22), "'dealy' names nothing here"),
    ('[params.delay]\ndefault = 1\n[[job]]\nname = "a"\nsteps = [ { sleep = "dealy" } ]\n',
     (5, 22), "did you mean 'delay'?"),
    ('[[job]]\nname = "a"\nsteps = [ { print = "{missing}" } ]\n', (3, 23), "'missing' names nothing"),
    ('[[job]]\nname = "a"\nsteps = [ { print = "{" } ]\n', (3, 22), "not closed"),
    ('[[job]]\nname = "a"\nsteps = [ { print = "}" } ]\n', (3, 22), "write '}}'"),
    ('[[job]]\nname = "a"\nsteps = [ { sleep = "1 +" } ]\n', (3, 25), "ends too soon"),
    ('[[job]]\nname = "a"\nsteps = [ { sleep = "os.system(1)" } ]\n', (3, 24), "unexpected '.'"),
    ('[[job]]\nname = "a"\nsteps = [ { sleep = "import" } ]\n', (3, 22), "Python keyword"),
    ('[[job]]\nname = "a"\nsteps = [ { sleep = "open(1)" } ]\n', (3, 22), "not a function"),
    (JOB + '[[job]]\nname = "a"\nsteps = [ { print = "x" } ]\n', (5, 8), "names two jobs"),
    ('[[coroutine]]\nname = "w"\nsteps = [ { call = "w" } ]\n' + JOB, (3, 20), "cannot call itself"),
    ('[[coroutine]]\nname = "a1"\nsteps = [ { call = "b1" } ]\n[[coroutine]]\nname = "b1"\n'
     'steps = [ { task = "a1", as = "t" } ]\n' + JOB, (6, 11), "reaches itself"),
    ('[[job]]\nname = "a"\nsteps = [ { call = "nope" } ]\n', (3, 20), "names no coroutine"),
    ('[[job]]\nname = "a"\nsteps = [ { await = "t" } ]\n', (3, 21), "names no task"),
    ('[[job]]\nname = "a"\nsteps = [ { set = "print", to = 1 } ]\n', (3, 19), "cannot be a variable"),
    # parameters
    ('[params.mode]\ndefault = 1\n' + JOB, (1, 1), "asyncdemo's own options"),
    ('[params.x]\nhelp = "no default"\n' + JOB, (1, 1), "needs 'default'"),
    ('[params.x]\ndefault = 5\nmin = 10\n' + JOB, (2, 11), "does not pass its own check"),
    ('[params.x]\ndefault = 1\ntype = "colour"\n' + JOB, (3, 8), "not a kind of parameter"),
    ('[params.x]\ndefault = "a"\ntype = "choice"\n' + JOB, (1, 1), "give its choices"),
    # limits
    ('[[job]]\nname = "a"\ncount = 100000000\nsteps = [ { print = "x" } ]\n', (3, 9), "from 0 to"),
    ('[[job]]\nname = "a"\nsteps = [ { repeat = 99999999999, steps = [ { print = "x" } ] } ]\n',
     (3, 22), "from 0 to"),
    ('[[job]]\nname = "a"\nsteps = [' + '{ repeat = 1, steps = [' * 9 + '{ print = "x" }' + '] }' * 9
     + ']\n', None, "nest deeper than 8"),
    ('[[job]]\nname = "a"\nsteps = [ { sleep = "' + '(' * 40 + '1' + ')' * 40 + '" } ]\n', None,
     "deeper than 32"),
    # the file itself
    ("\x00binary\x00", None, "not a text file"),
    (b"name = \"\xff\"\n", None, "not a text file"),
    ("# big\n" + "x" * (1 << 21), None, "at most"),
]

GOOD = [
    JOB,
    '[params.n]\ndefault = 2\n[[job]]\nname = "w{index}"\ncount = "n"\n'
    'steps = [ { sleep = "index * 0.5" }, { print = "{index} {now():.1f}" } ]\n',
    '[[coroutine]]\nname = "helper"\nsteps = [ { return = 7 } ]\n'
    '[main]\nsteps = [ { task = "helper", as = "t" }, { await = "t", as = "v" }, '
    '{ print = "got {v}" } ]\n',
]


def run(binary, path, *extra):
    return subprocess.run([binary, "run", path, "--clock=virtual", *extra], capture_output=True,
                          timeout=30)


def check_bad(binary, path, where, words):
    r = run(binary, path)
    err = r.stderr.decode("utf-8", "replace")
    problems = []
    if r.returncode != 2:
        problems.append(f"exit {r.returncode}, expected 2")
    if err.count("\n") != 1:
        problems.append("stderr is not one line")
    if not err.startswith("asyncdemo: "):
        problems.append("not in the tool's words")
    if where and f"{path}:{where[0]}:{where[1]}: " not in err:
        problems.append(f"does not name {where[0]}:{where[1]}")
    if words not in err:
        problems.append(f"lacks {words!r}")
    if r.stdout:
        problems.append("printed to stdout")
    if any(w in err for w in ("terminate", "Aborted", "what()", "Sanitizer")):
        problems.append("looks like a crash")
    return problems, err.strip()


def main():
    binary = sys.argv[1]
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        for i, (text, where, words) in enumerate(BAD):
            path = os.path.join(tmp, f"bad{i}.toml")
            with open(path, "wb") as f:
                f.write(text if isinstance(text, bytes) else text.encode())
            problems, err = check_bad(binary, path, where, words)
            if problems:
                failures += 1
                print(f"bad{i}: {'; '.join(problems)}\n  file: {text[:120]!r}\n  said: {err}")
        # Paths that are no scenario file.
        for path, words in ((os.path.join(tmp, "missing.toml"), "No such file or directory"),
                            (tmp, "is a directory"),
                            (os.path.join(tmp, "bad0.toml", "x.toml"), "Not a directory")):
            problems, err = check_bad(binary, path, None, words)
            if problems:
                failures += 1
                print(f"{path}: {'; '.join(problems)}\n  said: {err}")
        for i, text in enumerate(GOOD):
            path = os.path.join(tmp, f"good{i}.toml")
            with open(path, "w") as f:
                f.write(text)
            for mode in ("sync", "gather") if "[main]\nsteps" not in text else ("create_task",):
                r = run(binary, path, f"--mode={mode}")
                if r.returncode != 0:
                    failures += 1
                    print(f"good{i} --mode={mode}: exit {r.returncode}: {r.stderr.decode()}")
    total = len(BAD) + 3
    print(f"{total} bad files tried, {total - failures} gave one clear line and exit 2; "
          f"{len(GOOD)} good ones ran")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
