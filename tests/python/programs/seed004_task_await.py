# Seed 004, "Using await with Tasks": shav, text, finished.
import asyncio
 
async def main():
    print('shav')
    task = asyncio.create_task(foo('text'))
    await task
    print('finished')
 
async def foo(text):
    print(text)
    await asyncio.sleep(1)
 
asyncio.run(main())
