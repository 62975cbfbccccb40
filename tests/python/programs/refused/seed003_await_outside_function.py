# Seed 003: the text's own SyntaxError, "'await' outside function".
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


if __name__ == "__main__":
    await random_add(5)
    await random_add(8)
    await random_add(2)
