# Seed 004: the first co-routine, run with asyncio.run().
import asyncio
 
async def main():
    print('shav')

asyncio.run(main())
