"""Producers and consumers around an asyncio.Queue.

--producers producers each make --items items, --produce seconds apiece;
--consumers consumers take them, --consume seconds an item. A full queue
(--maxsize) makes a producer wait; an empty one, a consumer. main waits for
the producers, then join()s the queue: it returns once task_done() was
called for every item. --forget-task-done leaves that call out: join()
would wait for ever, so main gives it --join-timeout seconds under wait_for
instead.

summary: a Queue between producers and consumers: put, get, task_done, join; --forget-task-done
  times out
origin: beyond the seeds
mode: create_task
"""

import asyncio
import time

PRODUCERS = 1  # --producers N [1, 10]: How many producers put items in the queue
CONSUMERS = 2  # --consumers N [1, 10]: How many consumers take items out
ITEMS = 6  # --items N [1, 100]: How many items each producer makes
MAXSIZE = 2  # --maxsize N [0, 100]: How many items the queue holds (0: no limit); a
             # producer waits while it is full
PRODUCE = 0.1  # --produce SECONDS [0, 60]: Seconds an item takes to make
CONSUME = 1  # --consume SECONDS [0, 60]: Seconds an item takes to handle
FORGET_TASK_DONE = False  # --forget-task-done: The consumers never call task_done():
                          # join() would wait for ever, so it gets --join-timeout
JOIN_TIMEOUT = 2  # --join-timeout SECONDS [0, 60] for --forget-task-done: With
                  # --forget-task-done: seconds main gives join() (wait_for)

START = time.perf_counter()


def now():
    """Seconds since the program started."""
    return time.perf_counter() - START


async def producer(name, queue):
    for i in range(ITEMS):
        await asyncio.sleep(PRODUCE)
        item = f"{name}/{i + 1}"
        if queue.full():
            print(f"{name}: the queue is full; {item} waits")
        await queue.put(item)
        print(f"{name}: put {item} ({queue.qsize()} in the queue)")
    print(f"{name}: done")


async def consumer(name, queue):
    while True:
        item = await queue.get()
        print(f"{name}: got {item}")
        await asyncio.sleep(CONSUME)
        if not FORGET_TASK_DONE:  # forgotten, join() never returns
            queue.task_done()
        print(f"{name}: finished {item}")


async def main():
    queue = asyncio.Queue(maxsize=MAXSIZE)
    consumers = [asyncio.create_task(consumer(f"consumer{i + 1}", queue), name=f"consumer{i + 1}")
                 for i in range(CONSUMERS)]
    producers = [asyncio.create_task(producer(f"producer{i + 1}", queue), name=f"producer{i + 1}")
                 for i in range(PRODUCERS)]
    await asyncio.gather(*producers)
    print("main: every item is in the queue; join() waits until each is marked done")
    if FORGET_TASK_DONE:
        try:
            await asyncio.wait_for(queue.join(), timeout=JOIN_TIMEOUT)
            print(f"main: joined at {now():.3f} s")
        except TimeoutError:
            print(f"main: join() timed out at {now():.3f} s: no task_done() came, it would wait for ever")
    else:
        await queue.join()
        print(f"main: joined at {now():.3f} s: every item was handled")
    for c in consumers:
        c.cancel()
    await asyncio.gather(*consumers, return_exceptions=True)
    print("main: the consumers are stopped")


asyncio.run(main())
