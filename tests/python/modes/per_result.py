# as_completed's loop awaiting its variable inside an expression; results
# summed from a list of awaits in the other shape.
import asyncio
import random


async def tick(name, delay):
    await asyncio.sleep(delay)
    print(name, "ticked")
    return random.randint(1, 6)


async def main():
    for f in asyncio.as_completed([tick("x", 2), tick("y", 1), tick("z", 1)]):
        print("rolled:", await f)
    print("end")


asyncio.run(main())
