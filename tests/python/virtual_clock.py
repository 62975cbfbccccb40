#!/usr/bin/env python3
"""Run an asyncio program on an exact virtual clock, as `asyncdemo --clock=virtual` does.

    virtual_clock.py PROGRAM.py [--events FILE] [--workers N]   (PROGRAM.py may be - for stdin)

The program's `SCALE = <number>` line becomes `SCALE = 1`, so a virtual second
is a scenario second. Then:

- time.perf_counter, monotonic, time (and their _ns forms) read the virtual
  clock, and time.sleep(d) moves it on by d: blocking work holds the loop, as
  on the real clock, but costs no wall time;
- asyncio.run gets a loop (through the event loop policy, so the program runs
  untouched) whose time() is the virtual clock and whose selector never
  waits: when nothing is ready it moves the clock on to the next deadline;
- equal deadlines fire in the order they were set;
- loop.run_in_executor (and so asyncio.to_thread) runs the function on a
  worker of the default executor, whose size is CPython's default,
  min(32, os.cpu_count() + 4), or --workers N: a call made while every
  worker is busy waits for the first to be free, in the order the calls
  came, and a call cancelled while it waits is dropped (ThreadPoolExecutor's
  queue). When its worker takes it, the function runs to its end on a
  thread of its own, where time.sleep(d) holds only that worker: it adds d
  to the worker's own clock instead of the loop's. The result reaches the
  loop when that much virtual time has passed, as a timer set when the
  worker took it (asyncdemo's virtual clock does the same); asyncio.run's
  shutdown of the default executor waits, in virtual time, for the last
  such job to end;
- asyncio.as_completed makes tasks of the coroutines it is given in the
  order given (CPython: in the order of their addresses);
- asyncio.all_tasks() lists the loop's tasks in the order they were made,
  so that asyncio.run's clean-up cancels what is left in that order, as
  asyncdemo does (CPython's is a set, iterated in memory-address order);
- with --events FILE, every line the program prints to stdout is also
  written to FILE as one JSON object: {"time": <virtual seconds>, "text": ...};
  if the program raises, a last object {"error": ...} says how CPython's
  traceback ends (error_text), as asyncdemo's "error" does.

Used as a module: `with virtual_time(events=None, workers=None) as clock: ...`
runs any code on the virtual clock (clock.seconds() is the time);
run_program() runs a file.
"""
import argparse
import asyncio
import builtins
import collections
import contextlib
import heapq
import itertools
import json
import math
import os
import random
import re
import selectors
import sys
import threading
import time
import traceback
import types

SCALE_LINE = re.compile(r"^SCALE\s*=\s*[-+0-9.eE_]+[ \t]*(#.*)?$", re.MULTILINE)

# Virtual time is a whole number of nanoseconds, as asyncdemo's is (its
# Duration is std::chrono::nanoseconds). Float seconds would not do: 0.7 + 0.1
# is 0.7999999999999999, so a task sleeping 0.7 then 0.1 would wake before
# one sleeping 0.8, where asyncdemo (and any exact clock) has a tie. With
# integers sums are exact and a deadline is the same number on both sides.
# Fractions would be exact too, but programs and asyncio do float arithmetic
# and formatting with loop.time(), so it stays a float: the loop hands asyncio
# ns / 1e9, and keeps every deadline on that grid (call_later, call_at).
# Distinct nanoseconds stay distinct floats and equal ones equal, and a float
# difference of two of them rounds back to the exact count, as long as a
# float can tell nanoseconds apart with room to spare: up to 2**20 s (12
# days) of virtual time. Past that the clock stops rather than go inexact.
LIMIT_NS = 2**20 * 10**9


def to_ns(seconds):
    """Seconds to whole nanoseconds, rounded half away from zero: asyncdemo's
    seconds() (std::llround(s * 1e9)), so both sides get the same count."""
    x = float(seconds) * 1e9
    if x < 0:
        return -to_ns(-seconds)
    n = math.floor(x)  # x - n is exact for a float
    return n + 1 if x - n >= 0.5 else n


