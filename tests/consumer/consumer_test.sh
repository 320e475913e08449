#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
#
# consumer_test.sh - other projects can adopt libartbag: installs the build into a staging tree
# (DESTDIR=T/stage, prefix /usr, as a package would lay it out), then builds two small consumers
# of consumer.c against that tree only: cmake/ through find_package(artbag 0.2 REQUIRED) and
# artbag::artbag, pkgconfig/ through `pkg-config --cflags --libs artbag` (with
# PKG_CONFIG_SYSROOT_DIR). Both must compile against the staged header, need libartbag.so.N,
# and pack and verify the sample article with the staged library (LD_LIBRARY_PATH). Also checks
# the package's version rule (SameMajorVersion: 0.1 and 0.2 accepted; 0.3 and 1.0 refused).
# Exits 77 only when a tool it needs is missing. Run by ctest (label install).
TEST_NAME=consumer_test
CMAKE_COMMAND=${CMAKE_COMMAND:-cmake}
CC=${CC:-cc}
LIBDIR=${ARTBAG_LIBDIR:-lib}
# shellcheck source-path=SCRIPTDIR source=../install/harness.sh
. "$(dirname "$0")/../install/harness.sh"
V=$ARTBAG_VERSION
MAJOR=${V%%.*}
MINOR=${V#*.}
MINOR=${MINOR%%.*}

need "$CMAKE_COMMAND" cmake
need pkg-config pkgconf
need make make
need "$CC" gcc
need readelf binutils
need ldd libc-bin
case $LIBDIR in /*) fail "CMAKE_INSTALL_LIBDIR '$LIBDIR' is absolute: it would not go under the stage" ;; esac

S=$T/stage
note "DESTDIR=$S cmake --install $ARTBAG_BUILD --prefix /usr"
DESTDIR=$S "$CMAKE_COMMAND" --install "$ARTBAG_BUILD" --prefix /usr >"$T/install.log" 2>&1 || {
    cat "$T/install.log" >&2
    fail "cmake --install failed"
}
L=$S/usr/$LIBDIR
[ -e "$L/libartbag.so.$MAJOR" ] || fail "no libartbag.so.$MAJOR in $L"
[ -r "$L/cmake/artbag/artbagConfig.cmake" ] || fail "no CMake package in $L/cmake/artbag"
[ -r "$L/pkgconfig/artbag.pc" ] || fail "no artbag.pc in $L/pkgconfig"

# check_consumer EXE: built against the staged header and library, and works with them.
check_consumer() {
    local exe=$1 out rc
    [ -x "$exe" ] || fail "no executable '$exe'"
    readelf -d "$exe" | has "(NEEDED).*\[libartbag.so.$MAJOR\]" || fail "'$exe' does not need libartbag.so.$MAJOR"
    LD_LIBRARY_PATH=$L ldd "$exe" | has "libartbag.so.$MAJOR => $L/libartbag.so.$MAJOR " ||
        fail "'$exe' does not load the staged libartbag.so.$MAJOR"
    # Each consumer writes story.tar.gz in its own directory: the same name, so the same bytes.
    mkdir "$(dirname "$exe")/out" || fail "mkdir"
    out=$(dirname "$exe")/out/consumer.log
    LD_LIBRARY_PATH=$L "$exe" "$ARTBAG_SEED" "$(dirname "$exe")/out/story.tar.gz" >"$out" 2>&1
    rc=$?
    cat "$out"
    [ "$rc" -eq 0 ] || fail "'$exe' exited $rc"
    has -x "consumer: built against artbag $V ($((MAJOR * 1000000 + MINOR * 1000 + ${V##*.}))), running with $V" "$out" ||
        fail "'$exe' did not report version $V"
    has "is valid\$" "$out" || fail "'$exe' did not verify its bundle"
    LD_LIBRARY_PATH=$L "$exe" "$T/no-such-article.md" "$T/x.tar.gz" >/dev/null 2>&1
    rc=$?
    [ "$rc" -eq 3 ] || fail "'$exe' on a missing article exited $rc, expected 3"
}

note "CMake consumer: find_package(artbag 0.2 REQUIRED), artbag::artbag"
# CMAKE_PREFIX_PATH is searched before the system's directories; artbag_DIR is checked below,
# so a copy installed on this machine cannot answer instead of the stage unnoticed.
cmake_consumer() { # BUILD-DIR [ARGS...]
    local b=$1
    shift
    "$CMAKE_COMMAND" -S "$HERE/../consumer/cmake" -B "$b" -DCMAKE_PREFIX_PATH="$S/usr" \
        -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF -DCMAKE_C_COMPILER="$CC" "$@"
}
cmake_consumer "$T/cmake" >"$T/cmake.log" 2>&1 || {
    cat "$T/cmake.log" >&2
    fail "the CMake consumer does not configure against the stage"
}
grep -qx "artbag_DIR:PATH=$L/cmake/artbag" "$T/cmake/CMakeCache.txt" ||
    fail "find_package found artbag elsewhere: $(grep '^artbag_DIR' "$T/cmake/CMakeCache.txt")"
"$CMAKE_COMMAND" --build "$T/cmake" --verbose >"$T/cmake-build.log" 2>&1 || {
    cat "$T/cmake-build.log" >&2
    fail "the CMake consumer does not build"
}
has -F -- "-isystem $S/usr/include" "$T/cmake-build.log" || has -F -- "-I$S/usr/include" "$T/cmake-build.log" ||
    fail "the CMake consumer was not compiled against the staged include directory"
check_consumer "$T/cmake/consumer"

note "the CMake package's version rule: SameMajorVersion"
for want in "$MAJOR.$MINOR" "$V" "$MAJOR.0"; do
    cmake_consumer "$T/want-$want" -DARTBAG_WANT="$want" >"$T/want-$want.log" 2>&1 ||
        fail "find_package(artbag $want) refused $V: $(cat "$T/want-$want.log")"
done
for want in "$MAJOR.$((MINOR + 1))" "$((MAJOR + 1)).0"; do
    cmake_consumer "$T/want-$want" -DARTBAG_WANT="$want" >"$T/want-$want.log" 2>&1 &&
        fail "find_package(artbag $want) accepted $V"
    has 'version: [0-9]' "$T/want-$want.log" || has -i 'compatible' "$T/want-$want.log" ||
        fail "find_package(artbag $want) failed, but not on the version: $(cat "$T/want-$want.log")"
done

note "pkg-config consumer: pkg-config --cflags --libs artbag"
export PKG_CONFIG_PATH=$L/pkgconfig PKG_CONFIG_LIBDIR=$L/pkgconfig:/usr/lib/$(basename "$LIBDIR")/pkgconfig:/usr/lib/pkgconfig:/usr/share/pkgconfig
export PKG_CONFIG_SYSROOT_DIR=$S
[ "$(pkg-config --modversion artbag)" = "$V" ] || fail "pkg-config --modversion artbag is not $V"
cflags=$(pkg-config --cflags artbag) || fail "pkg-config --cflags artbag failed"
cflags=${cflags%"${cflags##*[! ]}"}
[ "$cflags" = "-I$S/usr/include" ] || fail "pkg-config --cflags artbag says [$cflags]: only artbag's own flags belong there"
mkdir "$T/pc" && (cd "$T/pc" && make -f "$HERE/../consumer/pkgconfig/Makefile" CC="$CC") >"$T/make.log" 2>&1 || {
    cat "$T/make.log" >&2
    fail "the pkg-config consumer does not build"
}
has -F -- "-I$S/usr/include" "$T/make.log" || fail "the pkg-config consumer was not compiled against the stage"
unset PKG_CONFIG_PATH PKG_CONFIG_LIBDIR PKG_CONFIG_SYSROOT_DIR
check_consumer "$T/pc/consumer"

cmp -s "$T/cmake/out/story.tar.gz" "$T/pc/out/story.tar.gz" || fail "the two consumers made different bundles from one article"
note "ok: both consumers built against the staged tree and ran"
