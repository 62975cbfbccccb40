"""random_add(delay) waits, then sums a list of random ints.

Called as random_add(5), (8), (2) (--delays): one after another it takes
5 + 8 + 2 = 15 s; concurrently only as long as the slowest, 8 s, and the
calls finish in another order (the 2 s one first). The seed's table shows
both: each call's start, finish and finish order.

The program runs in each of asyncio's ways of composing the work: MODE
(asyncdemo's --mode) chooses how main runs the calls. In sync mode each
wait holds everything (time.sleep), as a plain function's would.

summary: random_add(5), (8), (2) sum random lists: 15 s one by one, 8 s concurrently
origin: 003
"""

import asyncio
import random
import time

MODE = "gather"  # --mode sync|await|create_task|gather|as_completed: How main runs the calls
SEED = 2024  # --seed: What random.seed is given
DELAYS = [5, 8, 2]  # --delays SECONDS [0, 3600]: Seconds each random_add call waits before
                    # it sums, in call order

START = time.perf_counter()


def now():
    """Seconds since the program started."""
    return time.perf_counter() - START


def random_number_list():
    # 3 to 6 random ints from 1 to 10
    return [random.randint(1, 10) for _ in range(random.randint(3, 6))]


async def random_add(delay):
    if MODE == "sync":
        time.sleep(delay)  # a plain function's wait: nothing else runs
    else:
        await asyncio.sleep(delay)
    # This retrieves a list of random ints
    n = random_number_list()
    print(f"Sum({n}) = {sum(n)}")


rows = {}  # call: (start, finish, finish order)


async def timed(call, delay):
    """Runs one call and notes when it started and finished."""
    start = now()
    await random_add(delay)
    rows[call] = (start, now(), len(rows) + 1)


async def main():
    calls = list(enumerate(DELAYS, 1))
    if MODE in ("sync", "await"):  # one after another
        for call, delay in calls:
            await timed(call, delay)
    else:
        tasks = [asyncio.create_task(timed(call, delay), name=f"call{call}")
                 for call, delay in calls]
        if MODE == "create_task":
            for task in tasks:
                await task
        elif MODE == "gather":
            await asyncio.gather(*tasks)
        else:  # as_completed
            for next_done in asyncio.as_completed(tasks):
                await next_done
    print("call |     start |    finish | finish order")
    for call, (start, finish, order) in sorted(rows.items()):
        print(f"{call:>4} | {start:7.3f} s | {finish:7.3f} s | {order:>12}")


random.seed(SEED)
asyncio.run(main())