class Clock:
    """The virtual clock: nanoseconds since it was made (or reset). A worker
    thread of run_in_executor reads and moves a clock of its own, which
    starts where the loop's was when the job began."""

    def __init__(self):
        self.ns = 0
        self.worker = threading.local()

    def now_ns(self):
        return getattr(self.worker, "ns", self.ns)

    def seconds(self):
        return self.now_ns() / 1e9

    def advance_ns(self, ns):
        if self.ns + ns > LIMIT_NS:
            raise OverflowError("virtual clock past 2**20 s: float seconds can no longer "
                                "tell its nanoseconds apart")
        self.ns += ns

    def sleep(self, seconds):
        """time.sleep: holds the caller (and so the loop) for `seconds`."""
        if seconds < 0:
            raise ValueError("sleep length must be non-negative")
        if hasattr(self.worker, "ns"):  # a worker thread: holds only itself
            self.worker.ns += to_ns(seconds)
            return
        self.advance_ns(to_ns(seconds))
        # Meanwhile the executor's workers went on: a job waiting for one
        # began when it was free.
        loop = asyncio.events._get_running_loop()
        if isinstance(loop, VirtualEventLoop):
            loop._start_thread_jobs(self.ns)


CLOCK = Clock()


def default_workers():
    """The size of CPython's default executor: ThreadPoolExecutor's
    min(32, os.cpu_count() + 4) (asyncdemo's default too)."""
    return min(32, (os.cpu_count() or 1) + 4)


# The default executor's size in this process: virtual_time(workers=N) sets it.
WORKERS = [default_workers()]

# Real seconds the loop may wait with no timer set, for a signal or another
# thread: after that every task waits for ever (a deadlock), and it says so.
DEADLOCK_AFTER = 10


class VirtualSelector(selectors.DefaultSelector):
    """A selector that waits only for what can really happen: file
    descriptors that are ready now (the loop's self-pipe: signals,
    call_soon_threadsafe) are reported at once; a timeout passes no wall
    time, it moves the virtual clock on by exactly the timeout, which the
    loop computed as the next deadline minus now: both on the nanosecond
    grid, so to_ns(timeout) lands on the deadline itself."""

    def select(self, timeout=None):
        events = super().select(0)
        if events or timeout == 0:
            return events
        if timeout is None:  # no deadline left: only a real event can come
            events = super().select(DEADLOCK_AFTER)
            if not events:
                raise RuntimeError("virtual clock: every task waits and nothing can wake one")
            return events
        CLOCK.advance_ns(to_ns(timeout))
        loop = asyncio.events._get_running_loop()
        if isinstance(loop, VirtualEventLoop):  # a worker free by now takes a job that waits
            loop._start_thread_jobs(CLOCK.ns)
        return []


class StableTimerHandle(asyncio.TimerHandle):
    """A TimerHandle ordered by (deadline, the order it was set in).

    The loop's heap compares deadlines only, and a heap is not stable, so on
    an exact clock equal deadlines would fire in an arbitrary order. On a
    real clock they are never equal: time moves between two calls, so of two
    timers for the same delay the one set first is due first. Breaking ties
    by the order they were set is what a real clock does (and asyncdemo)."""

    __slots__ = ("_seq",)

    def __init__(self, when, seq, callback, args, loop, context=None):
        super().__init__(when, callback, args, loop, context)
        self._seq = seq

    def __lt__(self, other):
        if self._when != other._when:
            return self._when < other._when
        return self._seq < other._seq

    def __gt__(self, other):
        return other.__lt__(self)

    def __le__(self, other):
        return not other.__lt__(self)

    def __ge__(self, other):
        return not self.__lt__(other)


