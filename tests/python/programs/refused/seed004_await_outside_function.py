# Seed 004: "this will NOT work" (await outside a function).
import asyncio
 
async def main():
    print('shav')

await main()
