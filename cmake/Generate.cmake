# cmake -DEXE=asyncdemo -DKIND=man|bash|zsh|fish -DOUT=FILE [-DLSAN_SUPP=FILE] -P Generate.cmake
# Writes what `asyncdemo --generate=KIND` prints to OUT (gzipped when OUT
# ends in .gz, as Debian ships man pages), through a temporary file, so that
# a failed run leaves no half-written page behind.
if(DEFINED LSAN_SUPP)
  set(ENV{LSAN_OPTIONS} "suppressions=${LSAN_SUPP}:print_suppressions=0")
endif()
execute_process(COMMAND ${EXE} --generate=${KIND} OUTPUT_FILE ${OUT}.tmp RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  file(REMOVE ${OUT}.tmp)
  message(FATAL_ERROR "${EXE} --generate=${KIND} failed (${rc})")
endif()
if(OUT MATCHES "\\.gz$")
  # -n: no name or time stamp inside, so that the package is reproducible.
  execute_process(COMMAND gzip -9 -n -c ${OUT}.tmp OUTPUT_FILE ${OUT} RESULT_VARIABLE rc)
  file(REMOVE ${OUT}.tmp)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "gzip ${OUT} failed (${rc})")
  endif()
else()
  file(RENAME ${OUT}.tmp ${OUT})
endif()