class VirtualEventLoop(asyncio.SelectorEventLoop):
    """The default selector loop, on the virtual clock."""

    def __init__(self):
        super().__init__(selector=VirtualSelector())
        # _run_once runs the timers due before time() + _clock_resolution.
        # Deadlines are whole nanoseconds, so half a nanosecond takes every
        # timer due now and never one due a nanosecond later (the default,
        # the monotonic clock's 1 ns, could).
        self._clock_resolution = 0.5e-9
        self._timer_seq = itertools.count()
        self._last_job_end_ns = 0
        self._created = []  # every task, in the order made (all_tasks_in_order)
        self._workers = WORKERS[0]
        # The executor's queue: (func, args, future, when it came), and when
        # each worker that has run a job is free again (a heap; a worker never
        # used is free).
        self._thread_jobs = collections.deque()
        self._free_at = []

    def _run_once(self):
        self._start_thread_jobs(CLOCK.ns)  # before the loop reads its next deadline
        super()._run_once()

    def create_task(self, coro, *, name=None, context=None):
        task = super().create_task(coro, name=name, context=context)
        self._created.append(task)
        return task

    def time(self):
        return CLOCK.seconds()

    def call_later(self, delay, callback, *args, context=None):
        # The deadline in nanoseconds from the delay itself, as asyncdemo
        # does (now + llround(delay * 1e9)), not from the float now + delay.
        if delay is None:
            raise TypeError("delay must not be None")
        return self._call_at_ns(CLOCK.ns + to_ns(delay), callback, args, context)

    def call_at(self, when, callback, *args, context=None):
        if when is None:
            raise TypeError("when cannot be None")
        return self._call_at_ns(to_ns(when), callback, args, context)

    def run_in_executor(self, executor, func, *args):
        """The call waits for a worker of the default executor; when one
        takes it (_start_thread_jobs), the function runs to its end on a
        worker thread whose time.sleep moves only the worker's clock, and its
        outcome is delivered when that much virtual time has passed
        (wrap_future's _set_state)."""
        self._check_closed()
        future = self.create_future()
        self._thread_jobs.append((func, args, future, CLOCK.ns))
        self._start_thread_jobs(CLOCK.ns)
        return future

    def _start_thread_jobs(self, until_ns):
        """The calls that wait go, in the order they came, to the workers
        free by until_ns: the first free first. One cancelled while it waited
        is dropped, as ThreadPoolExecutor drops a cancelled work item."""
        while self._thread_jobs:
            reused = len(self._free_at) >= self._workers
            free_ns = 0
            if reused:
                if self._free_at[0] > until_ns:
                    return  # every worker is busy still
                free_ns = heapq.heappop(self._free_at)
            func, args, future, came_ns = self._thread_jobs.popleft()
            if future.cancelled():
                if reused:
                    heapq.heappush(self._free_at, free_ns)
                continue
            end_ns = self._run_on_worker(func, args, future, max(free_ns, came_ns))
            heapq.heappush(self._free_at, end_ns)

    def _run_on_worker(self, func, args, future, begin_ns):
        outcome = {}

        def work():
            CLOCK.worker.ns = begin_ns
            try:
                outcome["result"] = func(*args)
            except BaseException as exc:  # noqa: B902 - delivered to the awaiter
                outcome["exception"] = exc
            outcome["end"] = CLOCK.worker.ns
            del CLOCK.worker.ns

        worker = threading.Thread(target=work)
        worker.start()
        worker.join()
        self._last_job_end_ns = max(self._last_job_end_ns, outcome["end"])

        def deliver():
            if future.cancelled():
                return
            if "exception" in outcome:
                future.set_exception(outcome["exception"])
            else:
                future.set_result(outcome["result"])

        self._call_at_ns(outcome["end"], deliver, (), None)
        return outcome["end"]

    async def shutdown_default_executor(self):
        """Waits for the workers, and for the calls still waiting for one
        (but those cancelled): in virtual time, until the last job's end."""
        self._start_thread_jobs(math.inf)
        if self._last_job_end_ns > CLOCK.ns:
            CLOCK.advance_ns(self._last_job_end_ns - CLOCK.ns)

    def _call_at_ns(self, when_ns, callback, args, context):
        """BaseEventLoop.call_at with a stable, nanosecond-exact timer."""
        self._check_closed()
        if self._debug:
            self._check_thread()
            self._check_callback(callback, "call_at")
        timer = StableTimerHandle(when_ns / 1e9, next(self._timer_seq), callback, args, self,
                                  context)
        heapq.heappush(self._scheduled, timer)
        timer._scheduled = True
        return timer


