#pragma once
// run_jobs: the one shape most seeds share, "do these jobs", composed as
// the mode says (composition_of, mode.hpp). Results come back in job order,
// except as_completed: completion order. (In sync mode the loop's sleeps
// block: the runner configures it so.)
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
  using C = Composition::Collect;
  const auto how = composition_of(mode);
  std::vector<Value<T>> results;
  if (!how.tasks) {
    for (auto& job : jobs)
      results.push_back(co_await job.start());
    co_return results;
  }
  std::vector<Task<T>> tasks;
  for (auto& job : jobs)
    tasks.push_back(create_task(job.start(), job.name));
  switch (how.collect) {
  case C::each_call:
  case C::each_task:
    for (auto& t : tasks)
      results.push_back(co_await t);
    break;
  case C::gather:
    results = co_await gather(std::move(tasks));
    break;
  case C::as_completed:
    for (auto next : as_completed(std::move(tasks)))
      results.push_back(co_await next);
    break;
  }
  co_return results;
}

} // namespace asyncdemo
