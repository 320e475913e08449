# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
#
# Install.cmake - what `cmake --install` puts where, the pkg-config file, the CMake package, and
# the three Debian packages that `cpack -G DEB` makes from the same rules. Included last by the
# top-level CMakeLists.txt, after every target exists.
#
# Every rule names the component, which is the Debian package it lands in:
#   tool  -> artbag         the command, its manual page, bash completion, profiles and schemas
#   lib   -> libartbag0     the shared library (SONAME libartbag.so.0), nothing else
#   dev   -> libartbag-dev  header, libartbag.so link, static library, artbag.pc, CMake package
# A plain `cmake --install` installs all three.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# ---- the command, the libraries and the header -----------------------------------------------

install(TARGETS artbag RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT tool)
# libartbag.so.0 -> libartbag.so.0.2.0 go to the runtime package, the unversioned libartbag.so
# link (only a linker wants it) to the development package, as Debian Policy 8.4 says.
set_target_properties(artbag_shared PROPERTIES EXPORT_NAME artbag)
install(TARGETS artbag_shared EXPORT artbagTargets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT lib NAMELINK_COMPONENT dev)
install(TARGETS artbag_static ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT dev)
install(FILES ${PROJECT_SOURCE_DIR}/include/artbag.h DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        COMPONENT dev)

# ---- the format's description, the manual and the completion ----------------------------------

# The BagIt Profile and JSON Schemas land directly in share/artbag/ (not share/artbag/manifests/),
# where `pkg-config --variable=manifestsdir artbag` points.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/manifests/ DESTINATION ${CMAKE_INSTALL_DATADIR}/artbag
        COMPONENT tool)
# Compressed with gzip -9n (no name, no time stamp: the same bytes every build), as Debian
# Policy 12.1 wants; man(1) reads it as it is.
find_program(ARTBAG_GZIP gzip REQUIRED)
set(ARTBAG_DEB_DIR ${PROJECT_SOURCE_DIR}/packaging/debian)
add_custom_command(OUTPUT ${PROJECT_BINARY_DIR}/man/artbag.1.gz
                   COMMAND ${CMAKE_COMMAND} -E make_directory ${PROJECT_BINARY_DIR}/man
                   COMMAND ${ARTBAG_GZIP} -9n < ${PROJECT_SOURCE_DIR}/doc/artbag.1
                           > ${PROJECT_BINARY_DIR}/man/artbag.1.gz
                   DEPENDS ${PROJECT_SOURCE_DIR}/doc/artbag.1
                   COMMENT "Compressing the manual page")
add_custom_command(OUTPUT ${PROJECT_BINARY_DIR}/debian/changelog.Debian.gz
                   COMMAND ${CMAKE_COMMAND} -E make_directory ${PROJECT_BINARY_DIR}/debian
                   COMMAND ${ARTBAG_GZIP} -9n < ${ARTBAG_DEB_DIR}/changelog
                           > ${PROJECT_BINARY_DIR}/debian/changelog.Debian.gz
                   DEPENDS ${ARTBAG_DEB_DIR}/changelog
                   COMMENT "Compressing the Debian changelog")
add_custom_target(artbag_gzipped_docs ALL DEPENDS ${PROJECT_BINARY_DIR}/man/artbag.1.gz
                  ${PROJECT_BINARY_DIR}/debian/changelog.Debian.gz)
install(FILES ${PROJECT_BINARY_DIR}/man/artbag.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1
        COMPONENT tool)
# bash-completion looks up completions by command name in this directory and loads them lazily.
install(FILES ${PROJECT_SOURCE_DIR}/contrib/bash-completion/artbag
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions COMPONENT tool)

# ---- pkg-config -------------------------------------------------------------------------------

# artbag.pc is written when installing, not when configuring: its prefix must be the one the
# tree lands in, which `cmake --install --prefix P` and cpack choose only then. Paths that
# GNUInstallDirs made absolute stay absolute.
foreach(dir LIBDIR INCLUDEDIR DATADIR)
  if(IS_ABSOLUTE "${CMAKE_INSTALL_${dir}}")
    set(ARTBAG_PC_${dir} "${CMAKE_INSTALL_${dir}}")
  else()
    set(ARTBAG_PC_${dir} "\${prefix}/${CMAKE_INSTALL_${dir}}")
  endif()
