import asyncio
async def w():
    try:
        await asyncio.sleep(0.5)
        print("w done")
        return 1
    except asyncio.CancelledError:
        print("w cancelled")
        raise
async def main():
    t = asyncio.create_task(w())
    try:
        print(await asyncio.wait_for(asyncio.shield(t), timeout=0.1))
    except TimeoutError:
        print("held", t.done(), t.cancelled())
    print(await t)
asyncio.run(main())
