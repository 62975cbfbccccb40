# A list of awaits, its results used whole.
import asyncio
from time import sleep


async def cook(dish, minutes):
    print("cooking", dish)
    sleep(0.5)
    await asyncio.sleep(minutes)
    print(dish, "done")
    return minutes


async def main():
    total = [await cook("rice", 3), await cook("soup", 2)]
    print("minutes:", sum(total), sorted(total))


asyncio.run(main())
