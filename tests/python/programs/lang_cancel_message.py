# Task.cancel(msg) and the CancelledError it raises: out of a sleep, before
# the task starts, through a task it awaits, into a gather, with
# return_exceptions, raised by the program itself, and uncaught at the end.
import asyncio

async def w(tag, d):
    try:
        await asyncio.sleep(d)
    except asyncio.CancelledError as e:
        print(tag, "caught", repr(e), e.args)
        raise

async def quiet(d):
    await asyncio.sleep(d)

async def inner_task(t):
    await t

async def main():
    t = asyncio.create_task(w("a", 1))
    await asyncio.sleep(0.1)
    print(t.cancel("stop"), t.cancel("again"), t.cancelling())
    try:
        await t
    except asyncio.CancelledError as e:
        print("awaited", repr(e))
    try:
        t.result()
    except asyncio.CancelledError as e:
        print("result", repr(e))
    t2 = asyncio.create_task(quiet(1))
    t2.cancel("before start")
    try:
        await t2
    except asyncio.CancelledError as e:
        print("t2", repr(e))
    try:
        t2.result()
    except asyncio.CancelledError as e:
        print("t2 again", repr(e))
    t3 = asyncio.create_task(quiet(1))
    t4 = asyncio.create_task(inner_task(t3))
    await asyncio.sleep(0)
    t4.cancel("chain")
    try:
        await t4
    except asyncio.CancelledError as e:
        print("t4", repr(e), t3.cancelled())
    try:
        await t3
    except asyncio.CancelledError as e:
        print("t3", repr(e))
    t5 = asyncio.create_task(w("b", 1))
    g = asyncio.gather(t5)
    await asyncio.sleep(0)
    t5.cancel("gather msg")
    try:
        await g
    except asyncio.CancelledError as e:
        print("gather", repr(e))
    t6 = asyncio.create_task(w("c", 1))
    await asyncio.sleep(0)
    t6.cancel(msg="kw")
    r = await asyncio.gather(t6, return_exceptions=True)
    print("rex", r)
    async def raiser():
        raise asyncio.CancelledError("mine")
    t7 = asyncio.create_task(raiser())
    try:
        await t7
    except asyncio.CancelledError as e:
        print("t7", repr(e), t7.cancelled())
    t8 = asyncio.create_task(quiet(1))
    await asyncio.sleep(0)
    t8.cancel("top")
    await t8

asyncio.run(main())
