# loop.call_later with a negative delay, and call_at a time gone by: a
# deadline in the past, which fires before the timers due now (CPython's
# timer heap orders by the deadline), after the call_soon callbacks queued.
import asyncio


def tick(what):
    print("tick", what)


async def main():
    await asyncio.sleep(1)
    loop = asyncio.get_running_loop()
    loop.call_later(0, tick, "zero")
    loop.call_soon(tick, "soon")
    loop.call_later(-0.5, tick, "minus half")
    loop.call_at(loop.time() - 0.25, tick, "at a quarter ago")
    loop.call_later(-0.5, tick, "minus half again")
    await asyncio.sleep(0.1)


asyncio.run(main())
