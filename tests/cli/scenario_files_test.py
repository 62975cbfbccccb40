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
    # [shared] and the primitives' steps
    ('[shared]\nlock = "Lock(2)"\n' + JOB, (2, 8), "Lock() takes no argument"),
    ('[shared]\nq = "Queue(1 +)"\n' + JOB, None, "(in this text)"),
    ('[shared]\nrange = 1\n' + JOB, (2, 9), "cannot be a shared name"),
    ('[[job]]\nname = "a"\nsteps = [ { with = "nope", steps = [ { print = "x" } ] } ]\n', (3, 20),
     "'nope' names no Lock or Semaphore or BoundedSemaphore of [shared]"),
    ('[shared]\ngate = "Event()"\n[[job]]\nname = "a"\n'
     'steps = [ { with = "gate", steps = [ { print = "x" } ] } ]\n', (5, 20), "names no Lock"),
    ('[shared]\nlock = "Lock()"\n[[job]]\nname = "a"\nsteps = [ { with = "lock" } ]\n', (5, 11),
     "with needs steps"),
    ('[[job]]\nname = "a"\nsteps = [ { timeout = 1, steps = [] } ]\n', (3, 34), "an empty block"),
    ('[shared]\nlock = "Lock()"\n[[job]]\nname = "a"\n'
     'steps = [ { with = "lock", steps = [ { return = 1 } ] } ]\n', (5, 38), "return inside a with"),
    ('[[job]]\nname = "a"\nsteps = [ { raise = "KeyError" } ]\n', (3, 21),
     "'KeyError' is not an exception raise takes"),
    ('[[coroutine]]\nname = "h"\nsteps = [ { print = "x" } ]\n[[job]]\nname = "a"\n'
     'steps = [ { wait = ["h"], return_when = "FIRST" } ]\n', (6, 41), "is not one of FIRST_COMPLETED"),
    ('[[coroutine]]\nname = "h"\nsteps = [ { print = "x" } ]\n[[job]]\nname = "a"\n'
     'steps = [ { wait_for = "h" } ]\n', (6, 11), "needs 'timeout'"),
    ('modes = ["sync", "gather"]\n[shared]\nq = "Queue()"\n[[job]]\nname = "a"\n'
     'steps = [ { get = "q" } ]\n', (1, 9), "sync mode runs plain functions, and the step at line 6"),
    ('[shared]\nlock = "Lock()"\n[[job]]\nname = "a"\nsteps = [ { set = "lock", to = 1 } ]\n',
     (5, 19), "is a Lock of [shared]: it cannot be assigned"),
    ('[shared]\nn = 0\nq = "Queue()"\n[[job]]\nname = "a"\nsteps = [ { get = "q", as = "n" } ]\n',
     (6, 29), "is shared ([shared])"),
    ('[shared]\nq = "Queue()"\n[[job]]\nname = "a"\nsteps = [ { put = "q" } ]\n', (5, 11),
     "needs 'item'"),
    ('[[job]]\nname = "a"\nsteps = [ { if = "True" } ]\n', (3, 11), "if needs steps"),
]

GOOD = [
    JOB,
    '[params.n]\ndefault = 2\n[[job]]\nname = "w{index}"\ncount = "n"\n'
    'steps = [ { sleep = "index * 0.5" }, { print = "{index} {now():.1f}" } ]\n',
    '[[coroutine]]\nname = "helper"\nsteps = [ { return = 7 } ]\n'
    '[main]\nsteps = [ { task = "helper", as = "t" }, { await = "t", as = "v" }, '
    '{ print = "got {v}" } ]\n',
    '[shared]\ncount = 0\nplaces = "Semaphore(1)"\ngate = "Event()"\nq = "Queue(1)"\n'
    '[[job]]\nname = "a"\ncount = 2\nsteps = [ { with = "places", steps = [ '
    '{ set = "count", to = "count + 1" } ] }, { timeout = 0.5, steps = [ { wait_event = "gate" } ], '
    'on_timeout = [ { print = "no gate" } ] }, { put = "q", item = "index" }, '
    '{ get = "q", as = "x" }, { task_done = "q" }, { to_thread = 0.1 }, '
    '{ if = "x == 1", steps = [ { print = "one" } ], else = [ { print = "zero" } ] } ]\n'
    '[main]\nafter = [ { print = "count {count}" } ]\n',
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
            # (A file with a step only a loop runs has no sync mode.)
            modes = ("gather",) if "wait_event" in text else ("sync", "gather")
            for mode in modes if "[main]\nsteps" not in text else ("create_task",):
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
