# Sets' | & - operators, printed in CPython's table order; and the
# builtin exception names a program catches (RecursionError, MemoryError).
import asyncio


def deep(n):
    return deep(n + 1)


async def main():
    a = {9, 2, 33, 5, 17, 12}
    b = {2, 17, 40, 1}
    print(a | b, a & b, b & a, a - b, b - a, {1} | set(), set() & a)
    c = set(range(0, 40, 3))
    print(c | {7, 100}, c & set(range(20)), c - {0, 3})
    try:
        deep(0)
    except RecursionError as e:
        print("deep:", e)
    try:
        print(type(MemoryError()).__name__, issubclass(RecursionError, RuntimeError))
    except NameError as e:
        print(e)


asyncio.run(main())
