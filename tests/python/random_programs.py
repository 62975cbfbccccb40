#!/usr/bin/env python3
"""Differential test: random Python asyncio programs, run by asyncdemo and by CPython.

    random_programs.py ASYNCDEMO [--count N | --long] [--seed S] [--shard K/N]
                                 [--jobs J] [--keep-going] [--only I]

Draws N random programs (500; --long: 20,000) in the subset `asyncdemo run`
takes, with a seed that is new each run and printed (the same seed, the
same programs): sync helpers with positional, default, keyword and *args
parameters, nested calls, loops (for over ranges, lists, dicts, sets,
enumerate, zip; while) with break and continue, if/elif, list, dict, set and
tuple operations, comprehensions, f-strings with format specs, lambdas,
try/except/else/finally, raises of ValueError and RuntimeError; coroutines
that sleep (equal deadlines, zero sleeps), block (time.sleep), call each
other, fail and print when cancelled; and a main that uses every asyncio
primitive: create_task with name=, gather (return_exceptions), as_completed,
wait, wait_for, timeout, shield, Queue, Lock, Semaphore, Event, TaskGroup,
cancel, current_task().get_name(), done callbacks, call_soon and call_later
through get_running_loop(), futures, random.randint after random.seed.

Each program runs under `asyncdemo run --clock=virtual --format=jsonl` and
under CPython on an exact virtual clock (virtual_clock.py, many programs in
one process): every printed line, its time, and the end (the error's last
line) must be the same. What CPython leaves to memory addresses is never
asked: no program iterates a set of tasks, and a TaskGroup's tasks stay
quiet when it cancels them (it cancels them in set order).

On a difference the program is written to a file whose path is printed,
with the command that compares it alone.
"""
import argparse
import asyncio
import contextlib
import gc
import io
import itertools
import json
import multiprocessing
import os
import random
import resource
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import virtual_clock  # noqa: E402

LONG_COUNT = 20_000
TOLERANCE = 1e-9
# Sleeps with ties (equal deadlines), sums that meet (0.1 + 0.2 and 0.3) and zero.
DELAYS = ["0", "0", "0.1", "0.1", "0.2", "0.3", "0.5"]
WORDS = ["'ab'", "'xyz'", "'café'", "'a b'", "''", "'Q'", "'日本'"]
KEYS = ["'a'", "'b'", "'c'", "'k'", "'zz'"]
VALUE_KINDS = ("int", "float", "str", "list", "dict", "set", "tuple")


class Src:
    """Lines of Python with their indentation."""

    def __init__(self):
        self.lines = []
        self.depth = 0

    def __call__(self, line):
        self.lines.append("    " * self.depth + line)

    @contextlib.contextmanager
    def block(self, header):
        self(header)
        self.depth += 1
        before = len(self.lines)
        yield
        if len(self.lines) == before:
            self("pass")
        self.depth -= 1

    def text(self):
        return "\n".join(self.lines) + "\n"


