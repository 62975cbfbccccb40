# Seed 002, "Exercises": the text gives main(); factorial and
# calculate_factorials are an answer (asyncdemo's factorial scenario's), with
# asyncio.sleep(0.1) each time round the loop and a list comprehension of calls.
import asyncio


async def factorial(n):
    print(f'factorial({n}) - starting')
    result = 1
    for i in range(1, n + 1):
        await asyncio.sleep(0.1)
        result *= i
    print(f'factorial({n}) = {result}')
    return result


async def calculate_factorials(numbers):
    print(f'calculate_factorials - the factorials of {numbers}')
    results = await asyncio.gather(*[factorial(n) for n in numbers])
    print('calculate_factorials - results:', results)


def main():
    print('Main - Starting')
    asyncio.run(calculate_factorials([5, 7, 3, 6]))
    print('Main - Done')

if __name__ == '__main__':
    main()
