# Seed 003, "Asynchronous Execution": random_add as the text writes it (its
# asyncio.sleep is never awaited), awaited three times from async_test.
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


async def async_test():
    await random_add(5)
    await random_add(8)
    await random_add(2)


if __name__ == "__main__":
    asyncio.run(async_test())