class Writer:
    """One random program."""

    def __init__(self, rng):
        self.rng = rng
        self.src = Src()
        self.labels = 0
        self.syncs = []   # (name, fewest and most positional arguments, has keyword k)
        self.workers = []  # names of async workers: (name, d, n=2, *, fail=False, loud=True)
        self.named = set()  # workers and helpers that ask asyncio.current_task() its name

    # ---- small pieces ----

    def label(self):
        self.labels += 1
        return f"p{self.labels}"

    def chance(self, p):
        return self.rng.random() < p

    def pick(self, *options):
        return self.rng.choice(options)

    def say(self, *exprs, stamp=True):
        """A print of a label, the time now and some values."""
        rng = self.rng
        parts = [f"'{self.label()}'"]
        if stamp:
            parts.insert(0, "now()")
        parts += exprs
        extra = ""
        r = rng.random()
        if r < 0.1:
            extra = ", sep=' | '"
        elif r < 0.13:
            extra = ", sep=''"
        elif r < 0.16:
            extra = ", end=' ;\\n'"
        self.src(f"print({', '.join(parts)}{extra})")

    # ---- values of a kind (env: name -> kind) ----

    def of(self, env, kind):
        return [n for n, k in env.items() if k == kind]

    def int_expr(self, env, depth=0):
        rng = self.rng
        ints = self.of(env, "int") + self.of(env, "counter")
        lists = self.of(env, "list")
        options = [lambda: str(rng.randint(-5, 20))]
        if ints:
            a = lambda: rng.choice(ints)  # noqa: E731
            options += [a, a,
                        lambda: f"{a()} + {a()}",
                        lambda: f"{a()} - {rng.randint(0, 9)}",
                        lambda: f"({a()} * {a()}) % {rng.choice([7, 97, 1000])}",
                        lambda: f"{a()} // {rng.choice([2, 3, -4])}",
                        lambda: f"{a()} % {rng.choice([3, 5, -7])}",
                        lambda: f"abs({a()})",
                        lambda: f"min({a()}, {a()})",
                        lambda: f"max({a()}, {rng.randint(0, 5)})",
                        lambda: f"({a()} if {a()} > {a()} else {rng.randint(0, 9)})",
                        lambda: f"-{a()}",
                        lambda: f"{a()} ** 2 % 101",
                        lambda: f"int({a()} / 3)",
                        lambda: f"round({a()} / 4)"]
        if lists:
            lst = lambda: rng.choice(lists)  # noqa: E731
            options += [lambda: f"len({lst()})", lambda: f"sum({lst()}) % 1000",
                        lambda: (lambda n: f"({n}[0] if {n} else 0)")(lst()),
                        lambda: f"max({lst()} + [0])", lambda: f"min({lst()}, default=-1)",
                        lambda: f"sum(v for v in {lst()} if v % 2) % 1000",
                        lambda: f"{lst()}.count({rng.randint(0, 5)})"]
        for kind, form in (("dict", "len({})"), ("set", "len({})"), ("str", "len({})"),
                           ("dict", "{}.get({}, 0)"), ("tuple", "{}[0]")):
            names = self.of(env, kind)
            if names:
                n = rng.choice(names)
                options.append(lambda n=n, form=form: form.format(n, rng.choice(KEYS)))
        options.append(lambda: f"random.randint(0, {rng.randint(1, 9)})")
        return rng.choice(options)()

    def float_expr(self, env):
        rng = self.rng
        i = self.int_expr(env)
        floats = self.of(env, "float")
        options = [lambda: f"{i} / {rng.choice([2, 3, 4, 7, 10])}",
                   lambda: f"round({i} / 3, {rng.randint(0, 3)})",
                   lambda: f"float({i})", lambda: "random.random()",
                   lambda: f"{rng.choice(['0.1', '0.2', '1.5', '2.25', '1e-3'])} * {i}"]
        if floats:
            f = lambda: rng.choice(floats)  # noqa: E731
            options += [lambda: f"{f()} + {rng.choice(['0.1', '0.2', '1.5'])}",
                        lambda: f"round({f()}, 2)", lambda: f"{f()} * 2 - 1",
                        lambda: f"abs({f()})", lambda: f"max({f()}, {i})"]
        return rng.choice(options)()

    def str_expr(self, env):
        rng = self.rng
        strs = self.of(env, "str")
        i = self.int_expr(env)
        options = [lambda: rng.choice(WORDS), lambda: f"str({i})",
                   lambda: f'f"{{{i}:>4}}|{{{i}:<3}}|{{{i}:^5}}"',
                   lambda: f'f"{{{self.float_expr(env)}:.2f}}"',
                   lambda: f'f"{{{i}:03d}}-{{{i}!r}}"',
                   lambda: f'f"{{{i}:+}} {{{i}:x}}"']
        if strs:
            s = lambda: rng.choice(strs)  # noqa: E731
            options += [lambda: f"{s()}.upper()", lambda: f"{s()} + {rng.choice(WORDS)}",
                        lambda: f"{s()}[::-1]", lambda: f"{s()}[:2]",
                        lambda: f"f'{{{s()}!r}}'", lambda: f"{s()}.replace('a', '-')",
                        lambda: f"'-'.join([{s()}, {rng.choice(WORDS)}])"]
        lists = self.of(env, "list")
        if lists:
            options.append(lambda: f"', '.join(str(v) for v in {rng.choice(lists)})")
        return rng.choice(options)()

    def list_expr(self, env):
        rng = self.rng
        i = lambda: self.int_expr(env)  # noqa: E731
        lists = self.of(env, "list")
        options = [lambda: f"[{i()}, {i()}, {rng.randint(0, 9)}]",
                   lambda: f"list(range({rng.randint(0, 5)}))",
                   lambda: f"[k * {rng.randint(1, 3)} for k in range({rng.randint(0, 6)}) "
                           f"if k != {rng.randint(0, 3)}]"]
        if lists:
            a = lambda: rng.choice(lists)  # noqa: E731
            options += [lambda: f"sorted({a()})", lambda: f"sorted({a()}, reverse=True)",
                        lambda: f"{a()}[1:3]", lambda: f"{a()}[::-1]", lambda: f"{a()}[-2:]",
                        lambda: f"{a()} + [{i()}]",
                        lambda: f"[(v * 3 + 1) % 50 for v in {a()} if v > {rng.randint(-2, 6)}]",
                        lambda: f"sorted({a()}, key=lambda v: (v % 3, -v))",
                        lambda: f"[x + y for x, y in zip({a()}, {a()})]",
                        lambda: f"[i * v % 100 for i, v in enumerate({a()})]"]
        for name in self.of(env, "set"):
            options.append(lambda name=name: f"list({name})")
            options.append(lambda name=name: f"sorted({name})")
        for name in self.of(env, "dict"):
            options.append(lambda name=name: f"list({name}.values())")
        return rng.choice(options)()

    def dict_expr(self, env):
        rng = self.rng
        i = lambda: self.int_expr(env)  # noqa: E731
        options = [lambda: f"{{{rng.choice(KEYS)}: {i()}, {rng.choice(KEYS)}: {i()}}}",
                   lambda: f"{{str(k): k * k for k in range({rng.randint(0, 4)})}}",
                   lambda: f"dict(zip(['a', 'b', 'c'], [{i()}, {i()}]))"]
        for name in self.of(env, "dict"):
            options.append(lambda name=name: f"{{k: v + 1 for k, v in {name}.items() if v % 2 == 0}}")
        return rng.choice(options)()

    def set_expr(self, env):
        rng = self.rng
        i = lambda: self.int_expr(env)  # noqa: E731
        options = [lambda: f"{{{i()}, {i()}, {rng.randint(-3, 40)}}}",
                   lambda: f"set(range({rng.randint(0, 12)}, {rng.randint(0, 40)}, {rng.randint(1, 5)}))"]
        sets = self.of(env, "set")
        lists = self.of(env, "list")
        if lists:
            options.append(lambda: f"set({rng.choice(lists)})")
            options.append(lambda: f"{{v % {rng.randint(2, 9)} - 2 for v in {rng.choice(lists)}}}")
        if sets:
            s = lambda: rng.choice(sets)  # noqa: E731
            options += [lambda: f"{s()} | {{{i()}, 33}}", lambda: f"{s()} & {{1, 2, 3, {i()}}}",
                        lambda: f"{s()} - {{{i()}}}", lambda: f"{s()}.union([-1, -2, 8])"]
        return rng.choice(options)()

    def tuple_expr(self, env):
        rng = self.rng
        i = lambda: self.int_expr(env)  # noqa: E731
        return rng.choice([lambda: f"({i()}, {i()})", lambda: f"divmod({i()}, {rng.choice([3, -4, 7])})",
                           lambda: f"({i()}, {rng.choice(WORDS)}, {i()})"])()

    def expr(self, env, kind):
        return {"int": self.int_expr, "float": self.float_expr, "str": self.str_expr,
                "list": self.list_expr, "dict": self.dict_expr, "set": self.set_expr,
                "tuple": self.tuple_expr}[kind](env)

    def any_value(self, env):
        return self.rng.choice(list(env)) if env and self.chance(0.7) else self.int_expr(env)

    # ---- sync statements ----

    def sync_stmts(self, env, depth, count, loop=False, fresh=None):
        """Statements that do not await; `env` grows with the names they bind."""
        for _ in range(count):
            self.sync_stmt(env, depth, loop, fresh)

    def new_name(self, kind):
        self.labels += 1
        return f"{kind[0]}{self.labels}"

    def sync_stmt(self, env, depth, loop, fresh):
        rng = self.rng
        s = self.src
        kinds = ["assign", "assign", "reassign", "mutate", "print", "print", "unpack"]
        values = [n for n, k in env.items() if k in VALUE_KINDS]
        if depth < 2:
            kinds += ["if", "for", "while", "try"]
        if self.syncs:
            kinds += ["call"]
        if loop:
            kinds += ["break"]
        kind = rng.choice(kinds)
        if kind == "assign" or (kind == "reassign" and not values):
            k = rng.choice(["int", "int", "float", "str", "list", "list", "dict", "set", "tuple"])
            name = self.new_name(k)
            s(f"{name} = {self.expr(env, k)}")
            env[name] = k
        elif kind == "reassign":
            name = rng.choice(values)
            k = env[name]
            if k == "int" and self.chance(0.4):
                s(f"{name} {rng.choice(['+=', '-='])} {self.int_expr(env)}")
                s(f"{name} %= {rng.choice([1000, 999, -50])}")
            else:
                s(f"{name} = {self.expr(env, k)}")
        elif kind == "mutate":
            self.mutate(env)
        elif kind == "print":
            vals = [self.any_value(env) for _ in range(rng.randint(0, 3))]
            if self.chance(0.2) and self.of(env, "float"):
                f = rng.choice(self.of(env, "float"))
                vals.append(f"f'{{{f}:.3f}} {{{f}:8.2f}} {{{f}:e}} {{{f}:.0%}} {{{f}:g}}'")
            self.say(*vals, stamp=self.chance(0.5))
        elif kind == "unpack":
            a, b = self.new_name("int"), self.new_name("int")
            if self.chance(0.5):
                s(f"{a}, {b} = ({self.int_expr(env)}, {self.int_expr(env)}, 0)[:2]")
            else:
                s(f"{a}, *{b} = [{self.int_expr(env)}, {self.int_expr(env)}]")
                s(f"{b} = len({b})")
            env[a] = env[b] = "int"
            if self.chance(0.3):
                s(f"{a}, {b} = {b}, {a}")
        elif kind == "call":
            name, fewest, most, keyword = rng.choice(self.syncs)
            args = [self.int_expr(env) for _ in range(rng.randint(fewest, most))]
            if name == "depth_sum":  # deep, but within Python's recursion limit
                args = [f"abs({args[0]}) % 60"]
            if keyword and self.chance(0.5):
                args.append(f"k={self.int_expr(env)}")
            r = self.new_name("int")
            s(f"{r} = {name}({', '.join(args)})")
            env[r] = "int"
        elif kind == "break":
            with s.block(f"if {self.int_expr(env)} > {rng.randint(0, 10)}:"):
                self.say(stamp=False)
                s(rng.choice(["break", "continue"]))
        elif kind == "if":
            with s.block(f"if {self.condition(env)}:"):
                self.sync_stmts(dict(env), depth + 1, rng.randint(1, 3), loop)
            for _ in range(rng.randint(0, 2)):
                with s.block(f"elif {self.condition(env)}:"):
                    self.sync_stmts(dict(env), depth + 1, rng.randint(1, 2), loop)
            if self.chance(0.5):
                with s.block("else:"):
                    self.sync_stmts(dict(env), depth + 1, rng.randint(1, 2), loop)
        elif kind == "for":
            self.for_loop(env, depth)
        elif kind == "while":
            w = self.new_name("int")
            s(f"{w} = 0")
            with s.block(f"while {w} < {rng.randint(0, 5)}:"):
                s(f"{w} += 1")
                inner = dict(env)
                inner[w] = "counter"  # read, never assigned: the loop ends
                self.sync_stmts(inner, depth + 1, rng.randint(1, 3), loop=True)
            if self.chance(0.3):
                with s.block("else:"):
                    self.say(w, stamp=False)
        elif kind == "try":
            self.try_stmt(env, depth, loop)

    def condition(self, env):
        rng = self.rng
        a, b = self.int_expr(env), self.int_expr(env)
        op = rng.choice(["<", ">", "==", "!=", "<=", ">="])
        c = f"{a} {op} {b}"
        r = rng.random()
        if r < 0.15 and self.of(env, "list"):
            c = f"{self.int_expr(env)} in {rng.choice(self.of(env, 'list'))}"
        elif r < 0.25 and self.of(env, "set"):
            c = f"{self.int_expr(env)} not in {rng.choice(self.of(env, 'set'))}"
        elif r < 0.35:
            c = f"{c} and {self.int_expr(env)} % 2 == 0"
        elif r < 0.4:
            c = f"not ({c}) or {a} == 0"
        return c

    def mutate(self, env):
        rng = self.rng
        s = self.src
        lists, dicts, sets = self.of(env, "list"), self.of(env, "dict"), self.of(env, "set")
        options = []
        if lists:
            lst = rng.choice(lists)
            i = self.int_expr(env)
            options += [f"{lst}.append({i})", f"{lst}.insert(0, {i})", f"{lst}.extend([{i}, 1])",
                        f"{lst}.sort()", f"{lst}.reverse()", f"{lst} += [{i}]",
                        f"if {lst}:\n{lst}.pop()", f"if {lst}:\n{lst}[0] = {i}",
                        f"if {lst}:\ndel {lst}[-1]",
                        f"if {i} in {lst}:\n{lst}.remove({i})"]
        if dicts:
            d = rng.choice(dicts)
            k = rng.choice(KEYS)
            i = self.int_expr(env)
            options += [f"{d}[{k}] = {i}", f"{d}[{k}] = {d}.get({k}, 0) + 1",
                        f"{d}.pop({k}, None)", f"{d}.setdefault({k}, {i})",
                        f"{d}.update({{{k}: {i}}})", f"if {k} in {d}:\ndel {d}[{k}]"]
        if sets:
            st = rng.choice(sets)
            i = self.int_expr(env)
            options += [f"{st}.add({i})", f"{st}.discard({i})", f"{st} |= {{{i}, -1}}"]
        if not options:
            self.say(stamp=False)
            return
        choice = rng.choice(options)
        if "\n" in choice:
            head, body = choice.split("\n")
            with s.block(head):
                s(body)
        else:
            s(choice)

    def for_loop(self, env, depth):
        rng = self.rng
        s = self.src
        inner = dict(env)
        v, w = self.new_name("int"), self.new_name("int")
        sources = [(f"for {v} in range({rng.randint(0, 5)}):", {v: "int"}),
                   (f"for {v}, {w} in enumerate(range({rng.randint(0, 4)}, {rng.randint(4, 8)})):",
                    {v: "int", w: "int"})]
        for name in self.of(env, "list"):
            sources.append((f"for {v} in {name}:", {v: "int"}))
            sources.append((f"for {v}, {w} in zip({name}, range(3)):", {v: "int", w: "int"}))
        for name in self.of(env, "set"):
            sources.append((f"for {v} in {name}:", {v: "int"}))
        for name in self.of(env, "dict"):
            ks = self.new_name("str")
            sources.append((f"for {ks}, {v} in {name}.items():", {ks: "str", v: "int"}))
            sources.append((f"for {ks} in {name}:", {ks: "str"}))
        header, bound = rng.choice(sources)
        # What the loop walks is not changed under it (Python would walk on).
        walked = header.split(" in ", 1)[1]
        for name in list(inner):
            if name in walked and inner[name] in ("list", "dict", "set"):
                del inner[name]
        inner.update(bound)
        with s.block(header):
            self.sync_stmts(inner, depth + 1, rng.randint(1, 3), loop=True)
        if self.chance(0.2):
            with s.block("else:"):
                self.say("'loop done'", stamp=False)

    def try_stmt(self, env, depth, loop, awaits=None):
        """try with a raise that may happen, and handlers; `awaits` (a
        callable) puts awaits in the body."""
        rng = self.rng
        s = self.src
        with s.block("try:"):
            inner = dict(env)
            if awaits:
                awaits(inner)
            else:
                self.sync_stmts(inner, depth + 1, rng.randint(1, 2), loop)
            r = rng.random()
            cond = self.condition(inner)
            if r < 0.3:
                with s.block(f"if {cond}:"):
                    s(f"raise {rng.choice(['ValueError', 'RuntimeError'])}"
                      f'(f"bad {{{self.int_expr(inner)}}} in {self.label()}")')
            elif r < 0.4 and self.of(inner, "dict"):
                s(f"{self.new_name('int')} = {rng.choice(self.of(inner, 'dict'))}['missing']")
            elif r < 0.5 and self.of(inner, "list"):
                s(f"{self.new_name('int')} = {rng.choice(self.of(inner, 'list'))}[{rng.randint(3, 9)}]")
            elif r < 0.55:
                s(f"{self.new_name('int')} = {self.int_expr(inner)} // ({self.int_expr(inner)} * 0)")
            elif r < 0.6:
                s(f"{self.new_name('int')} = int('x{self.labels}')")
        handlers = rng.choice([["ValueError"], ["ValueError", "Exception"],
                               ["(KeyError, IndexError)", "Exception"], ["Exception"],
                               ["RuntimeError"], ["ZeroDivisionError", "ValueError", "Exception"]])
        for h in handlers:
            e = self.new_name("exc")
            with s.block(f"except {h} as {e}:"):
                form = rng.choice([f"{e}", f"repr({e})", f"type({e}).__name__", f"{e}.args"])
                self.say(f"'caught'", form, stamp=False)
        if self.chance(0.3):
            with s.block("else:"):
                self.say("'no error'", stamp=False)
        # (Not around awaits: a TaskGroup cancels its tasks in set order,
        # and a finally would print in that order.)
        if not awaits and self.chance(0.4):
            with s.block("finally:"):
                self.say("'finally'", stamp=False)

    # ---- functions ----

    def sync_function(self, index):
        rng = self.rng
        s = self.src
        name = f"calc{index}"
        positional = rng.randint(1, 3)
        params = [f"a{j}" for j in range(positional)]
        env = {p: "int" for p in params}
        required, most = positional, positional
        if self.chance(0.5):
            params[-1] += f"={rng.randint(0, 5)}"
            required -= 1
        keyword = self.chance(0.5)
        if self.chance(0.3):
            params.append("*rest")
            env["rest"] = "tuple_"
            most += 2
        if keyword:
            params.append(f"k={rng.randint(1, 4)}")
            env["k"] = "int"
        with s.block(f"def {name}({', '.join(params)}):"):
            if "rest" in env:
                s("a0 += len(rest)")
                del env["rest"]
            if self.chance(0.3):
                s("global tally")
                s("tally += a0")
            self.sync_stmts(env, 0, rng.randint(2, 6))
            s(f"return ({self.int_expr(env)}) % 1000")
        self.syncs.append((name, max(required, 1), most, keyword))

    def recursive(self):
        s = self.src
        with s.block("def depth_sum(n, acc=0):"):
            with s.block("if n <= 0:"):
                s("return acc")
            s("return depth_sum(n - 1, acc + n)")

    def delay(self, env):
        """A sleep's length: a literal (ties), d, or drawn."""
        r = self.rng.random()
        if r < 0.5:
            return self.rng.choice(DELAYS)
        if r < 0.8 and "d" in env:
            return self.rng.choice(["d", "d * 2", "d + 0.1", f"d * {self.rng.randint(0, 3)}"])
        return f"random.randint(0, 3) / 10"

    def async_stmts(self, env, depth, count, loop=False):
        rng = self.rng
        s = self.src
        for _ in range(count):
            r = rng.random()
            if r < 0.35:
                s(f"await {self.sleep_name}({self.delay(env)})")
            elif r < 0.45:
                s(f"time.sleep({rng.choice(['0', '0.05', '0.1'])})")
            elif r < 0.55 and self.helpers:
                h = rng.choice(self.helpers)
                v = self.new_name("int")
                s(f"{v} = await {h}({self.int_expr(env)}, {self.delay(env)})")
                env[v] = "int"
            elif r < 0.65 and depth < 2:
                v = self.new_name("int")
                with s.block(f"for {v} in range({rng.randint(0, 3)}):"):
                    inner = dict(env)
                    inner[v] = "int"
                    self.async_stmts(inner, depth + 1, rng.randint(1, 3), loop=True)
            elif r < 0.7 and depth < 2:
                with s.block(f"if {self.condition(env)}:"):
                    self.async_stmts(dict(env), depth + 1, rng.randint(1, 2), loop)
                with s.block("else:"):
                    self.async_stmts(dict(env), depth + 1, 1, loop)
            elif r < 0.75 and depth < 2:
                self.try_stmt(env, depth, loop,
                              awaits=lambda inner: self.async_stmts(inner, depth + 1, 2, loop))
            else:
                self.sync_stmt(env, depth + 1, loop, None)

    def helper(self, index):
        """An async helper a worker awaits: async def hN(x, d)."""
        s = self.src
        name = f"h{index}"
        with s.block(f"async def {name}(x, d):"):
            env = {"x": "int", "d": "float"}
            self.say(f"'{name}'", "x", "asyncio.current_task().get_name()")
            self.async_stmts(env, 1, self.rng.randint(1, 3))
            if self.chance(0.2):
                with s.block(f"if x > {self.rng.randint(5, 15)}:"):
                    s(f"raise ValueError(f'{name} got {{x}}')")
            s(f"return (x * 2 + {self.int_expr(env)}) % 1000")
        self.helpers.append(name)

    def worker(self, index):
        rng = self.rng
        s = self.src
        name = f"w{index}"
        with s.block(f"async def {name}(tag, d, n=2, *, fail=False, loud=True):"):
            env = {"n": "int", "d": "float", "tag": "str"}
            if self.chance(0.6):
                s("me = asyncio.current_task().get_name()")
                self.named.add(name)
            else:
                s(f"me = '{name}'")
            self.say(f"'{name} start'", "tag", "me")
            s("total = 0")
            env["total"] = "int"
            with s.block("try:"):
                with s.block("for i in range(n):"):
                    inner = dict(env)
                    inner["i"] = "int"
                    s(f"await {self.sleep_name}({self.delay(env)})")
                    self.async_stmts(inner, 1, rng.randint(1, 3), loop=True)
                    s(f"total += i + {self.int_expr(inner)} % 10")
                    s("total %= 1000")
                    if self.chance(0.5):
                        self.say(f"'{name}'", "tag", "i", "total")
                with s.block("if fail:"):
                    s(f"raise {rng.choice(['ValueError', 'RuntimeError'])}(f'{name} {{tag}} failed with {{total}}')")
                self.say(f"'{name} done'", "tag", "total")
                s(rng.choice(["return total", "return f'{tag}={total}'", "return [tag, total]"]))
            with s.block("except asyncio.CancelledError:"):
                with s.block("if loud:"):
                    self.say(f"'{name} cancelled'", "tag")
                s("raise")
            if self.chance(0.5):
                with s.block("finally:"):
                    with s.block("if loud:"):
                        self.say(f"'{name} finally'", "tag")
        self.workers.append(name)

    # ---- main's scenes ----

    def call(self, env, fail=None, loud=True, direct=False):
        """A worker's call: w1('x3', 0.1, 2, fail=...); `direct`: awaited
        by main itself, not as a task."""
        rng = self.rng
        workers = self.workers
        w = rng.choice(workers)
        args = [f"'t{self.labels}'", self.delay(env)]
        self.labels += 1
        if self.chance(0.6):
            args.append(str(rng.randint(0, 3)))
        if fail is None:
            fail = self.chance(0.2)
        if fail:
            args.append("fail=True")
        if not loud:
            args.append("loud=False")
        return f"{w}({', '.join(args)})"

    def task(self, env, **kw):
        name = f", name='job{self.labels}'" if self.chance(0.5) else ""
        return f"asyncio.create_task({self.call(env, **kw)}{name})"

    # Scenes whose failures are caught around them (the rest catch their own).
    CAUGHT = {"await", "tasks", "cancel", "gather", "as_completed", "wait", "wait_for",
              "timeout", "shield", "taskgroup", "future", "blocking"}

    def scene(self, env):
        rng = self.rng
        s = self.src
        kinds = ["await", "tasks", "cancel", "gather", "as_completed", "wait", "wait_for",
                 "timeout", "shield", "queue", "lock", "semaphore", "event", "taskgroup",
                 "callbacks", "sync", "blocking", "future"]
        kind = rng.choice(kinds)
        self.say(f"'scene {kind}'", "len(asyncio.all_tasks())")
        # Now and then a failure is left to end the program, as it ends CPython's.
        if kind not in self.CAUGHT or self.chance(0.15):
            getattr(self, "scene_" + kind)(env)
            return
        with s.block("try:"):
            getattr(self, "scene_" + kind)(env)
        e = self.new_name("exc")
        if kind == "taskgroup":
            if self.chance(0.5):
                with s.block(f"except* (ValueError, RuntimeError) as {e}:"):
                    self.say("'group'", f"repr({e})")
            else:
                with s.block(f"except ExceptionGroup as {e}:"):
                    self.say("'group'", f"{e}", f"[repr(x) for x in {e}.exceptions]")
            return
        with s.block(f"except (ValueError, RuntimeError) as {e}:"):
            self.say("'failed'", f"repr({e})")
        if kind in ("wait_for", "timeout", "shield", "as_completed"):
            with s.block(f"except {rng.choice(['TimeoutError', 'asyncio.TimeoutError'])}:"):
                self.say("'timed out'")
        if kind in ("cancel", "shield", "tasks", "blocking"):
            with s.block("except asyncio.CancelledError:"):
                self.say("'cancelled'")

    def scene_await(self, env):
        v = self.new_name("r")
        call = self.call(env, direct=True) or self.task(env)
        self.src(f"{v} = await {call}")
        self.say(f"'awaited'", v)

    def scene_tasks(self, env):
        rng = self.rng
        s = self.src
        names = []
        for _ in range(rng.randint(1, 3)):
            t = self.new_name("task")
            s(f"{t} = {self.task(env)}")
            if self.chance(0.3):
                s(f"{t}.add_done_callback(lambda t: print(now(), 'done', t.get_name(), "
                  f"t.cancelled()))")
            names.append(t)
        if self.chance(0.5):
            s(f"await {self.sleep_name}({self.delay(env)})")
        if self.chance(0.3):
            s("time.sleep(0.1)")
        for t in names:
            if self.chance(0.85):
                s(f"print(now(), '{self.label()}', {t}.get_name(), await {t})")

    def scene_cancel(self, env):
        rng = self.rng
        s = self.src
        t = self.new_name("task")
        s(f"{t} = {self.task(env, fail=False)}")
        s(f"await {self.sleep_name}({rng.choice(DELAYS)})")
        msg = rng.choice(["", "", "'stop'", "msg='stop'"])
        s(f"print(now(), '{self.label()}', {t}.cancel({msg}), {t}.done(), {t}.cancelled())")
        with s.block("try:"):
            s(f"print(now(), '{self.label()}', await {t})")
        with s.block("except asyncio.CancelledError as e:"):
            self.say("'was cancelled'", f"{t}.cancelled()", "repr(e)")
        self.say(f"{t}.done()", f"{t}.cancelled()", f"{t}.cancel()")

    def scene_gather(self, env):
        rng = self.rng
        calls = [self.call(env) if self.chance(0.6) else self.task(env)
                 for _ in range(rng.randint(0, 4))]
        rx = rng.choice(["", ", return_exceptions=True", ", return_exceptions=False"])
        v = self.new_name("res")
        args = ", ".join(calls) + rx if calls else rx[2:]
        self.src(f"{v} = await asyncio.gather({args})")
        self.say("'gathered'", v)

    def scene_as_completed(self, env):
        rng = self.rng
        s = self.src
        calls = [self.call(env) for _ in range(rng.randint(1, 4))]
        timeout = f", timeout={rng.choice(DELAYS)}" if self.chance(0.3) else ""
        with s.block(f"for c in asyncio.as_completed([{', '.join(calls)}]{timeout}):"):
            with s.block("try:"):
                self.say("'next'", "await c")
            with s.block("except ValueError as e:"):
                self.say("'failed'", "e")
            if timeout:
                with s.block("except asyncio.TimeoutError:"):
                    self.say("'as_completed timed out'")

    def scene_wait(self, env):
        rng = self.rng
        s = self.src
        ts = self.new_name("tasks")
        s(f"{ts} = [{', '.join(self.task(env) for _ in range(rng.randint(1, 4)))}]")
        when = rng.choice(["FIRST_COMPLETED", "FIRST_EXCEPTION", "ALL_COMPLETED"])
        timeout = f", timeout={rng.choice(['0', '0.1', '0.3', '1'])}" if self.chance(0.4) else ""
        s(f"done, pending = await asyncio.wait({ts}, return_when=asyncio.{when}{timeout})")
        self.say("len(done)", "len(pending)", "sorted(t.get_name() for t in done)")
        with s.block(f"for t in {ts}:"):
            with s.block("if t in pending:"):
                s("t.cancel()")
        s(f"print(now(), '{self.label()}', await asyncio.gather(*{ts}, return_exceptions=True))")

    def scene_wait_for(self, env):
        v = self.new_name("r")
        timeout = self.rng.choice(['0', '0.1', '0.2', '0.5', '1', 'None'])
        # Without a timeout wait_for awaits the coroutine itself, in main's task.
        call = self.call(env, direct=True) if timeout == "None" else self.call(env)
        self.src(f"{v} = await asyncio.wait_for({call or self.task(env)}, timeout={timeout})")
        self.say("'in time'", v)

    def scene_timeout(self, env):
        s = self.src
        with s.block(f"async with asyncio.timeout({self.rng.choice(['0', '0.1', '0.3', '1', 'None'])}):"):
            v = self.new_name("r")
            call = self.call(env, direct=True) or self.task(env)
            s(f"{v} = await {call}")
            self.say("'within'", v)
            if self.chance(0.5):
                s(f"await {self.sleep_name}({self.delay(env)})")
                self.say("'still within'")

    def scene_shield(self, env):
        s = self.src
        t = self.new_name("task")
        s(f"{t} = {self.task(env)}")
        with s.block("try:"):
            s(f"print(now(), '{self.label()}', await asyncio.wait_for(asyncio.shield({t}), "
              f"timeout={self.rng.choice(['0.1', '0.2', '1'])}))")
        with s.block("except TimeoutError:"):
            self.say("'shield held'", f"{t}.done()", f"{t}.cancelled()")
        s(f"print(now(), '{self.label()}', await {t})")

    def scene_queue(self, env):
        rng = self.rng
        s = self.src
        s(f"q = asyncio.Queue({rng.choice(['', '1', '2', 'maxsize=3'])})")
        consumers = rng.randint(1, 3)
        s(f"cs = [asyncio.create_task(consumer(q, 'c{{}}'.format(j), {self.delay(env)})) "
          f"for j in range({consumers})]")
        s(f"await asyncio.gather(*(producer(q, j, {rng.randint(0, 4)}, {self.delay(env)}) "
          f"for j in range({rng.randint(1, 3)})))")
        s("await q.join()")
        self.say("'joined'", "q.qsize()", "q.empty()", "q.full()")
        with s.block("for c in cs:"):
            s("c.cancel()")
        s(f"print(now(), '{self.label()}', await asyncio.gather(*cs, return_exceptions=True))")

    def scene_lock(self, env):
        s = self.src
        s("counter = 0")
        guarded = self.rng.choice(["True", "False"])
        s(f"await asyncio.gather(*(bump(lock, j, {self.delay(env)}, {guarded}) "
          f"for j in range({self.rng.randint(1, 4)})))")
        self.say("'counter'", "counter", "lock.locked()")

    def scene_semaphore(self, env):
        s = self.src
        s(f"sem = asyncio.{self.rng.choice(['Semaphore', 'BoundedSemaphore'])}({self.rng.randint(1, 3)})")
        s(f"print(now(), '{self.label()}', await asyncio.gather(*(limited(sem, j, {self.delay(env)}) "
          f"for j in range({self.rng.randint(1, 5)}))))")
        self.say("'sem'", "sem.locked()")

    def scene_event(self, env):
        s = self.src
        s("ev = asyncio.Event()")
        s(f"ws = [asyncio.create_task(waiter(ev, j)) for j in range({self.rng.randint(1, 3)})]")
        s(f"await {self.sleep_name}({self.delay(env)})")
        self.say("'setting'", "ev.is_set()")
        s("ev.set()")
        if self.chance(0.3):
            s("ev.clear()")
        s(f"print(now(), '{self.label()}', await asyncio.gather(*ws))")

    def scene_taskgroup(self, env):
        rng = self.rng
        s = self.src
        ts = []
        with s.block("async with asyncio.TaskGroup() as tg:"):
            for _ in range(rng.randint(1, 3)):
                t = self.new_name("task")
                name = f", name='g{self.labels}'" if self.chance(0.5) else ""
                s(f"{t} = tg.create_task({self.call(env, loud=False)}{name})")
                ts.append(t)
            if self.chance(0.5):
                s(f"await {self.sleep_name}({self.delay(env)})")
                self.say("'in group'")
        self.say("'group done'", *[f"{t}.result()" for t in ts])

    def scene_callbacks(self, env):
        rng = self.rng
        s = self.src
        s("loop = asyncio.get_running_loop()")
        for _ in range(rng.randint(1, 4)):
            if self.chance(0.4):
                s(f"loop.call_soon(tick, '{self.label()}')")
            else:
                s(f"loop.call_later({self.delay(env)}, tick, '{self.label()}')")
        if self.chance(0.5):
            s("h = loop.call_later(0.2, tick, 'never')")
            s("h.cancel()")
        s(f"await {self.sleep_name}({rng.choice(['0', '0.1', '0.3', '0.6'])})")
        self.say("'loop time'", "round(loop.time() - START, 3)")

    def scene_future(self, env):
        s = self.src
        s("loop = asyncio.get_running_loop()")
        s("fut = loop.create_future()")
        if self.chance(0.7):
            s(f"loop.call_later({self.delay(env)}, fut.set_result, {self.int_expr(env)})")
        else:
            s(f"loop.call_later({self.delay(env)}, fut.set_exception, "
              f"ValueError('future {self.label()}'))")
        s("fut.add_done_callback(lambda f: print(now(), 'future done', f.cancelled()))")
        self.say("'future'", "fut.done()", "await fut")

    def scene_sync(self, env):
        self.sync_stmts(env, 0, self.rng.randint(1, 4))

    def scene_blocking(self, env):
        s = self.src
        t = self.new_name("task")
        s(f"{t} = {self.task(env)}")
        s(f"time.sleep({self.rng.choice(['0', '0.1', '0.25'])})")
        s(f"await {self.sleep_name}(0)")
        self.say("'after block'", f"{t}.done()")
        with s.block("try:"):
            s(f"await {t}")
        with s.block("except Exception as e:"):
            self.say("'task failed'", "e")

    # ---- the program ----

    def program(self, seed):
        rng = self.rng
        s = self.src
        s("import asyncio")
        s("import random")
        s("import time")
        self.sleep_name = "asyncio.sleep"
        if self.chance(0.2):
            s("from asyncio import sleep")
            self.sleep_name = "sleep"
        s("")
        s(f"random.seed({seed})")
        s("START = time.monotonic()")
        s("tally = 0")
        s("counter = 0")
        s("lock = asyncio.Lock()")
        s("")
        with s.block("def now():"):
            s("return round(time.monotonic() - START, 3)")
        with s.block("def tick(what):"):
            s("print(now(), 'tick', what)")
        for i in range(rng.randint(0, 3)):
            self.sync_function(i)
        if self.chance(0.3):
            self.recursive()
            self.syncs.append(("depth_sum", 1, 1, False))
        self.helpers = []
        for i in range(rng.randint(0, 2)):
            self.helper(i)
        for i in range(rng.randint(1, 3)):
            self.worker(i)
        with s.block("async def producer(q, j, n, d):"):
            with s.block("for i in range(n):"):
                s(f"await {self.sleep_name}(d)")
                s("await q.put(j * 10 + i)")
                s("print(now(), 'put', j, i, q.qsize())")
        with s.block("async def consumer(q, name, d):"):
            with s.block("while True:"):
                s("item = await q.get()")
                s("print(now(), name, 'got', item)")
                s(f"await {self.sleep_name}(d)")
                s("q.task_done()")
        with s.block("async def bump(lock, j, d, guarded):"):
            s("global counter")
            with s.block("if guarded:"):
                with s.block("async with lock:"):
                    s("v = counter")
                    s(f"await {self.sleep_name}(d)")
                    s("counter = v + 1")
            with s.block("else:"):
                s("v = counter")
                s(f"await {self.sleep_name}(d)")
                s("counter = v + 1")
            s("print(now(), 'bump', j, counter)")
        with s.block("async def limited(sem, j, d):"):
            with s.block("async with sem:"):
                s("print(now(), 'enter', j, sem.locked())")
                s(f"await {self.sleep_name}(d * (j % 2 + 1))")
            s("print(now(), 'leave', j)")
            s("return j * j")
        with s.block("async def waiter(ev, j):"):
            s("print(now(), 'waiting', j)")
            s("await ev.wait()")
            s("print(now(), 'woke', j, ev.is_set())")
            s("return j")
        s("")
        with s.block("async def main():"):
            env = {"d": "float"}
            s("global counter")
            s(f"d = {rng.choice(DELAYS)}")
            self.say("'main'", "asyncio.current_task().get_name()")
            for _ in range(rng.randint(1, 6)):
                self.scene(env)
            if self.chance(0.2):  # left running: asyncio.run cancels it
                s(f"left = {self.task(env, fail=False)}")
                s(f"await {self.sleep_name}(0)")
            self.say("'main ends'", "tally", "counter")
            s(f"return {self.int_expr(env) if self.chance(0.5) else 'None'}")
        s("")
        r = rng.random()
        if r < 0.4:
            s("print(asyncio.run(main()))")
        elif r < 0.7:
            with s.block("if __name__ == '__main__':"):
                s("asyncio.run(main())")
        else:
            with s.block("def entry():"):
                s("result = asyncio.run(main())")
                s("print('result', result, now())")
            s("entry()")
        return s.text()


