# Seed 003, "Synchronous Execution" (indentation restored). The text never shows
# random_number_list(); this one is asyncdemo's random-add scenario's.
import random


def random_number_list():
    # 3 to 6 random ints from 1 to 10
    return [random.randint(1, 10) for _ in range(random.randint(3, 6))]


def random_add(delay: int) -> None:
    import time
    time.sleep(delay)
    # This retrieves a list of random ints
    n = random_number_list()
    print(f'Sum({n}) = {sum(n)}')


if __name__ == "__main__":
    random_add(5) # call1: Delayed 5s
    random_add(8) # call2: Delayed 8s
    random_add(2) # call3: Delayed 2s
