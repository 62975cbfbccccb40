# asyncio.run's main task as the program sees it: its name, all_tasks(),
# awaiting itself, a cancel() from another task, and the task numbers each
# asyncio.run takes (two more at its end, for Runner.close's own tasks).
import asyncio


async def worker(n):
    print("worker", n, asyncio.current_task().get_name())
    await asyncio.sleep(0.1)
    return n


async def main():
    me = asyncio.current_task()
    print("main is", me.get_name(), me.done(), me.cancelling(), me.cancelled())
    print(len(asyncio.all_tasks()))
    t = asyncio.create_task(worker(1))
    print(sorted(x.get_name() for x in asyncio.all_tasks()))
    await t
    try:
        await me
    except RuntimeError as e:
        print("RuntimeError", str(e).split(":")[0])
    return 7


print(asyncio.run(main()))


async def again():
    print(asyncio.current_task().get_name())
    await asyncio.create_task(worker(2))


asyncio.run(again())


async def killer(t):
    await asyncio.sleep(0.5)
    print("cancel ->", t.cancel(), t.cancelling())


async def cancelled_main():
    asyncio.create_task(killer(asyncio.current_task()))
    try:
        await asyncio.sleep(1)
    except asyncio.CancelledError:
        print("main cancelled", asyncio.current_task().cancelling())
        raise


try:
    asyncio.run(cancelled_main())
except asyncio.CancelledError:
    print("asyncio.run raised CancelledError")
