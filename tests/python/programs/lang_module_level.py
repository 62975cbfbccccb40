# Not from the tutorials: a program's module level binds and reads its own
# names (globals), f"{x = }" keeps its spaces, a plain main() calls
# asyncio.run, and an error raised in a task ends the run as CPython's does.
import asyncio
import time

count = 3
names = [f"job{i}" for i in range(count)]
print(f"{count = }", names)


async def job(name, delay):
    global count
    await asyncio.sleep(delay)
    count -= 1
    print(name, "done at", round(time.monotonic() - start, 3), "left", count)
    if count == 0:
        raise ValueError(f"{name} was the last")
    return name


async def main():
    tasks = [asyncio.create_task(job(n, 1 + i % 2), name=n) for i, n in enumerate(names)]
    for t in tasks:
        print(t.get_name(), "made")
    await asyncio.gather(*tasks)


start = time.monotonic()


def run():
    asyncio.run(main())


if __name__ == "__main__":
    run()