endforeach()
string(REPLACE "\${prefix}" "\${exec_prefix}" ARTBAG_PC_LIBDIR "${ARTBAG_PC_LIBDIR}")
# What libartbag.a needs besides itself (`pkg-config --static`); the shared library brings its
# own dependencies, so a dynamic link needs only -lartbag. pkg-config also hands out the Cflags
# of Requires.private modules, even without --static, and libutf8proc.pc's is
# -DUTF8PROC_EXPORTS, a define for building utf8proc itself: so utf8proc is named in
# Libs.private instead, and Cflags stays artbag's own. artbag.h includes no dependency's header.
set(ARTBAG_PC_REQUIRES_PRIVATE "libarchive zlib libdeflate libcrypto jansson yaml-0.1 md4c liburiparser libmagic sqlite3 liblzma libzstd")
set(ARTBAG_PC_LIBS_PRIVATE "-lutf8proc -lcsv -pthread") # libcsv has no .pc either
set(ARTBAG_PC_IN ${PROJECT_SOURCE_DIR}/cmake/artbag.pc.in)
file(CONFIGURE OUTPUT ${PROJECT_BINARY_DIR}/artbag-install-pc.cmake @ONLY CONTENT [=[
# Generated by cmake/Install.cmake: writes artbag.pc for the prefix being installed to.
set(ARTBAG_PC_LIBDIR [==[@ARTBAG_PC_LIBDIR@]==])
set(ARTBAG_PC_INCLUDEDIR [==[@ARTBAG_PC_INCLUDEDIR@]==])
set(ARTBAG_PC_DATADIR [==[@ARTBAG_PC_DATADIR@]==])
set(ARTBAG_PC_REQUIRES_PRIVATE [==[@ARTBAG_PC_REQUIRES_PRIVATE@]==])
set(ARTBAG_PC_LIBS_PRIVATE [==[@ARTBAG_PC_LIBS_PRIVATE@]==])
set(PROJECT_VERSION [==[@PROJECT_VERSION@]==])
set(_artbag_pc_dir [==[@CMAKE_INSTALL_LIBDIR@/pkgconfig]==])
if(NOT IS_ABSOLUTE "${_artbag_pc_dir}")
  set(_artbag_pc_dir "${CMAKE_INSTALL_PREFIX}/${_artbag_pc_dir}")
endif()
list(APPEND CMAKE_INSTALL_MANIFEST_FILES "${_artbag_pc_dir}/artbag.pc")
message(STATUS "Installing: $ENV{DESTDIR}${_artbag_pc_dir}/artbag.pc")
configure_file([==[@ARTBAG_PC_IN@]==] "$ENV{DESTDIR}${_artbag_pc_dir}/artbag.pc" @ONLY)
]=])
install(SCRIPT ${PROJECT_BINARY_DIR}/artbag-install-pc.cmake COMPONENT dev)

# ---- the CMake package: find_package(artbag 0.2 REQUIRED) -> artbag::artbag ----------------

# artbag::artbag is the shared library with its include directory. Its dependencies are its own
# business (linked PRIVATE, not exported), so the package needs no find_dependency(). The static
# library is for pkg-config --static users; exporting it would oblige every consumer to find
# libarchive, OpenSSL and the rest through CMake as this build does.
set(ARTBAG_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/artbag)
install(EXPORT artbagTargets NAMESPACE artbag:: DESTINATION ${ARTBAG_CMAKE_DIR}
        FILE artbagTargets.cmake COMPONENT dev)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/artbagConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/cmake/artbagConfig.cmake
                              INSTALL_DESTINATION ${ARTBAG_CMAKE_DIR})
# SameMajorVersion: any 0.x.y with x.y >= the one asked for, the rule the SONAME follows too
# (libartbag.so.0 for every 0.x).
write_basic_package_version_file(${PROJECT_BINARY_DIR}/cmake/artbagConfigVersion.cmake
                                 COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/cmake/artbagConfig.cmake
              ${PROJECT_BINARY_DIR}/cmake/artbagConfigVersion.cmake
        DESTINATION ${ARTBAG_CMAKE_DIR} COMPONENT dev)

# ---- the Debian packages' own files (cpack only) ----------------------------------------------

# /usr/share/doc/PACKAGE/{copyright,changelog.Debian.gz} and the lintian overrides belong in the
# .debs only: EXCLUDE_FROM_ALL keeps them out of a plain `cmake --install`, and cpack, which
# installs one component at a time, still gets them.
foreach(comp_pkg tool:artbag lib:libartbag0 dev:libartbag-dev)
  string(REPLACE ":" ";" comp_pkg "${comp_pkg}")
  list(GET comp_pkg 0 comp)
  list(GET comp_pkg 1 pkg)
  install(FILES ${ARTBAG_DEB_DIR}/copyright ${PROJECT_BINARY_DIR}/debian/changelog.Debian.gz
          DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/doc/${pkg} COMPONENT ${comp} EXCLUDE_FROM_ALL)
  if(EXISTS ${ARTBAG_DEB_DIR}/${pkg}.lintian-overrides)
    install(FILES ${ARTBAG_DEB_DIR}/${pkg}.lintian-overrides
            DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/lintian/overrides RENAME ${pkg}
            COMPONENT ${comp} EXCLUDE_FROM_ALL)
  endif()
endforeach()

# ---- the Debian packages (cpack -G DEB) -------------------------------------------------------

set(ARTBAG_MAINTAINER "artbag maintainers <maintainers@users.noreply.r-seed-d06da428.example>"
    CACHE STRING "Maintainer of the Debian packages, as 'Name <email>'")
