"""Three classic mistakes from the tutorials, one per --variant, in every mode.

  blocking    tutorial 1 (and tutorial 2's worker): time.sleep inside a coroutine
              holds the whole loop; gather takes as long as sync (10 s).
  no-await    tutorial 3's own code: asyncio.sleep(delay) without await makes
              a coroutine and drops it: no pause at all (0 s), and the
              dropped sleep warns, as CPython's RuntimeWarning does.
  sequential  tutorial 1's second listing: await make_coffee(); await
              fry_eggs() runs one after the other (10 s); the concurrent
              modes are the fix (6 s).

MODE (asyncdemo's --mode) chooses how main runs the jobs. In sync mode
each wait holds everything (time.sleep), as a plain function's would.

summary: blocking in a coroutine, a sleep never awaited, awaiting one by one
origin: 001, 002, 003
narration for --variant=blocking: pitfall: time.sleep holds the whole loop, so no mode can
  overlap the waits: every mode takes as long as sync
narration for --variant=no-await: pitfall: asyncio.sleep(delay), never awaited, only makes a
  coroutine and drops it: nothing waits (Python warns on stderr: coroutine 'sleep' was never
  awaited)
narration for --mode=sync: the baseline: plain functions, one after the other
narration for --mode=await: pitfall: await runs each coroutine to its end before the next
  starts, so nothing overlaps: as slow as sync
narration for --mode=create_task: the fix: create_task starts both coroutines before waiting,
  so their waits overlap
narration for --mode=gather: the fix: gather starts both coroutines before waiting, so their
  waits overlap
narration for --mode=as_completed: the fix: as_completed starts both coroutines before
  waiting, so their waits overlap
"""

import asyncio
import random
import time

MODE = "gather"  # --mode sync|await|create_task|gather|as_completed: How main runs the jobs
VARIANT = "blocking"  # --variant blocking|no-await|sequential: blocking: time.sleep in
                      # coroutines (tutorials 1 and 2); no-await: asyncio.sleep(delay) without
                      # await (tutorial 3); sequential: await one coroutine after another
                      # (tutorial 1)
SEED = 2024  # --seed for --variant=no-await: What random.seed is given
DELAYS = [5, 8, 2]  # --delays SECONDS [0, 3600] for --variant=no-await: no-await: the
                    # delays random_add is given (and never waits), in call order


# ---- blocking and sequential: tutorial 1's breakfast ----

async def wait(seconds):
    if VARIANT == "blocking":
        time.sleep(seconds)  # the pitfall: awaiting asyncio.sleep would let others run
    elif MODE == "sync":
        time.sleep(seconds)  # a plain function's wait: nothing else runs
    else:
        await asyncio.sleep(seconds)  # pause: other tasks can run


async def make_coffee():
    print("coffee: prepare ingredients")
    time.sleep(1)
    print("coffee: waiting...")
    await wait(5)
    print("coffee: ready")


async def fry_eggs():
    print("eggs: prepare ingredients")
    time.sleep(1)
    print("eggs: frying...")
    await wait(3)
    print("eggs: ready")


# ---- no-await: tutorial 3's random_add as the tutorial wrote it ----

def random_number_list():
    # 3 to 6 random ints from 1 to 10
    return [random.randint(1, 10) for _ in range(random.randint(3, 6))]


async def random_add(delay):
    asyncio.sleep(delay)  # the seed's line: never awaited, so no pause
    # This retrieves a list of random ints
    n = random_number_list()
    print(f"Sum({n}) = {sum(n)}")


def random_add_job(delay):
    return lambda: random_add(delay)


# ---- main: the jobs, composed as MODE says ----

async def main():
    if VARIANT == "no-await":
        jobs = [(f"call{i}", random_add_job(delay)) for i, delay in enumerate(DELAYS, 1)]
    else:
        jobs = [("coffee", make_coffee), ("eggs", fry_eggs)]
    if MODE in ("sync", "await"):  # one after another
        for name, job in jobs:
            await job()
        return
    tasks = [asyncio.create_task(job(), name=name) for name, job in jobs]
    if MODE == "create_task":
        for task in tasks:
            await task
    elif MODE == "gather":
        await asyncio.gather(*tasks)
    else:  # as_completed
        for next_done in asyncio.as_completed(tasks):
            await next_done


random.seed(SEED)
asyncio.run(main())
