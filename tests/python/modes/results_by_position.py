# gather's results read by position: no as_completed; no `import time`, so
# sync imports it; gather imported by name.
import asyncio
from asyncio import gather


async def fetch(name, delay):
    print("fetching", name)
    await asyncio.sleep(delay)
    print("got", name)
    return name.upper()


async def main():
    print("start")
    results = await gather(fetch("a", 2), fetch("b", 1), fetch("c", 1.5))
    print("first", results[0])
    print(results)


asyncio.run(main())
