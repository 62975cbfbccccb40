"""Task callbacks: a done callback, then what a task tells once it is done.

do_something wraps worker in a task, adds a done callback that prints the
result, awaits the task, then asks it cancelled(), done(), result() and
exception(). With --cancel it cancels the task while the worker sleeps: the
same questions then answer as asyncio does for a cancelled task (cancelled()
is True, result() and exception() raise CancelledError).

summary: create_task, add_done_callback, then cancelled/done/result/exception: 1 s; --cancel cancels it
origin: 002 §34.5
"""

import asyncio

CANCEL = False  # --cancel: Cancel the task while the worker sleeps (at 0.5 s)


async def worker():
    print("worker - will take some time")
    await asyncio.sleep(1)  # pause: do_something can run
    print("worker - Done it")
    return 42


# The seed's print_it, which would raise on a cancelled task: it says so
# instead.
def print_it(task):
    if task.cancelled():
        print("print_it - the task was cancelled")
    else:
        print("print_it result:", task.result())


async def do_something():
    print("do_something - create task for worker")
    task = asyncio.create_task(worker(), name="worker")
    print("do_something - add a callback")
    task.add_done_callback(print_it)
    if CANCEL:
        await asyncio.sleep(0.5)  # the worker starts and sleeps
        print("do_something - cancel the task")
        task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        print("do_something - await task raised CancelledError")
    # Information on task
    print("do_something - task.cancelled():", task.cancelled())
    print("do_something - task.done():", task.done())
    try:
        print("do_something - task.result():", task.result())
    except asyncio.CancelledError:
        print("do_something - task.result() raised CancelledError")
    try:
        print("do_something - task.exception():", task.exception())
    except asyncio.CancelledError:
        print("do_something - task.exception() raised CancelledError")
    print("do_something - finished")


def main():
    print("Main - Starting")
    asyncio.run(do_something())
    print("Main - Done")


if __name__ == "__main__":
    main()
