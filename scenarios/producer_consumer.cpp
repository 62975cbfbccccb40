// Beyond the seeds: an asyncio.Queue between --producers producers (each
// makes --items items, --produce seconds apiece) and --consumers consumers
// (--consume seconds an item). A full queue (--maxsize) makes a producer
// wait; an empty one, a consumer. Main waits for the producers, then
// join()s the queue: it returns once task_done() was called for every
// item. --forget-task-done leaves that call out: join() would wait for
// ever, so main gives it --join-timeout seconds under wait_for instead.
//
// A compiled scenario, not a file: consumers loop until they are
// cancelled (`while True`), which a file cannot say.
#include "typed_params.hpp"

namespace {

using namespace asyncdemo;
using namespace asyncdemo::typed_params;

struct Settings {
  int producers, consumers, items, maxsize;
  double produce, consume, join_timeout;
  bool forget;
};

Settings settings_of(const Context& ctx) {
  return {whole(ctx, "producers"),     whole(ctx, "consumers"),      whole(ctx, "items"),
          whole(ctx, "maxsize"),       number(ctx, "produce"),       number(ctx, "consume"),
          number(ctx, "join-timeout"), flag(ctx, "forget-task-done")};
}

Coro<> producer(std::string name, Queue<std::string>& queue, int items, double produce) {
  for (int i = 0; i < items; ++i) {
    co_await sleep(produce);
    auto item = fmt::format("{}/{}", name, i + 1);
    if (queue.full()) print("{}: the queue is full; {} waits", name, item);
    co_await queue.put(item);
    print("{}: put {} ({} in the queue)", name, item, queue.qsize());
  }
  print("{}: done", name);
}

Coro<> consumer(std::string name, Queue<std::string>& queue, double consume, bool forget) {
  for (;;) {
    auto item = co_await queue.get();
    print("{}: got {}", name, item);
    co_await sleep(consume);
    if (!forget) queue.task_done();
    print("{}: finished {}", name, item);
  }
}

Coro<> join_queue(Queue<std::string>& queue) {
  co_await queue.join();
}

Coro<> producer_consumer_main(const Context& ctx) {
  const auto s = settings_of(ctx);
  Queue<std::string> queue(s.maxsize);
  std::vector<Task<>> consumers, producers;
  for (int i = 0; i < s.consumers; ++i) {
    const auto name = fmt::format("consumer{}", i + 1);
    consumers.push_back(create_task(consumer(name, queue, s.consume, s.forget), name));
  }
  for (int i = 0; i < s.producers; ++i) {
    const auto name = fmt::format("producer{}", i + 1);
    producers.push_back(create_task(producer(name, queue, s.items, s.produce), name));
  }
  co_await gather(std::move(producers));
  print("main: every item is in the queue; join() waits until each is marked done");
  if (s.forget) {
    bool timed_out = false;
    try {
      co_await wait_for(join_queue(queue), seconds(s.join_timeout));
    } catch (const TimeoutError&) {
      timed_out = true;
    }
    if (timed_out)
      print("main: join() timed out at {:.3f} s: no task_done() came, it would wait for ever",
            to_seconds(now()));
    else
      print("main: joined at {:.3f} s", to_seconds(now()));
  } else {
    co_await queue.join();
    print("main: joined at {:.3f} s: every item was handled", to_seconds(now()));
  }
  for (auto& c : consumers)
    c.cancel();
  co_await gather(std::move(consumers), return_exceptions);
  print("main: the consumers are stopped");
}

PythonSource producer_consumer_python(const Context& ctx) {
  const auto s = settings_of(ctx);
  std::string out = fmt::format(R"py(PRODUCERS = {}
CONSUMERS = {}
ITEMS = {}  # each producer's
MAXSIZE = {}  # 0: no limit
PRODUCE = {}  # seconds an item takes to make
CONSUME = {}  # seconds an item takes to handle
)py",
                                s.producers, s.consumers, s.items, s.maxsize,
                                ctx.params.get("produce"), ctx.params.get("consume"));
  if (s.forget) out += fmt::format("JOIN_TIMEOUT = {}\n", ctx.params.get("join-timeout"));
  out += R"py(

async def producer(name, queue):
    for i in range(ITEMS):
        await asyncio.sleep(PRODUCE * SCALE)
        item = f"{name}/{i + 1}"
        if queue.full():
            print(f"{name}: the queue is full; {item} waits")
        await queue.put(item)
        print(f"{name}: put {item} ({queue.qsize()} in the queue)")
    print(f"{name}: done")


async def consumer(name, queue):
    while True:
        item = await queue.get()
        print(f"{name}: got {item}")
        await asyncio.sleep(CONSUME * SCALE)
)py";
  out += s.forget ? "        # queue.task_done()  forgotten: join() never returns\n"
                  : "        queue.task_done()\n";
  out += R"py(        print(f"{name}: finished {item}")


async def main():
    queue = asyncio.Queue(maxsize=MAXSIZE)
    consumers = [asyncio.create_task(consumer(f"consumer{i + 1}", queue), name=f"consumer{i + 1}")
                 for i in range(CONSUMERS)]
    producers = [asyncio.create_task(producer(f"producer{i + 1}", queue), name=f"producer{i + 1}")
                 for i in range(PRODUCERS)]
    await asyncio.gather(*producers)
    print("main: every item is in the queue; join() waits until each is marked done")
)py";
  if (s.forget)
    out += R"py(    try:
        await asyncio.wait_for(queue.join(), timeout=JOIN_TIMEOUT * SCALE)
        print(f"main: joined at {now():.3f} s")
    except TimeoutError:
        print(f"main: join() timed out at {now():.3f} s: no task_done() came, it would wait for ever")
)py";
  else
    out += R"py(    await queue.join()
    print(f"main: joined at {now():.3f} s: every item was handled")
)py";
  out += R"py(    for c in consumers:
        c.cancel()
    await asyncio.gather(*consumers, return_exceptions=True)
    print("main: the consumers are stopped")
)py";
  return {out};
}

std::string check_run(Mode, const Params& params) {
  if (params.given("join-timeout") && params.get("forget-task-done") != "true")
    return "--join-timeout is for --forget-task-done (join() under wait_for); add "
           "--forget-task-done, or drop --join-timeout";
  return {};
}

const Registration registration{Scenario{
    .name = "producer-consumer",
    .seed = "beyond the seeds",
    .summary = "a Queue between producers and consumers: put, get, task_done, join; "
               "--forget-task-done times out",
    .modes = {Mode::create_task},
    .default_mode = Mode::create_task,
    .params = {whole_param("producers", "How many producers put items in the queue", 1, 1, 10),
               whole_param("consumers", "How many consumers take items out", 2, 1, 10),
               whole_param("items", "How many items each producer makes", 6, 1, 100),
               whole_param("maxsize",
                           "How many items the queue holds (0: no limit); a "
                           "producer waits while it is full",
                           2, 0, 100),
               seconds_param("produce", "Seconds an item takes to make", "0.1", 60),
               seconds_param("consume", "Seconds an item takes to handle", "1", 60),
               flag_param("forget-task-done", "The consumers never call task_done(): join() "
                                              "would wait for ever, so it gets --join-timeout"),
               seconds_param("join-timeout",
                             "With --forget-task-done: seconds main gives join() (wait_for)", "2",
                             60)},
    .main = producer_consumer_main,
    .python = producer_consumer_python,
    .check = check_run,
}};

} // namespace
