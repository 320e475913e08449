#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
# deb_test.sh - makes the Debian package with `cpack -G DEB` from the build's CPackConfig.cmake
# (configured in cmake/Install.cmake), output and staging in a temp directory; checks its control
# fields with `dpkg-deb -I` (name, version, section, maintainer, description, and a Depends that
# dpkg-shlibdeps computed: it must name the package of every library the binaries need) and its
# contents with `dpkg-deb -c`; then extracts it with `dpkg -x` into a scratch root and runs the
# extracted usr/bin/artbag. Exits 77 only when a tool it needs is missing. Run by ctest (label
# install), which sets the environment below.
TEST_NAME=deb_test
CPACK_COMMAND=${CPACK_COMMAND:-cpack}
# shellcheck source-path=SCRIPTDIR source=harness.sh
. "$(dirname "$0")/harness.sh"

need "$CPACK_COMMAND" cmake
need dpkg-deb dpkg
need dpkg dpkg
need dpkg-query dpkg
need dpkg-shlibdeps dpkg-dev
need readelf binutils
need ldd libc-bin
[ -r "$ARTBAG_BUILD/CPackConfig.cmake" ] ||
    fail "no '$ARTBAG_BUILD/CPackConfig.cmake': is cmake/Install.cmake included?"
arch=$(dpkg --print-architecture) || fail "dpkg --print-architecture"

