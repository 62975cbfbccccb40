# asyncio.run's end runs what is left in the ready queue: Runner.close's
# shutdown_asyncgens and shutdown_default_executor run the loop two
# iterations each, after the tasks left are cancelled. A done callback of a
# task that ends in the iteration after main's, and the callbacks it
# schedules, run there; a fourth one in the chain does not.
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
print("after the run")
