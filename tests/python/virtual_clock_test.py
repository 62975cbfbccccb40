#!/usr/bin/env python3
"""Self-checks of virtual_clock.py with plain asyncio programs.

    python3 virtual_clock_test.py [-v]      exit status 0: all passed, 1: not

The last check times 10,000 tasks sleeping random delays and prints how long
that took in wall time.
"""
import asyncio
import contextlib
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import unittest
from time import perf_counter as wall  # bound now: the real clock, never patched

sys.dont_write_bytecode = True  # no __pycache__ left in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import virtual_clock  # noqa: E402  (found beside this file)
from virtual_clock import to_ns, virtual_time  # noqa: E402


def run(main, events=None, workers=None):
    """asyncio.run(main()) on the virtual clock, stdout captured; returns the
    clock's time (seconds) when it ended and the captured output."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out), virtual_time(events, workers) as clock:
        asyncio.run(main())
        return clock.seconds(), out.getvalue()


class CleanUp(unittest.TestCase):
    def test_tasks_left_at_the_end_are_cancelled_in_the_order_made(self):
        # asyncio.run cancels what main left running; CPython's all_tasks is
        # a set, in address order. Interleaved garbage makes the addresses
        # of the tasks other than their order.
        order = []

        async def waiter(i):
            try:
                await asyncio.sleep(10)
            except asyncio.CancelledError:
                order.append(i)
                raise

        async def main():
            keep = []
            for i in range(200):
                keep.append([object() for _ in range(i % 7)])
                asyncio.create_task(waiter(i))
            await asyncio.sleep(0)

        end, _ = run(main)
        self.assertEqual(end, 0.0)
        self.assertEqual(order, list(range(200)))


class Timers(unittest.TestCase):
    def test_gather_ends_at_the_longest_sleep(self):
        finished = {}

        async def sleeper(d):
            await asyncio.sleep(d)
            finished[d] = time.perf_counter()

        async def main():
            await asyncio.gather(sleeper(3), sleeper(1), sleeper(2))

        end, _ = run(main)
        self.assertEqual(end, 3.0)
        self.assertEqual(finished, {1: 1.0, 2: 2.0, 3: 3.0})

    def test_equal_deadlines_fire_in_the_order_set(self):
        order = []

        async def sleeper(i):
            await asyncio.sleep(1)
            order.append(i)

        async def main():
            await asyncio.gather(*(sleeper(i) for i in range(1000)))

        end, _ = run(main)
        self.assertEqual(end, 1.0)
        self.assertEqual(order, list(range(1000)))

    def test_a_tie_set_at_different_times_fires_in_the_order_set(self):
        # 0.7 + 0.1 is 0.7999999999999999 in floats: on float time `late`
        # would wake first. In nanoseconds both wake at 0.8 s, and `early`
        # set its timer first.
        order = []

        async def late():
            await asyncio.sleep(0.7)
            await asyncio.sleep(0.1)
            order.append(("late", time.monotonic()))

        async def early():
            await asyncio.sleep(0.8)
            order.append(("early", time.monotonic()))

        async def main():
            await asyncio.gather(late(), early())

        run(main)
        self.assertEqual(order, [("early", 0.8), ("late", 0.8)])

    def test_sums_of_delays_are_exact(self):
        async def main():
            for _ in range(10):
                await asyncio.sleep(0.1)

        with virtual_time() as clock:
            asyncio.run(main())
            self.assertEqual(clock.ns, 1_000_000_000)
            self.assertEqual(time.perf_counter_ns(), 1_000_000_000)

    def test_call_later_orders_by_deadline_then_by_call(self):
        calls = []

        async def main():
            loop = asyncio.get_running_loop()
            done = loop.create_future()
            for delay, name in [(2, "a"), (1, "b"), (2, "c"), (1, "d"), (0, "e")]:
                loop.call_later(delay, lambda n=name: calls.append((n, loop.time())))
            loop.call_later(2, done.set_result, None)
            await done

        run(main)
        self.assertEqual(calls, [("e", 0.0), ("b", 1.0), ("d", 1.0), ("a", 2.0), ("c", 2.0)])

    def test_a_cancelled_timer_does_not_move_the_clock(self):
        async def main():
            loop = asyncio.get_running_loop()
            loop.call_later(100, print, "never").cancel()
            await asyncio.sleep(1)

        end, out = run(main)
        self.assertEqual((end, out), (1.0, ""))

    def test_wait_for_times_out_at_the_exact_time(self):
        async def main():
            with self.assertRaises(asyncio.TimeoutError):
                await asyncio.wait_for(asyncio.sleep(10), 2.5)
            self.assertEqual(time.monotonic(), 2.5)
            with self.assertRaises(TimeoutError):
                async with asyncio.timeout(1.25):  # call_at with loop.time() + delay
                    await asyncio.sleep(10)
            self.assertEqual(time.monotonic(), 3.75)

        end, _ = run(main)
        self.assertEqual(end, 3.75)


class Blocking(unittest.TestCase):
    def test_time_sleep_in_a_coroutine_holds_the_loop(self):
        woke = []

        async def blocker():
            time.sleep(2)

        async def sleeper():
            await asyncio.sleep(1)
            woke.append(time.perf_counter())

        async def main():
            await asyncio.gather(sleeper(), blocker())

        end, _ = run(main)
        self.assertEqual(woke, [2.0])  # due at 1 s, but the loop was held until 2 s
        self.assertEqual(end, 2.0)

    def test_time_sleep_outside_a_loop_and_the_clock_put_back(self):
        with virtual_time():
            time.sleep(1.5)
            self.assertEqual((time.time(), time.monotonic_ns()), (1.5, 1_500_000_000))
        start = time.perf_counter()
        time.sleep(0.01)  # the real sleep again
        self.assertGreater(time.perf_counter() - start, 0.005)
        self.assertNotIsInstance(asyncio.get_event_loop_policy(),
                                 virtual_clock.VirtualEventLoopPolicy)

    def test_nanoseconds_round_as_asyncdemo_does(self):
        self.assertEqual([to_ns(0.1), to_ns(3), to_ns(2.5e-9), to_ns(-2.5e-9)],
                         [100_000_000, 3_000_000_000, 3, -3])


class Executor(unittest.TestCase):
    """to_thread's calls queue for the default executor's workers. The lines
    expected are what CPython 3.11 printed with a real
    ThreadPoolExecutor(max_workers=N) set as the default executor, on the
    real clock (the times scaled back)."""

    def test_a_call_waits_for_the_first_free_worker(self):
        async def job(i, d):
            await asyncio.to_thread(time.sleep, d)
            print(f"job {i} ({d} s) done at {time.monotonic():.1f}")

        async def main():
            await asyncio.gather(*(job(i, d) for i, d in enumerate([3, 1, 2, 1, 1])))

        cpython = {
            1: ["job 0 (3 s) done at 3.0", "job 1 (1 s) done at 4.0", "job 2 (2 s) done at 6.0",
                "job 3 (1 s) done at 7.0", "job 4 (1 s) done at 8.0"],
            2: ["job 1 (1 s) done at 1.0", "job 0 (3 s) done at 3.0", "job 2 (2 s) done at 3.0",
                "job 3 (1 s) done at 4.0", "job 4 (1 s) done at 4.0"],
            3: ["job 1 (1 s) done at 1.0", "job 2 (2 s) done at 2.0", "job 3 (1 s) done at 2.0",
                "job 0 (3 s) done at 3.0", "job 4 (1 s) done at 3.0"],
        }
        for workers, lines in cpython.items():
            end, out = run(main, workers=workers)
            self.assertEqual(out.splitlines(), lines, f"{workers} workers")
            self.assertEqual(end, float(lines[-1].split()[-1]))

    def test_a_call_cancelled_while_it_waits_never_runs(self):
        async def job(name, d):
            try:
                await asyncio.to_thread(time.sleep, d)
                print(f"{name} done at {time.monotonic():.1f}")
            except asyncio.CancelledError:
                print(f"{name} cancelled at {time.monotonic():.1f}")
                raise

        async def main():
            a = asyncio.create_task(job("a", 2))
            b = asyncio.create_task(job("b", 1))
            await asyncio.sleep(1)
            b.cancel()  # waits for a's worker: dropped
            await asyncio.sleep(0.5)
            c = asyncio.create_task(job("c", 1))
            await asyncio.sleep(0)
            time.sleep(1)  # a's worker is free at 2 meanwhile: c's call begins then
            await asyncio.gather(a, b, c, return_exceptions=True)

        _, out = run(main, workers=1)
        self.assertEqual(out.splitlines(), ["b cancelled at 1.0", "a done at 2.5", "c done at 3.0"])

    def test_the_default_size_is_cpythons(self):
        self.assertEqual(virtual_clock.default_workers(), min(32, (os.cpu_count() or 1) + 4))


class Printing(unittest.TestCase):
    def events(self, main):
        log = io.StringIO()
        _, out = run(main, events=log)
        return out, [json.loads(line) for line in log.getvalue().splitlines()]

    def test_each_stdout_line_is_an_event_with_its_time(self):
        async def main():
            print("a", 1, sep="=")
            await asyncio.sleep(0.5)
            print("b", end="")
            await asyncio.sleep(0.5)
            print("c\nd")
            print("to stderr", file=sys.stderr)
            print()
            print("tail", end="")

        with contextlib.redirect_stderr(io.StringIO()):
            out, events = self.events(main)
        self.assertEqual(out, "a=1\nbc\nd\n\ntail")
        self.assertEqual(events, [{"time": 0.0, "text": "a=1"}, {"time": 0.5, "text": "bc"},
                                  {"time": 1.0, "text": "d"}, {"time": 1.0, "text": ""},
                                  {"time": 1.0, "text": "tail"}])

    def test_the_command_line_rescales_and_writes_events(self):
        program = ("import asyncio, time\nSCALE = 0.05  # fast\n"
                   "async def main():\n    time.sleep(1 * SCALE)\n    print('held')\n"
                   "    await asyncio.sleep(2 * SCALE)\n    print('done', time.perf_counter())\n"
                   "asyncio.run(main())\n")
        with tempfile.TemporaryDirectory() as tmp:
            path, log = os.path.join(tmp, "p.py"), os.path.join(tmp, "events.jsonl")
            with open(path, "w") as f:
                f.write(program)
            run = subprocess.run([sys.executable, virtual_clock.__file__, path, "--events", log],
                                 capture_output=True, text=True, check=True)
            with open(log) as f:
                events = [json.loads(line) for line in f]
        self.assertEqual(run.stdout, "held\ndone 3.0\n")
        self.assertEqual(events, [{"time": 1.0, "text": "held"}, {"time": 3.0, "text": "done 3.0"}])


class Speed(unittest.TestCase):
    def test_ten_thousand_random_sleepers(self):
        rng = random.Random(2024)
        delays = [rng.randint(1, 10_000) / 1000 for _ in range(10_000)]  # 1 ms to 10 s
        woke = []

        async def sleeper(i):
            await asyncio.sleep(delays[i])
            woke.append((time.perf_counter_ns(), i))

        async def main():
            await asyncio.gather(*(sleeper(i) for i in range(len(delays))))

        start = wall()
        end, _ = run(main)
        took = wall() - start
        self.assertEqual(woke, sorted((to_ns(d), i) for i, d in enumerate(delays)))
        self.assertEqual(end, max(delays))
        print(f"\n10,000 tasks sleeping random delays: {end:.3f} virtual s "
              f"in {took * 1000:.0f} ms of wall time", file=sys.stderr)


if __name__ == "__main__":
    unittest.main()
