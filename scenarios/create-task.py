"""create_task schedules a coroutine; when it runs depends on what main does next.

Four versions of the seed's main(), one per --variant:
  no-await  shav, finished, text  (foo runs only once main has returned)
  await     shav, text, finished  (main waits for foo)
  sleep     shav, text, finished  (main sleeps 2 s; foo's 1 s ends first)
  cancel    shav, text, finished  (main sleeps 0.5 s; foo's 10 s sleep is
                                   cancelled at exit, and foo says so)

summary: shav, text, finished: when a created task runs, by what main does next
origin: 004
narration for --variant=no-await: why: create_task only schedules foo; main never awaits it, so
  foo runs only once main has returned, and asyncio.run then cancels it at its sleep
narration for --variant=await: why: awaiting the task hands the loop to foo and waits for it to
  finish
narration for --variant=sleep: why: main's 2 s sleep hands the loop to foo, whose 1 s sleep ends
  first
narration for --variant=cancel: why: main's 0.5 s sleep lets foo print, but foo's 10 s sleep
  outlasts main, so asyncio.run cancels it at exit
"""

import asyncio

VARIANT = "no-await"  # --variant no-await|await|sleep|cancel: What main does
                      # after create_task: no-await (nothing), await (awaits
                      # the task), sleep (sleeps 2 s), cancel (sleeps 0.5 s
                      # while the task sleeps 10 s)


async def main():
    print("shav")
    task = asyncio.create_task(foo("text"), name="foo")
    if VARIANT == "await":
        await task
    elif VARIANT == "sleep":
        await asyncio.sleep(2)
    elif VARIANT == "cancel":
        await asyncio.sleep(0.5)
    print("finished")


async def foo(text):
    print(text)
    try:
        await asyncio.sleep(10 if VARIANT == "cancel" else 1)
    except asyncio.CancelledError:
        print("foo: cancelled at its sleep")
        raise


asyncio.run(main())
