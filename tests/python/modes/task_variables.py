# Tasks awaited out of order into variables of their own, a statement between
# making and awaiting them; time imported under another name.
import asyncio
import time as clock


async def step(n):
    print("step", n)
    await asyncio.sleep(n)
    return n * 10


async def main():
    t1 = asyncio.create_task(step(3))
    t2 = asyncio.create_task(step(1))
    print("started at", clock.monotonic())
    b = await t2
    a = await t1
    print(a, b, clock.monotonic())


asyncio.run(main())
