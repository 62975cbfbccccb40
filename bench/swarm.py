#!/usr/bin/env python3
"""The swarm workload in CPython asyncio, for bench/compare.py.

    python3 bench/swarm.py TASKS MAX_SLEEP SEED

TASKS tasks, each sleeping random.Random(SEED).random() * MAX_SLEEP seconds
(the same sleeps asyncdemo's swarm draws), gathered. `asyncdemo swarm
--python` prints this same program with its numbers filled in.
"""
import asyncio
import random
import sys


async def sleeper(i, delay):
    await asyncio.sleep(delay)
    return i


async def main(tasks, max_sleep, seed):
    rng = random.Random(seed)
    jobs = [asyncio.create_task(sleeper(i, rng.random() * max_sleep)) for i in range(tasks)]
    await asyncio.gather(*jobs)


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])))
