#pragma once
// The runtime in one include: the loop, coroutines, tasks, futures, sleep,
// gather, as_completed, errors and print_line. It depends on Boost alone.
#include "asyncdemo/as_completed.hpp"
#include "asyncdemo/coro.hpp"
#include "asyncdemo/errors.hpp"
#include "asyncdemo/future.hpp"
#include "asyncdemo/gather.hpp"
#include "asyncdemo/loop.hpp"
#include "asyncdemo/print.hpp"
#include "asyncdemo/sleep.hpp"
#include "asyncdemo/task.hpp"
