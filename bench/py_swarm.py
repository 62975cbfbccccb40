# The swarm as a Python program, for bench/python.py: TASKS tasks, each
# sleeping a random time below MAX_SLEEP seconds, gathered. The same file
# runs under asyncdemo (`asyncdemo run bench/py_swarm.py`), CPython and
# uvloop; bench/python.py writes copies with other counts.
import asyncio
import random

TASKS = 1_000_000
MAX_SLEEP = 1.0


async def job(i):
    await asyncio.sleep(random.random() * MAX_SLEEP)
    return i


async def main():
    random.seed(2024)
    done = await asyncio.gather(*(job(i) for i in range(TASKS)))
    print(len(done), "tasks, the last", done[-1])


asyncio.run(main())
