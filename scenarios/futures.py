"""Working with futures: awaiting a task gives its value.

fetch_data and print_numbers run as tasks; main awaits the fetch's task,
which is a future of its value, and prints {'data': 1}. main then returns,
and asyncio.run cancels the counter.

The counter ticks every 0.3 s by default (--interval), not the 0.25 s the
seed's garbled "6.25" suggests: 8 ticks of 0.25 s end at exactly 2 s, with
the fetch. On an exact clock both timers are due at once and asyncio runs
both before main wakes (8 is printed); on a real clock each sleep starts a
little after the last one ended, so whether 8 is printed is a race, in
CPython as here. At 0.3 s every clock prints the same lines.

summary: awaiting fetch_data's task gives {'data': 1} after 2 s while print_numbers counts
origin: 004
"""

import asyncio

INTERVAL = 0.3  # --interval SECONDS (0, 10]: Seconds between the counter's
                # numbers, above 0 and at most 10. At 0.25 (the seed's) the 8th
                # tick meets the fetch at exactly 2 s: the virtual clock prints
                # 8, a real clock may or may not


async def fetch_data():
    print("start fetching")
    await asyncio.sleep(2)
    print("done fetching")
    return {"data": 1}


async def print_numbers():
    try:
        for i in range(10):
            print(i)
            await asyncio.sleep(INTERVAL)
    except asyncio.CancelledError:  # main returned first: asyncio.run cancels us
        print("print_numbers: cancelled at exit")
        raise


async def main():
    task1 = asyncio.create_task(fetch_data(), name="fetch_data")
    task2 = asyncio.create_task(print_numbers(), name="print_numbers")  # never awaited
    value = await task1
    print(value)


asyncio.run(main())
