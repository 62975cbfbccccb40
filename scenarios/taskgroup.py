"""Python 3.11's structured concurrency: a TaskGroup, and gather instead.

Three children (download 2 s, parse 1 s, upload 3 s) under an
asyncio.TaskGroup; one fails (--fail). The group cancels the others at once
and raises the failures together, as an ExceptionGroup, which main catches
with except*. --mode=gather shows what gather does instead: it raises the
first failure to main and lets the others run on (main then waits to see
them end); --return-exceptions makes it hand back every outcome instead.
--uncaught leaves main without its except: the run fails as CPython's
would, exit status 1 and the traceback's last line.

The children print nothing when cancelled: CPython cancels a failing
group's other tasks in set order, which varies from run to run; main says
how each ended, in a fixed order, once the group is done.

summary: a TaskGroup of three, one fails: the others are cancelled, the failures come out
  together; gather instead
origin: beyond the seeds
"""

import asyncio
import time

MODE = "create_task"  # --mode create_task|gather: create_task: the children in a TaskGroup;
                      # gather: the children's tasks gathered
FAIL = "parse"  # --fail parse|download|upload|none: Which child fails (download takes 2 s,
                # parse 1 s, upload 3 s), or none
UNCAUGHT = False  # --uncaught: main does not catch the failure: the run fails as CPython's
                  # would (exit status 1)
RETURN_EXCEPTIONS = False  # --return-exceptions for --mode=gather: gather only: every
                           # child's outcome comes back, exceptions included, and nothing is
                           # raised
CHILDREN = [("download", 2), ("parse", 1), ("upload", 3)]
START = time.perf_counter()


def now():
    """Seconds since the program started."""
    return time.perf_counter() - START


async def child(name, seconds, fails):
    print(f"{name}: starts ({seconds:g} s)")
    await asyncio.sleep(seconds)
    if fails:
        print(f"{name}: fails")
        raise ValueError(f"{name} failed")
    print(f"{name}: done")
    return name


def state(task):
    if task.cancelled():
        return "cancelled"
    if task.exception() is not None:
        return f"failed with {task.exception()!r}"
    return f"done: {task.result()!r}"


def tell(tasks):
    for task in tasks:
        print(f"main: {task.get_name()} {state(task)}")


async def with_group():
    tasks = []
    try:
        async with asyncio.TaskGroup() as tg:
            for name, seconds in CHILDREN:
                tasks.append(tg.create_task(child(name, seconds, name == FAIL), name=name))
            print("main: all three started; the group waits for them")
    except* ValueError as eg:
        if UNCAUGHT:  # the group's ExceptionGroup goes on up, and main fails
            raise
        print(f"main: the group raised {eg!r} at {now():.3f} s")
    tell(tasks)


async def with_gather():
    tasks = [asyncio.create_task(child(name, seconds, name == FAIL), name=name)
             for name, seconds in CHILDREN]
    print("main: all three started; gather waits for them")
    if RETURN_EXCEPTIONS:
        results = await asyncio.gather(*tasks, return_exceptions=True)
        print(f"main: gather gave {results!r}")
    else:
        try:
            results = await asyncio.gather(*tasks)
            print(f"main: gather gave {results!r}")
        except ValueError as e:
            if UNCAUGHT:  # the failure goes on up: main fails
                raise
            print(f"main: gather raised {e!r} at {now():.3f} s; the others go on")
            await asyncio.wait(tasks)  # to see how they end
    tell(tasks)


async def main():
    if MODE == "gather":
        await with_gather()
    else:
        await with_group()


asyncio.run(main())
