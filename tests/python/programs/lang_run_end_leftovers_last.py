# The same as lang_run_end_leftovers.py, with asyncio.run the last thing the
# module does (the loop's own end, not the one a module that goes on has).
import asyncio


async def worker(name):
    await asyncio.sleep(0)
    print(name, "ends")


def chain(n):
    print("chain", n)
    if n < 6:
        asyncio.get_running_loop().call_soon(chain, n + 1)


async def main():
    t = asyncio.create_task(worker("w"))
    t.add_done_callback(lambda t: print("done callback", t.get_name()))
    t.add_done_callback(lambda t: chain(1))
    print("main ends")


asyncio.run(main())