def program(seed, index):
    """Program `index` of the sample drawn with `seed`."""
    rng = random.Random(seed * 1_000_003 + index)
    return Writer(rng).program(rng.randint(0, 10**6))


# ---- running ----

def asyncdemo_lines(binary, path, run):
    """(time, text) of every print on asyncdemo's virtual clock, and its end."""
    out, err = run.communicate(timeout=60)
    if run.returncode == 2:
        return None, f"asyncdemo refused it: {err.strip()}"
    records = [json.loads(line) for line in out.split("\n") if line]
    lines = [(e["time"], e["text"]) for e in records
             if e.get("type") == "event" and e.get("kind") == "print"]
    error = next((e.get("error") for e in records if e.get("type") == "summary"), None)
    if run.returncode != 0 and error is None:
        error = f"exit status {run.returncode}: {err.strip()}"
    return lines, error


def python_lines(text, path):
    """(time, text) of every print, under this CPython on the virtual clock, and its end."""
    events = io.StringIO()
    error = None
    # Each program starts as a fresh interpreter would: task names from
    # Task-1. The C Task counts in a counter of its own, which nothing
    # resets: the Python Task (the same code, asyncio's reference) counts in
    # one that can be.
    asyncio.tasks._task_name_counter = itertools.count(1).__next__
    saved_task, asyncio.tasks.Task = asyncio.tasks.Task, asyncio.tasks._PyTask
    signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(60)
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        try:
            virtual_clock.run_program(text, path, events)
        except Runaway as exc:
            error = str(exc)
        except BaseException as exc:  # noqa: B902 - the program's own end
            error = virtual_clock.error_text(exc)
        finally:
            signal.alarm(0)
        gc.collect()  # "Task exception was never retrieved" goes where the rest went
    asyncio.tasks.Task = saved_task
    records = [json.loads(line) for line in events.getvalue().split("\n") if line]
    return [(r["time"], r["text"]) for r in records], error


