#pragma once
// Everything a scenario needs, in one include.
#include "asyncdemo/as_completed.hpp"
#include "asyncdemo/coro.hpp"
#include "asyncdemo/errors.hpp"
#include "asyncdemo/gather.hpp"
#include "asyncdemo/loop.hpp"
#include "asyncdemo/print.hpp"
#include "asyncdemo/sleep.hpp"
#include "asyncdemo/task.hpp"
