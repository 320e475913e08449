# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
#
# CheckVersion.cmake - include/artbag.h's ARTBAG_VERSION_* macros must be project(VERSION), or a
# consumer's compile-time check and the installed package's version would lie. The header is
# written by hand (so the source tree's include/ is the installed header, byte for byte); this
# refuses to configure when the two disagree, which no build can then miss.
file(READ ${PROJECT_SOURCE_DIR}/include/artbag.h _artbag_h)
foreach(part MAJOR MINOR PATCH)
  if(NOT _artbag_h MATCHES "\n#define ARTBAG_VERSION_${part} ([0-9]+)\n")
    message(FATAL_ERROR "include/artbag.h: no '#define ARTBAG_VERSION_${part} N' line")
  endif()
  if(NOT CMAKE_MATCH_1 STREQUAL PROJECT_VERSION_${part})
    message(FATAL_ERROR "include/artbag.h: ARTBAG_VERSION_${part} is ${CMAKE_MATCH_1}, but "
                        "project(VERSION) is ${PROJECT_VERSION}: update both together")
  endif()
endforeach()
if(NOT _artbag_h MATCHES "\n#define ARTBAG_VERSION_STRING \"([^\"]*)\"\n"
   OR NOT CMAKE_MATCH_1 STREQUAL PROJECT_VERSION)
  message(FATAL_ERROR "include/artbag.h: ARTBAG_VERSION_STRING is not \"${PROJECT_VERSION}\"")
endif()
if(NOT _artbag_h MATCHES "ARTBAG_VERSION_MAJOR \\* 1000000 \\+ ARTBAG_VERSION_MINOR \\* 1000 \\+ ARTBAG_VERSION_PATCH")
  message(FATAL_ERROR "include/artbag.h: ARTBAG_VERSION_NUMBER is not MAJOR * 1000000 + MINOR * 1000 + PATCH")
endif()
unset(_artbag_h)
