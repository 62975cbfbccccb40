# Seed 004, "Concurrent Execution with Tasks": shav, finished, text.
import asyncio
 
async def main():
    print('shav')
    task = asyncio.create_task(foo('text'))
    print('finished')
 
async def foo(text):
    print(text)
    await asyncio.sleep(1)
 
asyncio.run(main())
