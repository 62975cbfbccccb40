# Names bound at module level, by `global` in a function and by nonlocal:
# each stored where a read finds it.
import asyncio

x = 1
a, [b, c] = 2, [3, 4]
for i in range(2):
    pass
total = 0


def add(n):
    global total
    total += n
    return total


def outer():
    v = 1

    def inner():
        nonlocal v
        v += 10

    inner()
    return v


async def main():
    global x
    x += add(5)
    print(x, a, b, c, i, total, outer())


asyncio.run(main())
print(x, total)