SAVED_ALL_TASKS = asyncio.tasks.all_tasks


def all_tasks_in_order(loop=None):
    """asyncio.all_tasks, in the order the tasks were made. CPython returns a
    set, so asyncio.run's clean-up (runners._cancel_all_tasks) cancels the
    tasks left at the end, and they then run their cancellation, in the
    order of their addresses: arbitrary, and now and then not the order
    they were made. asyncdemo cancels them in the order made; with this the
    comparison is exact."""
    if loop is None:
        loop = asyncio.get_running_loop()
    if isinstance(loop, VirtualEventLoop):
        return [t for t in loop._created if not t.done()]
    return SAVED_ALL_TASKS(loop)


SAVED_AS_COMPLETED = asyncio.tasks.as_completed


def as_completed_in_order(fs, *, timeout=None):
    """asyncio.as_completed, its coroutines made tasks in the order given.
    CPython makes them in the order of set(fs): of the coroutine objects'
    addresses, which is arbitrary (the tutorial's own run shows C, A, B for
    A, B, C); asyncdemo makes them in the order given."""
    if asyncio.isfuture(fs) or asyncio.iscoroutine(fs):
        return SAVED_AS_COMPLETED(fs, timeout=timeout)  # its TypeError
    loop = asyncio.events._get_event_loop()
    tasks = [asyncio.ensure_future(f, loop=loop) for f in dict.fromkeys(fs)]
    return SAVED_AS_COMPLETED(tasks, timeout=timeout)


class VirtualEventLoopPolicy(asyncio.DefaultEventLoopPolicy):
    """Makes asyncio.run (and new_event_loop) use the virtual loop."""

    _loop_factory = VirtualEventLoop


class PrintRecorder:
    """Stands in for builtins.print: prints as usual, and writes each line
    printed to `stdout` as an event {"time", "text"} to `out`.

    A line's time is when it began (print(..., end="") then more prints
    complete it); prints to any other file, stderr or a redirected
    sys.stdout, are not events."""

    def __init__(self, out, stdout):
        self.out, self.stdout = out, stdout
        self.print = builtins.print
        self.line, self.line_time = "", None

    def __call__(self, *args, sep=None, end=None, file=None, flush=False):
        texts = [str(a) for a in args]  # once: a __str__ may have effects
        self.print(*texts, sep=sep, end=end, file=file, flush=flush)  # checks sep and end
        if (sys.stdout if file is None else file) is self.stdout:
            sep = " " if sep is None else sep
            self.record(sep.join(texts) + ("\n" if end is None else end))

    def record(self, text):
        *complete, rest = text.split("\n")
        for piece in complete:
            self.emit(self.line + piece)
        if rest:
            if self.line_time is None:
                self.line_time = CLOCK.seconds()
            self.line += rest

    def emit(self, text):
        when = CLOCK.seconds() if self.line_time is None else self.line_time
        self.out.write(json.dumps({"time": when, "text": text}, ensure_ascii=False) + "\n")
        self.line, self.line_time = "", None

    def close(self):
        if self.line_time is not None:  # a last line without its newline
            self.emit(self.line)


TIME_FUNCTIONS = {
    "perf_counter": CLOCK.seconds,
    "monotonic": CLOCK.seconds,
    "time": CLOCK.seconds,
    "perf_counter_ns": CLOCK.now_ns,
    "monotonic_ns": CLOCK.now_ns,
    "time_ns": CLOCK.now_ns,
    "sleep": CLOCK.sleep,
}


