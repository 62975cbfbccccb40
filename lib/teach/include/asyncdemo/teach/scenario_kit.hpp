#pragma once
// Everything a compiled scenario (scenarios/*.cpp) needs, in one include:
// the runtime, formatted print, run_jobs, parameters and the Python twin.
#include "asyncdemo/asyncdemo.hpp"
#include "asyncdemo/teach/jobs.hpp"
#include "asyncdemo/teach/params.hpp"
#include "asyncdemo/teach/print.hpp"
#include "asyncdemo/teach/python.hpp"
#include "asyncdemo/teach/scenario.hpp"
#include "asyncdemo/text/parse.hpp"
#include "asyncdemo/text/quote.hpp"
