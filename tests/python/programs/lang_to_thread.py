# Not from the tutorials: to_thread's function runs as if on a worker of its
# own; its time.sleep holds only that worker, and what it prints is printed
# at its worker's time.
import asyncio, time
def work(n):
    time.sleep(n)
    print("slept", n)
    return n * 2
async def main():
    r = await asyncio.gather(asyncio.to_thread(work, 5), asyncio.to_thread(work, 3))
    print(r)
asyncio.run(main())