def difference(want, want_error, got, got_error):
    """None when both ran alike; else what differs, briefly."""
    if got is None:
        return got_error
    if [t for _, t in want] != [t for _, t in got]:
        for n, (w, g) in enumerate(zip(want + [None] * len(got), got + [None] * len(want)), 1):
            if w != g and (w is None or g is None or w[1] != g[1]):
                return (f"line {n} differs\n  python    {w}\n  asyncdemo {g}")
    for n, (w, g) in enumerate(zip(want, got), 1):
        if abs(w[0] - g[0]) >= TOLERANCE:
            return f"line {n} {w[1]!r} at another time: python {w[0]:.9f} s, asyncdemo {g[0]:.9f} s"
    if want_error != got_error:
        return f"another end\n  python    {want_error!r}\n  asyncdemo {got_error!r}"
    return None


def error_is_runaway(error):
    return bool(error) and error.startswith("CPython ran the program")


def limit_memory():
    """A runaway program (a generator bug) must not take the machine's memory.
    (Not under AddressSanitizer, whose shadow memory needs the address space:
    the sanitized tree's tests run with LSAN_OPTIONS set.)"""
    if "LSAN_OPTIONS" in os.environ or "ASAN_OPTIONS" in os.environ:
        return
    resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))


class Runaway(Exception):
    pass


