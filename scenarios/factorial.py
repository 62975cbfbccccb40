"""The tutorial's exercise: factorials, each awaiting 0.1 s every time round its loop.

The factorials of 5, 7, 3 and 6 (--numbers). One after another that is 21
turns, 2.1 s; concurrently the longest, 7!, sets the pace: 0.7 s.

The program runs in each of asyncio's ways of composing the work: MODE
(asyncdemo's --mode) chooses how calculate_factorials runs the calls. In
sync mode each wait holds everything (time.sleep), as a plain function's
would.

summary: factorials of 5, 7, 3, 6, awaiting 0.1 s each time round the loop: 2.1 s or 0.7 s
origin: 002 exercise
"""

import asyncio
import time

MODE = "gather"  # --mode sync|await|create_task|gather|as_completed: How the calls run
NUMBERS = [5, 7, 3, 6]  # --numbers LIST [0, 20]: The numbers whose factorials to
                        # calculate, comma-separated, 0 to 20


async def pause(seconds):
    if MODE == "sync":
        time.sleep(seconds)  # a plain function's wait: nothing else runs
    else:
        await asyncio.sleep(seconds)  # the others can run


async def factorial(n):
    print(f"factorial({n}) - starting")
    result = 1
    for i in range(1, n + 1):
        await pause(0.1)  # each time round the loop
        result *= i
    print(f"factorial({n}) = {result}")
    return result


async def calculate_factorials(numbers):
    print(f"calculate_factorials - the factorials of {numbers}")
    results = []
    if MODE in ("sync", "await"):  # one after another
        for n in numbers:
            results.append(await factorial(n))
    elif MODE == "create_task":
        tasks = [asyncio.create_task(factorial(n), name=f"{n}!") for n in numbers]
        for task in tasks:
            results.append(await task)
    elif MODE == "gather":
        results = await asyncio.gather(
            *[asyncio.create_task(factorial(n), name=f"{n}!") for n in numbers])
    else:  # as_completed: in the order they finish
        tasks = [asyncio.create_task(factorial(n), name=f"{n}!") for n in numbers]
        for next_done in asyncio.as_completed(tasks):
            results.append(await next_done)
    print("calculate_factorials - results:", results)


def main():
    print("Main - Starting")
    asyncio.run(calculate_factorials(NUMBERS))
    print("Main - Done")


if __name__ == "__main__":
    main()
