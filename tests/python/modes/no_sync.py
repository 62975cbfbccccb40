# A job awaiting another coroutine: sync cannot be derived.
import asyncio


async def helper(n):
    await asyncio.sleep(n)
    return n


async def job(n):
    print("job", n)
    got = await helper(n)
    print("job", n, "got", got)


async def main():
    await asyncio.gather(job(2), job(1))


asyncio.run(main())
