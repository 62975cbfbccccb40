# Seed 003: the calls gathered (the text runs them as it runs async_test).
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


async def async_test_gather():
    await asyncio.gather(
        random_add(5),
        random_add(8),
        random_add(2)
    )


if __name__ == "__main__":
    asyncio.run(async_test_gather())
