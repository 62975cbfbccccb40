# `async with` a Lock, a Semaphore and a BoundedSemaphore: each acquires
# its own kind (a Lock is not taken for a Semaphore).
import asyncio

lock = asyncio.Lock()


async def bump(guard, j, d):
    async with guard:
        print("in", j, guard.locked())
        await asyncio.sleep(d)
    print("out", j)


async def main():
    await asyncio.gather(*(bump(lock, j, 0.1) for j in range(3)))
    sem = asyncio.Semaphore(2)
    await asyncio.gather(*(bump(sem, j, 0.2) for j in range(3)))
    bsem = asyncio.BoundedSemaphore(1)
    await asyncio.gather(*(bump(bsem, j, 0) for j in range(2)))
    await lock.acquire()
    print(lock.locked())
    lock.release()


asyncio.run(main())