note "cpack -G DEB"
# -B keeps the package and CPack's staging tree (_CPack_Packages) in the temp directory.
# CPACK_CMAKE_GENERATOR=Ninja names a generator without a "preinstall" target, so cpack installs
# what the build made instead of first running `make preinstall`, which would rebuild (or fail
# to build) inside the shared build directory in the middle of a test run. Everything else is
# what `cpack -G DEB` in the build directory does.
"$CPACK_COMMAND" -G DEB --config "$ARTBAG_BUILD/CPackConfig.cmake" -B "$T/out" \
    -D CPACK_CMAKE_GENERATOR=Ninja >"$T/cpack.log" 2>&1 || {
    cat "$T/cpack.log" >&2
    fail "cpack -G DEB failed"
}
shopt -s nullglob
debs=("$T"/out/*.deb)
shopt -u nullglob
[ "${#debs[@]}" -eq 1 ] || fail "expected one .deb in $T/out, found ${#debs[@]}"
DEB=${debs[0]}
[ "$(basename "$DEB")" = "artbag_${ARTBAG_VERSION}_$arch.deb" ] ||
    fail "package file is '$(basename "$DEB")', expected 'artbag_${ARTBAG_VERSION}_$arch.deb'"

note "dpkg-deb -I"
dpkg-deb -I "$DEB" >"$T/info.txt" || fail "dpkg-deb -I cannot read the package"
cat "$T/info.txt"
field() { dpkg-deb -f "$DEB" "$1" || fail "dpkg-deb -f $1"; }
[ "$(field Package)" = artbag ] || fail "Package is [$(field Package)]"
[ "$(field Version)" = "$ARTBAG_VERSION" ] || fail "Version is [$(field Version)]"
[ "$(field Architecture)" = "$arch" ] || fail "Architecture is [$(field Architecture)]"
[ "$(field Section)" = utils ] || fail "Section is [$(field Section)]"
[ "$(field Priority)" = optional ] || fail "Priority is [$(field Priority)]"
field Maintainer | grep -Eq '^[^<>]+ <[^<>@ ]+@[^<>@ ]+>$' ||
    fail "Maintainer [$(field Maintainer)] is not 'Name <email>'"
field Description | head -n 1 | has 'BagIt' || fail "Description's first line does not say what artbag is"
[ "$(field Description | wc -l)" -ge 3 ] || fail "Description has no extended description"
field Installed-Size | grep -Eq '^[0-9]+$' || fail "no Installed-Size"
for ctl in control md5sums shlibs triggers; do
    grep -Eq "^ +[0-9]+ bytes, +[0-9]+ lines +\*? *$ctl( |\$)" "$T/info.txt" ||
        fail "no '$ctl' control file in the package"
done
dpkg-deb --ctrl-tarfile "$DEB" | tar -xOf - ./shlibs >"$T/shlibs" || fail "cannot read shlibs"
grep -Eq "^libartbag ${ARTBAG_VERSION%%.*} artbag \(>= $ARTBAG_VERSION\)\$" "$T/shlibs" ||
    fail "shlibs is [$(cat "$T/shlibs")]"
dpkg-deb --ctrl-tarfile "$DEB" | tar -xOf - ./triggers | has -x 'activate-noawait ldconfig' ||
    fail "the triggers control file does not activate ldconfig"

note "dpkg-deb -c"
dpkg-deb -c "$DEB" >"$T/contents.txt" || fail "dpkg-deb -c"
awk '{print $6}' "$T/contents.txt" | sed 's|^\./||; s|/$||' | sed '/^$/d' | LC_ALL=C sort >"$T/paths"
for p in usr/bin/artbag usr/include/artbag.h usr/share/man/man1/artbag.1 \
    usr/share/bash-completion/completions/artbag usr/share/artbag/show.schema.json \
    usr/share/artbag/metadata.schema.json; do
    grep -qx "$p" "$T/paths" || fail "the package lacks /$p"
done
for p in libartbag.a libartbag.so "libartbag.so.${ARTBAG_VERSION%%.*}" "libartbag.so.$ARTBAG_VERSION" \
    pkgconfig/artbag.pc; do
    grep -Eq "^usr/lib(/[^/]+)?/$p\$" "$T/paths" || fail "the package lacks /usr/lib/.../$p"
done
grep -v '^usr' "$T/paths" >"$T/outside" && fail "files outside /usr: $(tr '\n' ' ' <"$T/outside")"
awk '$2 != "root/root" {print}' "$T/contents.txt" >"$T/owners"
[ -s "$T/owners" ] && fail "entries not owned by root/root: $(cat "$T/owners")"
grep -q '_CPack_Packages' "$T/paths" && fail "the staging directory leaked into the package"

note "dpkg -x into a scratch root"
R=$T/root
dpkg -x "$DEB" "$R" || fail "dpkg -x failed"
A=$R/usr/bin/artbag
[ -x "$A" ] || fail "no executable usr/bin/artbag in the package"
got=$("$A" --version) || fail "the packaged artbag --version failed"
[ "$got" = "artbag $ARTBAG_VERSION" ] || fail "the packaged artbag --version says [$got]"
echo "$got"
mkdir w
"$A" pack "$ARTBAG_SEED" -o w/story.tar.gz --mtime 1419206400 -q || fail "the packaged artbag cannot pack"
"$A" verify -q w/story.tar.gz || fail "the packaged artbag cannot verify its own bundle"
pc=$(find "$R/usr/lib" -name artbag.pc) || fail "no artbag.pc"
grep -qx 'prefix=/usr' "$pc" || fail "the packaged artbag.pc does not say prefix=/usr"
grep -rlF -e "$T" -e "$ARTBAG_BUILD/" "$R" >"$T/leaks" && fail "files naming the build or staging directory: $(cat "$T/leaks")"

note "Depends names the package of every library the binaries need"
depends=$(field Depends)
[ -n "$depends" ] || fail "no Depends: dpkg-shlibdeps computed nothing"
echo "Depends: $depends"
lib=$(find "$R/usr/lib" -name "libartbag.so.$ARTBAG_VERSION")
for elf in "$A" "$lib"; do
    readelf -d "$elf" | sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p' >"$T/needed" || fail "readelf -d $elf"
    [ -s "$T/needed" ] || fail "'$elf' needs no library at all?"
    while read -r so; do
        path=$(ldd "$elf" | awk -v so="$so" '$1 == so {print $3}')
        if [ -z "$path" ] || [ ! -e "$path" ]; then fail "cannot resolve $so for $elf"; fi
        pkg=
        for candidate in "$path" "$(readlink -f "$path")" "${path#/usr}" "/usr$path"; do
            pkg=$(dpkg-query -S "$candidate" 2>/dev/null | head -n 1 | cut -d: -f1) && [ -n "$pkg" ] && break
        done
        [ -n "$pkg" ] || fail "no Debian package owns $path ($so)"
        printf '%s\n' "$depends" | tr ',' '\n' | sed 's/^ *//; s/[ :(].*//' | has -x "$pkg" ||
            fail "Depends lacks $pkg, which provides $so for $(basename "$elf")"
    done <"$T/needed"
done

note "ok: $(basename "$DEB"), $(wc -l <"$T/paths") entries"
