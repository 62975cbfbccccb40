#pragma once
// run_jobs: the one shape most seeds share, "do these jobs", in each mode:
//
//   sync          a(); b()                      (every sleep blocks instead)
//   await         await a(); await b()
//   create_task   ta = create_task(a()); tb = create_task(b()); await ta; await tb
//   gather        await gather(a(), b())
//   as_completed  for f in as_completed([a(), b()]): await f
//
// Results come back in job order, except as_completed: completion order.
#include "asyncdemo/as_completed.hpp"
#include "asyncdemo/gather.hpp"
#include "asyncdemo/task.hpp"
#include "asyncdemo/teach/mode.hpp"

#include <functional>
#include <string>
#include <vector>

namespace asyncdemo {

template <class T> struct Job {
  std::string name; // the task's name in create_task, gather and as_completed
  std::function<Coro<T>()> start;
};

template <class T> Coro<std::vector<Value<T>>> run_jobs(Mode mode, std::vector<Job<T>> jobs) {
  std::vector<Value<T>> results;
  if (mode == Mode::sync || mode == Mode::await_) {
    for (auto& job : jobs)
      results.push_back(co_await job.start());
    co_return results;
  }
  std::vector<Task<T>> tasks;
  for (auto& job : jobs)
    tasks.push_back(create_task(job.start(), job.name));
  if (mode == Mode::create_task) {
    for (auto& t : tasks)
      results.push_back(co_await t);
  } else if (mode == Mode::gather) {
    results = co_await gather(std::move(tasks));
  } else {
    for (auto next : as_completed(std::move(tasks)))
      results.push_back(co_await next);
  }
  co_return results;
}

} // namespace asyncdemo
