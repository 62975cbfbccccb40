# loop.call_soon and call_later return handles that cancel; a future set
# by a timer.
import asyncio


def tick(what):
    print("tick", what)


async def main():
    loop = asyncio.get_running_loop()
    loop.call_later(0.2, tick, "late")
    h = loop.call_later(0.1, tick, "never")
    print(h.cancelled())
    h.cancel()
    print(h.cancelled())
    s = loop.call_soon(tick, "soon")
    loop.call_soon(tick, "soon too").cancel()
    fut = loop.create_future()
    loop.call_later(0.3, fut.set_result, 42)
    print(await fut, s.cancelled())


asyncio.run(main())