def on_alarm(signum, frame):
    raise Runaway("CPython ran the program for more than 60 s")


def check_batch(binary, seed, indices, where):
    """Checks programs `indices` of the sample: [(index, lines, difference)].
    asyncdemo runs each program in a process of its own while this one
    runs the program under CPython."""
    out = []
    for i in indices:
        text = program(seed, i)
        path = os.path.join(where, f"random_{seed}_{i}.py")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        run = subprocess.Popen([binary, "run", path, "--clock=virtual", "--format=jsonl"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               preexec_fn=limit_memory)
        want, want_error = python_lines(text, path)
        try:
            got, got_error = asyncdemo_lines(binary, path, run)
            if error_is_runaway(want_error):
                got, got_error = None, "CPython ran on for more than 60 s: a generator bug"
        except subprocess.TimeoutExpired:
            run.kill()
            run.communicate()
            got, got_error = None, "asyncdemo took more than 60 s"
        out.append((i, len(want), difference(want, want_error, got, got_error)))
        os.unlink(path)
    return out


def keep(seed, i):
    """Writes program i where it stays, for the report."""
    fd, path = tempfile.mkstemp(prefix=f"random_program_{seed}_{i}_", suffix=".py")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(program(seed, i))
    return path


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("binary", help="the asyncdemo binary")
    ap.add_argument("--count", type=int, default=500, help="programs in the sample (default 500)")
    ap.add_argument("--long", action="store_true", help=f"{LONG_COUNT:,} programs (use --jobs)")
    ap.add_argument("--seed", type=int, help="draws the sample (default: a new seed, printed)")
    ap.add_argument("--shard", default="1/1", metavar="K/N",
                    help="only programs K, K+N, K+2N, ... (ctest runs shards side by side)")
    ap.add_argument("--jobs", type=int, default=1, help="processes checking programs at once")
    ap.add_argument("--keep-going", action="store_true",
                    help="check every program (default: stop at the first difference)")
    ap.add_argument("--only", type=int, metavar="I", help="check program I of the sample alone")
    ap.add_argument("--print", type=int, metavar="I", dest="show",
                    help="print program I of the sample and exit")
    args = ap.parse_args()
    count = LONG_COUNT if args.long else args.count
    if count < 1:
        ap.error(f"--count {count}: give at least 1")
    if args.jobs < 1:
        ap.error(f"--jobs {args.jobs}: give at least 1")
    try:
        shard, shards = (int(n) for n in args.shard.split("/"))
    except ValueError:
        ap.error(f"--shard {args.shard!r}: give K/N, e.g. 2/4")
    if not 1 <= shard <= shards:
        ap.error(f"--shard {args.shard}: K must be 1 to N")
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1, 10**6)
    if args.show is not None:
        sys.stdout.write(program(seed, args.show))
        return
    me = os.path.basename(sys.argv[0])
    print(f"seed {seed}: to draw this sample again, {me} ASYNCDEMO --seed {seed} --count {count}"
          + (f" --shard {args.shard}" if shards > 1 else ""), flush=True)
    indices = [args.only] if args.only is not None else list(range(shard - 1, count, shards))
    started = time.monotonic()
    checked = lines = failures = 0
    # Batches small enough to spread over the jobs, big enough to save start-ups.
    size = max(1, min(25, len(indices) // (args.jobs * 4) or 1))
    batches = [indices[k:k + size] for k in range(0, len(indices), size)]
    with tempfile.TemporaryDirectory() as where, \
            multiprocessing.Pool(args.jobs) as pool:
        results = pool.imap(_check, [(args.binary, seed, b, where) for b in batches])
        for batch in results:
            for i, n, problem in batch:
                checked += 1
                lines += n
                if problem:
                    failures += 1
                    path = keep(seed, i)
                    print(f"program {i} of seed {seed} differs from CPython: {problem}\n"
                          f"  the program: {path}\n"
                          f"  again: {me} ASYNCDEMO --seed {seed} --count {count} --only {i}\n"
                          f"  or:    programs.py ASYNCDEMO {path}", flush=True)
            if failures and not args.keep_going:
                pool.terminate()
                break
            if args.long and checked % 1000 < size:
                print(f"{checked} programs, {time.monotonic() - started:.0f} s", flush=True)
    print(f"{checked} random programs, {lines} lines: {checked - failures} the same as "
          f"CPython {sys.version.split()[0]} (seed {seed}, {time.monotonic() - started:.1f} s)")
    sys.exit(1 if failures else 0)


def _check(job):
    return check_batch(*job)


if __name__ == "__main__":
    main()
