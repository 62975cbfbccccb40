#pragma once
// The runtime in one include: the loop, coroutines, tasks, futures, sleep,
// gather, as_completed, the synchronisation primitives (Lock, Semaphore,
// Event, Queue), timeouts, wait, shield, TaskGroup, to_thread, errors and
// print_line. It depends on Boost alone.
#include "asyncdemo/as_completed.hpp"
#include "asyncdemo/coro.hpp"
#include "asyncdemo/errors.hpp"
#include "asyncdemo/event.hpp"
#include "asyncdemo/future.hpp"
#include "asyncdemo/gather.hpp"
#include "asyncdemo/lock.hpp"
#include "asyncdemo/loop.hpp"
#include "asyncdemo/print.hpp"
#include "asyncdemo/queue.hpp"
#include "asyncdemo/semaphore.hpp"
#include "asyncdemo/shield.hpp"
#include "asyncdemo/sleep.hpp"
#include "asyncdemo/task.hpp"
#include "asyncdemo/task_group.hpp"
#include "asyncdemo/timeout.hpp"
#include "asyncdemo/to_thread.hpp"
#include "asyncdemo/wait.hpp"
#include "asyncdemo/wait_for.hpp"
#include "asyncdemo/with.hpp"
