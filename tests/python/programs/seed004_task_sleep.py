# Seed 004: main sleeps 2 s while the task runs.
import asyncio
 
async def main():
    print('shav')
    task = asyncio.create_task(foo('text'))
    await asyncio.sleep(2)
    print('finished')
 
async def foo(text):
    print(text)
    await asyncio.sleep(1)
 
asyncio.run(main())