@contextlib.contextmanager
def virtual_time(events=None, workers=None):
    """Runs the block on the virtual clock, from 0; `events` (a text file)
    receives the print events; `workers` is the default executor's size
    (CPython's default if None). Everything is put back afterwards."""
    saved_time = {name: getattr(time, name) for name in TIME_FUNCTIONS}
    saved_workers = WORKERS[0]
    WORKERS[0] = default_workers() if workers is None else workers
    saved_policy = asyncio.get_event_loop_policy()
    recorder = PrintRecorder(events, sys.stdout) if events is not None else None
    CLOCK.ns = 0
    try:
        for name, function in TIME_FUNCTIONS.items():
            setattr(time, name, function)
        asyncio.set_event_loop_policy(VirtualEventLoopPolicy())
        asyncio.tasks.all_tasks = all_tasks_in_order  # what asyncio.run's clean-up calls
        asyncio.as_completed = asyncio.tasks.as_completed = as_completed_in_order
        if recorder:
            builtins.print = recorder
        yield CLOCK
    finally:
        if recorder:
            builtins.print = recorder.print
            recorder.close()
        asyncio.set_event_loop_policy(saved_policy)
        asyncio.tasks.all_tasks = SAVED_ALL_TASKS
        asyncio.as_completed = asyncio.tasks.as_completed = SAVED_AS_COMPLETED
        WORKERS[0] = saved_workers
        for name, function in saved_time.items():
            setattr(time, name, function)


def error_text(exc):
    """How CPython's traceback ends for exc: its last line ("ValueError:
    boom"), and for an exception group its sub-exceptions drawn as CPython
    draws them, without their frames (asyncdemo's python_error)."""
    lines = [traceback.format_exception_only(type(exc), exc)[-1].rstrip("\n")]
    if isinstance(exc, BaseExceptionGroup):
        for n, sub in enumerate(exc.exceptions, 1):
            lines.append(("+-+" if n == 1 else "  +") + f"---------------- {n} ----------------")
            lines += ["  | " + line for line in error_text(sub).split("\n")]
        lines.append("  +------------------------------------")
    return "\n".join(lines)


def rescale(source):
    """SCALE = 1: a virtual second is a scenario second."""
    return SCALE_LINE.sub("SCALE = 1", source, count=1)


def run_program(source, filename, events=None, workers=None):
    """Runs `source` as the __main__ module on the virtual clock, as
    `python3 filename` would run it (`workers`: the default executor's size)."""
    code = compile(rescale(source), filename, "exec")
    main = types.ModuleType("__main__")
    main.__file__ = filename
    saved_main, saved_argv, saved_path0 = sys.modules["__main__"], sys.argv, sys.path[0]
    sys.modules["__main__"], sys.argv = main, [filename]
    sys.path[0] = os.path.dirname(os.path.abspath(filename))
    try:
        with virtual_time(events, workers):
            exec(code, main.__dict__)
    finally:
        sys.modules["__main__"], sys.argv, sys.path[0] = saved_main, saved_argv, saved_path0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("program", help="the Python program (- for standard input)")
    parser.add_argument("--events", metavar="FILE",
                        help="write each printed line as JSON: time and text")
    parser.add_argument("--seed", type=int, metavar="N",
                        help="random.seed(N) first, as `asyncdemo --seed=N` seeds a program")
    parser.add_argument("--workers", metavar="N", type=int,
                        help="the default executor's size (asyncdemo's --workers); "
                        "CPython's default, min(32, os.cpu_count() + 4), if not given")
    args = parser.parse_args()
    if args.workers is not None and args.workers < 1:
        parser.error("--workers must be at least 1")
    if args.seed is not None:
        random.seed(args.seed)
    if args.program == "-":
        source, filename = sys.stdin.read(), "<stdin>"
    else:
        with open(args.program, encoding="utf-8") as f:
            source, filename = f.read(), args.program
    with contextlib.ExitStack() as stack:
        events = None
        if args.events:
            events = stack.enter_context(open(args.events, "w", encoding="utf-8"))
        try:
            run_program(source, filename, events, args.workers)
        except BaseException as exc:  # noqa: B902 - said, then raised as Python would
            if events is not None:
                events.write(json.dumps({"error": error_text(exc)}, ensure_ascii=False) + "\n")
            raise


if __name__ == "__main__":
    main()