# The Debian revision of this upstream version; packaging/debian/changelog's first entry must
# be exactly PROJECT_VERSION-ARTBAG_DEB_RELEASE (lintian compares it with the package's).
set(ARTBAG_DEB_RELEASE 1)
file(STRINGS ${ARTBAG_DEB_DIR}/changelog _artbag_changelog_top LIMIT_COUNT 1)
if(NOT _artbag_changelog_top MATCHES "^artbag \\(${PROJECT_VERSION}-${ARTBAG_DEB_RELEASE}\\) ")
  message(FATAL_ERROR "packaging/debian/changelog: the first entry is '${_artbag_changelog_top}'; "
                      "add one for ${PROJECT_VERSION}-${ARTBAG_DEB_RELEASE}")
endif()

set(CPACK_PACKAGE_NAME artbag)
set(CPACK_PACKAGE_VENDOR "artbag")
set(CPACK_PACKAGE_CONTACT "${ARTBAG_MAINTAINER}")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_GENERATOR DEB)
set(CPACK_STRIP_FILES ON)
# Install with DESTDIR and the final prefix (CPACK_INSTALL_PREFIX in that mode), so artbag.pc
# says prefix=/usr, not the staging area, whatever prefix the build was configured with.
set(CPACK_SET_DESTDIR ON)
set(CPACK_INSTALL_PREFIX /usr)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)

set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL tool lib dev)
set(CPACK_COMPONENTS_GROUPING IGNORE)
set(CPACK_COMPONENT_TOOL_DEPENDS lib)
set(CPACK_COMPONENT_DEV_DEPENDS lib)
# ... as "Depends: libartbag0 (= 0.2.0-1)": the command and the header must match the library.
set(CPACK_DEBIAN_ENABLE_COMPONENT_DEPENDS ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE ${ARTBAG_DEB_RELEASE})
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${ARTBAG_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SOURCE artbag)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# Depends is what dpkg-shlibdeps (dpkg-dev) finds the binaries linked against, with versions;
# libartbag.so.0 belongs to no installed package yet, so for it the component dependency above
# gives the exact version of libartbag0.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# dpkg-shlibdeps runs in the component's staging directory: libartbag.so.0 is in its sibling's.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS_PRIVATE_DIRS ../lib/usr/${CMAKE_INSTALL_LIBDIR})

string(JOIN "\n" ARTBAG_DEB_ABOUT
  "artbag packs a news article written in Markdown, with what it says about"
  "itself (title, dates, source URL, credit, citation, DOIs) and SHA-256"
  "manifests, into a BagIt bag (RFC 8493) serialized as a reproducible .tar.gz"
  "that any tar and sha256sum can check. It verifies any BagIt bag, as a"
  "directory or a tar, compressed tar or zip archive, as a stream; unpacks a"
  "bundle only when it is proven intact; and signs bundles.")

set(CPACK_DEBIAN_TOOL_PACKAGE_NAME artbag)
set(CPACK_DEBIAN_TOOL_PACKAGE_SECTION utils)
set(CPACK_COMPONENT_TOOL_DESCRIPTION "pack news articles into self-checking BagIt bundles
${ARTBAG_DEB_ABOUT}

This package holds the artbag command, its manual page, bash completion, and
the bundle's BagIt Profile and JSON Schemas.")

set(CPACK_DEBIAN_LIB_PACKAGE_NAME libartbag0)
set(CPACK_DEBIAN_LIB_PACKAGE_SECTION libs)
set(CPACK_COMPONENT_LIB_DESCRIPTION "library to pack news articles into BagIt bundles
${ARTBAG_DEB_ABOUT}

This package holds the shared library.")
# A shlibs file, so that packages built against libartbag depend on this version or later.
# (CPack makes it for each package that holds a shared library: libartbag0 only.)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS_POLICY ">=")
# A shared library in /usr/lib needs the ldconfig trigger (Debian Policy 8.1.1), which is what
# debhelper writes; CPack 3.25 does not add its own for it.
file(WRITE ${PROJECT_BINARY_DIR}/debian/triggers "activate-noawait ldconfig\n")
set(CPACK_DEBIAN_LIB_PACKAGE_CONTROL_EXTRA ${PROJECT_BINARY_DIR}/debian/triggers)

set(CPACK_DEBIAN_DEV_PACKAGE_NAME libartbag-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
set(CPACK_COMPONENT_DEV_DESCRIPTION "library to pack news articles into BagIt bundles - development files
${ARTBAG_DEB_ABOUT}

This package holds the header, the static library, the pkg-config file and
the CMake package (find_package(artbag)) for building against libartbag.")
# artbag.pc's Requires.private: pkg-config resolves those modules even for a dynamic link, so
# they must be installed; and libartbag.a needs their libraries.
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS
    "libarchive-dev, zlib1g-dev, libdeflate-dev, libssl-dev, libjansson-dev, libyaml-dev, libmd4c-dev, liburiparser-dev, libmagic-dev, libutf8proc-dev, libcsv-dev")

set(CPACK_SOURCE_GENERATOR TGZ)
set(CPACK_SOURCE_IGNORE_FILES "/\\\\.git/" "/build[^/]*/" "/_CPack_Packages/")

include(CPack)
