# What `cmake --install` puts in place, and the Debian package `cpack -G DEB`
# makes of it: the binary; the man page asyncdemo(1) and the bash, zsh and
# fish completions, each printed by the built binary (asyncdemo
# --generate=KIND) from the same definitions that make --help, so that they
# cannot drift from it; and the documentation.
include(GNUInstallDirs)

set(asyncdemo_generated ${PROJECT_BINARY_DIR}/generated)
set(asyncdemo_man ${asyncdemo_generated}/asyncdemo.1.gz)
set(asyncdemo_bash ${asyncdemo_generated}/asyncdemo.bash)
set(asyncdemo_zsh ${asyncdemo_generated}/_asyncdemo)
set(asyncdemo_fish ${asyncdemo_generated}/asyncdemo.fish)
# The sanitized binary runs here as in its tests: LeakSanitizer told what
# the Python machine leaves at exit (the catalogue's programs are compiled
# as it starts).
set(generate_leaks "")
if(ASYNCDEMO_SANITIZE)
  set(generate_leaks -DLSAN_SUPP=${PROJECT_SOURCE_DIR}/tests/sanitize/lsan.supp)
endif()
foreach(kind man bash zsh fish)
  add_custom_command(
    OUTPUT ${asyncdemo_${kind}}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${asyncdemo_generated}
    COMMAND ${CMAKE_COMMAND} -DEXE=$<TARGET_FILE:asyncdemo> -DKIND=${kind} ${generate_leaks}
            -DOUT=${asyncdemo_${kind}} -P ${PROJECT_SOURCE_DIR}/cmake/Generate.cmake
    DEPENDS asyncdemo ${PROJECT_SOURCE_DIR}/cmake/Generate.cmake
    COMMENT "asyncdemo --generate=${kind}"
    VERBATIM)
endforeach()
add_custom_target(asyncdemo_generated ALL
                  DEPENDS ${asyncdemo_man} ${asyncdemo_bash} ${asyncdemo_zsh} ${asyncdemo_fish})

install(TARGETS asyncdemo RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${asyncdemo_man} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
# Where each shell looks, under the prefix: bash-completion and fish read
# share/ of every prefix in XDG_DATA_DIRS; Debian's zsh reads
# vendor-completions under /usr (the package) and site-functions under
# /usr/local. The prefix is known only when installing (--prefix, cpack).
install(FILES ${asyncdemo_bash} DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
        RENAME asyncdemo)
install(CODE "
  set(zsh_dir site-functions)
  if(CMAKE_INSTALL_PREFIX STREQUAL \"/usr\")
    set(zsh_dir vendor-completions)
  endif()
  file(INSTALL \"${asyncdemo_zsh}\"
       DESTINATION \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_DATADIR}/zsh/\${zsh_dir}\")")
install(FILES ${asyncdemo_fish} DESTINATION ${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d)
# The README and every page and picture it links to, where its links lead
# (docs/usage.md beside README.md): a test follows each link installed.
install(FILES README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/docs FILES_MATCHING
        PATTERN "*.md" PATTERN "*.json" PATTERN "*.png" PATTERN "*.svg")

# cpack -G DEB: asyncdemo_VERSION_ARCH.deb for Debian 12, installed under
# /usr. Its dependencies are the shared libraries the binary links (libfmt9,
# libtomlplusplus3, libstdc++6, ...), found by dpkg-shlibdeps (dpkg-dev).
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME asyncdemo)
set(CPACK_PACKAGE_VENDOR "asyncdemo")
set(CPACK_PACKAGE_CONTACT "asyncdemo maintainers <asyncdemo@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "watch async concurrency happen: asyncio's teaching programs in C++20")
set(CPACK_PACKAGE_DESCRIPTION
    "asyncdemo runs the classic Python asyncio teaching programs as C++20 coroutines on an event
loop that follows asyncio's, in five modes (sync, await, create_task, gather, as_completed), on a
real or a virtual clock, and prints each line as it happens with its time. Users write their own
scenarios as TOML files; --python prints the equivalent asyncio program.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_STRIP_FILES ON)
include(CPack)
