# Seed 000, "Using Tasks", awaited (the text's code passes 0 where its prose
# says 2: kept as the code shows it).
import asyncio


async def delayedPrint(delay, text):
    i = 0
    while i < 5:
        await asyncio.sleep(delay)
        print(text)
        i += 1


async def main():
    task1=asyncio.create_task(delayedPrint(0, "First"))
    task2=asyncio.create_task(delayedPrint(0, "Second"))

    await task1
    await task2


asyncio.run(main())
