# Seed 003: the calls as tasks (the text runs them as it runs async_test).
import asyncio
import random


def random_number_list():
    # 3 to 6 random ints from 1 to 10
    return [random.randint(1, 10) for _ in range(random.randint(3, 6))]


async def random_add(delay: int) -> None:
    asyncio.sleep(delay)
    # This retrieves a list of random ints
    n = random_number_list()
    print(f'Sum({n}) = {sum(n)}')


async def async_test_task():
    task1 = asyncio.create_task(random_add(5))
    task2 = asyncio.create_task(random_add(8))
    task3 = asyncio.create_task(random_add(2))
    await task1, await task2, await task3


if __name__ == "__main__":
    asyncio.run(async_test_task())
