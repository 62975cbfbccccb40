# Seed 004, "Working with Futures": the text's two pieces joined, its typos
# mended (`return|{...}`, the loop's body indented) and asyncio.run(main()),
# which the text leaves out, added.
import asyncio
 
async def fetch_data():
    print('start fetching')
    await asyncio.sleep(2)
    print('done fetching')
    return {'data': 1}
 
async def print_numbers():
    for i in range(10):
        print(i)
        await asyncio.sleep(6.25)
 
async def main():
    task1 = asyncio.create_task(fetch_data())
    task2 = asyncio.create_task(print_numbers())
 
    value = await task1

asyncio.run(main())
