# as_completed(timeout=): the results not in by then are TimeoutErrors (the
# tasks go on); a zero timeout; a timeout that ties with the results.
import asyncio
async def job(n, d):
    await asyncio.sleep(d)
    print("job", n, "done")
    return n
async def main():
    for c in asyncio.as_completed([job(1, 0.3), job(2, 0.1), job(3, 0.5)], timeout=0.2):
        try:
            print("got", await c)
        except asyncio.TimeoutError:
            print("timed out")
    await asyncio.sleep(1)
    for c in asyncio.as_completed([job(4, 0)], timeout=0):
        try:
            print("got", await c)
        except asyncio.TimeoutError:
            print("timed out 0")
    for c in asyncio.as_completed([job(5, 0.1), job(6, 0.1)], timeout=0.1):
        try:
            print("got", await c)
        except asyncio.TimeoutError:
            print("timed out tie")
    await asyncio.sleep(1)
asyncio.run(main())
