#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
#
# package_test.sh - builds the three Debian packages as a packager would and holds them to
# Debian's rules: a fresh build tree in a temp directory, configured for /usr with the flags
# dpkg-buildflags gives (hardening included) and without tests, then `cpack -G DEB`. Checks each
# package's control fields, Depends (dpkg-shlibdeps' plus the exact libartbag0), shlibs and
# ldconfig trigger, its exact list of files, the gzipped manual page and changelog, the DEP-5
# copyright; that the command needs libartbag.so.0 and has no run path; that the unpacked
# packages run; and that lintian reports no error and no warning that an override does not
# explain (each override preceded by a comment giving the reason). Exits 77 only when a tool it
# needs is missing. Run by ctest (label package), which sets the environment below.
TEST_NAME=package_test
CMAKE_COMMAND=${CMAKE_COMMAND:-cmake}
CPACK_COMMAND=${CPACK_COMMAND:-cpack}
# shellcheck source-path=SCRIPTDIR source=../install/harness.sh
. "$(dirname "$0")/../install/harness.sh"
V=$ARTBAG_VERSION
MAJOR=${V%%.*}
# The Debian revision: packaging/debian/changelog's first entry (cmake/Install.cmake insists it
# is PROJECT_VERSION-ARTBAG_DEB_RELEASE).
REL=$(sed -n '1s/^artbag ([^)]*-\([0-9][^)]*\)) .*/\1/p' "$ARTBAG_SRC/packaging/debian/changelog")
[ -n "$REL" ] || fail "no Debian revision in packaging/debian/changelog's first line"
DV=$V-$REL

need "$CMAKE_COMMAND" cmake
need "$CPACK_COMMAND" cmake
need dpkg-buildflags dpkg-dev
need dpkg-shlibdeps dpkg-dev
need dpkg-deb dpkg
need dpkg-query dpkg
need lintian lintian
need readelf binutils
need ldd libc-bin
need gzip gzip
arch=$(dpkg --print-architecture) || fail "dpkg --print-architecture"
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null) || multiarch=$(gcc -print-multiarch)
[ -n "$multiarch" ] || fail "cannot tell the multiarch directory"

note "configure and build $ARTBAG_SRC in $T/build (prefix /usr, dpkg-buildflags)"
# DEB_BUILD_MAINT_OPTIONS=hardening=+all: what a Debian package build asks for (bindnow too).
export DEB_BUILD_MAINT_OPTIONS=hardening=+all
CFLAGS="$(dpkg-buildflags --get CFLAGS) $(dpkg-buildflags --get CPPFLAGS)"
LDFLAGS=$(dpkg-buildflags --get LDFLAGS)
export CFLAGS LDFLAGS
# ARTBAG_WERROR=OFF as a distribution build does: a newer compiler's new warning should not
# stop a package build (the developer build keeps -Werror).
"$CMAKE_COMMAND" -S "$ARTBAG_SRC" -B "$T/build" -DCMAKE_BUILD_TYPE=None -DCMAKE_INSTALL_PREFIX=/usr \
    -DBUILD_TESTING=OFF -DARTBAG_WERROR=OFF >"$T/configure.log" 2>&1 || {
    cat "$T/configure.log" >&2
    fail "cmake configure failed"
}
nice "$CMAKE_COMMAND" --build "$T/build" -j"${ARTBAG_PACKAGE_JOBS:-2}" >"$T/build.log" 2>&1 || {
    tail -n 40 "$T/build.log" >&2
    fail "build failed"
}
unset CFLAGS LDFLAGS

note "cpack -G DEB"
(cd "$T/build" && "$CPACK_COMMAND" -G DEB -B "$T/out") >"$T/cpack.log" 2>&1 || {
    cat "$T/cpack.log" >&2
    fail "cpack -G DEB failed"
}
DEB_TOOL=$T/out/artbag_${DV}_$arch.deb
DEB_LIB=$T/out/libartbag${MAJOR}_${DV}_$arch.deb
DEB_DEV=$T/out/libartbag-dev_${DV}_$arch.deb
(cd "$T/out" && ls -- *.deb) | LC_ALL=C sort >"$T/debs.list"
printf '%s\n' "${DEB_TOOL##*/}" "${DEB_DEV##*/}" "${DEB_LIB##*/}" | LC_ALL=C sort >"$T/debs.want"
diff -u "$T/debs.want" "$T/debs.list" >&2 || fail "package files differ (- expected, + made)"

# field DEB NAME: the control field NAME of DEB.
field() { dpkg-deb -f "$1" "$2" || fail "dpkg-deb -f ${1##*/} $2"; }
# depends_on DEB PACKAGE: DEB's Depends names PACKAGE (the whole name, any version).
depends_on() { field "$1" Depends | tr ',' '\n' | sed 's/^ *//; s/[ :(].*//' | has -x "$2"; }
# contents DEB: the paths in DEB, one a line without ./ or a trailing /, symlinks as "P -> T".
contents() {
    dpkg-deb -c "$1" | awk '{ p = $6; for (i = 7; i <= NF; i++) p = p " " $i; print p }' |
        sed 's|^\./||; s|/$||' | sed '/^$/d' | LC_ALL=C sort
}

L=usr/lib/$multiarch
for deb in "$DEB_TOOL" "$DEB_LIB" "$DEB_DEV"; do
    b=${deb##*/}
    note "$b: control"
    dpkg-deb -I "$deb" >"$T/$b.info" || fail "dpkg-deb -I cannot read $b"
    [ "$(field "$deb" Version)" = "$DV" ] || fail "$b: Version is [$(field "$deb" Version)]"
    [ "$(field "$deb" Architecture)" = "$arch" ] || fail "$b: Architecture is wrong"
    [ "$(field "$deb" Source)" = artbag ] || fail "$b: Source is [$(field "$deb" Source)]"
    [ "$(field "$deb" Priority)" = optional ] || fail "$b: Priority is not optional"
    field "$deb" Maintainer | grep -Eq '^[^<>]+ <[^<>@ ]+@[^<>@ ]+>$' || fail "$b: Maintainer is not 'Name <email>'"
    [ "$(field "$deb" Description | wc -l)" -ge 3 ] || fail "$b: no extended description"
    field "$deb" Description | has 'BagIt' || fail "$b: Description does not say what artbag is"
    pkg=$(field "$deb" Package)
    # Every package carries its copyright (the DEP-5 file) and the Debian changelog.
    dpkg-deb --fsys-tarfile "$deb" | tar -xOf - "./usr/share/doc/$pkg/copyright" >"$T/$pkg.copyright" ||
        fail "$b: no /usr/share/doc/$pkg/copyright"
    cmp -s "$ARTBAG_SRC/packaging/debian/copyright" "$T/$pkg.copyright" ||
        fail "$b: copyright is not packaging/debian/copyright"
    dpkg-deb --fsys-tarfile "$deb" | tar -xOf - "./usr/share/doc/$pkg/changelog.Debian.gz" >"$T/$pkg.changelog.gz" ||
        fail "$b: no /usr/share/doc/$pkg/changelog.Debian.gz"
    gzip -dc "$T/$pkg.changelog.gz" | head -n 1 | has "^artbag ($DV) " ||
        fail "$b: the changelog's first entry is not $DV"
done
[ "$(field "$DEB_TOOL" Package)" = artbag ] || fail "artbag: Package field"
[ "$(field "$DEB_LIB" Package)" = "libartbag$MAJOR" ] || fail "libartbag$MAJOR: Package field"
[ "$(field "$DEB_DEV" Package)" = libartbag-dev ] || fail "libartbag-dev: Package field"
[ "$(field "$DEB_TOOL" Section)" = utils ] || fail "artbag: Section is not utils"
[ "$(field "$DEB_LIB" Section)" = libs ] || fail "libartbag$MAJOR: Section is not libs"
[ "$(field "$DEB_DEV" Section)" = libdevel ] || fail "libartbag-dev: Section is not libdevel"

note "Depends: the command and the development files need this very libartbag$MAJOR"
for deb in "$DEB_TOOL" "$DEB_DEV"; do
    field "$deb" Depends | tr ',' '\n' | has -Fx -e " libartbag$MAJOR (= $DV)" -e "libartbag$MAJOR (= $DV)" ||
        fail "${deb##*/}: Depends [$(field "$deb" Depends)] lacks 'libartbag$MAJOR (= $DV)'"
done
depends_on "$DEB_LIB" artbag && fail "libartbag$MAJOR depends on the command"
# pkg-config resolves artbag.pc's Requires.private for every use, so their .pc files must be there.
for p in libarchive-dev zlib1g-dev libdeflate-dev libssl-dev libjansson-dev libyaml-dev libmd4c-dev \
    liburiparser-dev; do
    depends_on "$DEB_DEV" "$p" || fail "libartbag-dev does not depend on $p (artbag.pc Requires.private)"
done
dpkg-deb --ctrl-tarfile "$DEB_LIB" | tar -xOf - ./shlibs >"$T/shlibs" || fail "libartbag$MAJOR has no shlibs"
grep -Eqx "libartbag $MAJOR libartbag$MAJOR \(>= $DV\)" "$T/shlibs" || fail "shlibs is [$(cat "$T/shlibs")]"
dpkg-deb --ctrl-tarfile "$DEB_LIB" | tar -xOf - ./triggers | has -x 'activate-noawait ldconfig' ||
    fail "libartbag$MAJOR does not activate the ldconfig trigger"
for deb in "$DEB_TOOL" "$DEB_DEV"; do
    dpkg-deb --ctrl-tarfile "$deb" | tar -tf - | has -E '^\./(triggers|postinst|postrm)$' &&
        fail "${deb##*/} has maintainer scripts or triggers; only the library needs ldconfig"
done

note "each package holds exactly its files"
{
    printf '%s\n' usr usr/bin usr/bin/artbag usr/share usr/share/artbag usr/share/bash-completion \
        usr/share/bash-completion/completions usr/share/bash-completion/completions/artbag \
        usr/share/doc usr/share/doc/artbag usr/share/doc/artbag/changelog.Debian.gz \
        usr/share/doc/artbag/copyright usr/share/man usr/share/man/man1 usr/share/man/man1/artbag.1.gz
    (cd "$ARTBAG_SRC/manifests" && find . -mindepth 1 -printf 'usr/share/artbag/%P\n')
} | LC_ALL=C sort >"$T/tool.want"
{
    printf '%s\n' usr usr/lib "$L" "$L/libartbag.so.$V" "$L/libartbag.so.$MAJOR -> libartbag.so.$V" \
        usr/share usr/share/doc "usr/share/doc/libartbag$MAJOR" \
        "usr/share/doc/libartbag$MAJOR/changelog.Debian.gz" "usr/share/doc/libartbag$MAJOR/copyright" \
        usr/share/lintian usr/share/lintian/overrides "usr/share/lintian/overrides/libartbag$MAJOR"
} | LC_ALL=C sort >"$T/lib.want"
{
    printf '%s\n' usr usr/include usr/include/artbag.h usr/lib "$L" "$L/libartbag.a" \
        "$L/libartbag.so -> libartbag.so.$MAJOR" "$L/pkgconfig" "$L/pkgconfig/artbag.pc" \
        "$L/cmake" "$L/cmake/artbag" "$L/cmake/artbag/artbagConfig.cmake" \
        "$L/cmake/artbag/artbagConfigVersion.cmake" "$L/cmake/artbag/artbagTargets.cmake" \
        "$L/cmake/artbag/artbagTargets-none.cmake" \
        usr/share usr/share/doc usr/share/doc/libartbag-dev \
        usr/share/doc/libartbag-dev/changelog.Debian.gz usr/share/doc/libartbag-dev/copyright
} | LC_ALL=C sort >"$T/dev.want"
for x in tool:"$DEB_TOOL" lib:"$DEB_LIB" dev:"$DEB_DEV"; do
    contents "${x#*:}" >"$T/${x%%:*}.got"
    diff -u "$T/${x%%:*}.want" "$T/${x%%:*}.got" >&2 ||
        fail "${x#*:}: contents differ (- expected, + packaged)"
    dpkg-deb -c "${x#*:}" | awk '$2 != "root/root"' | has . && fail "${x#*:}: entries not owned by root"
done

note "unpack the three packages into one root"
R=$T/root
for deb in "$DEB_TOOL" "$DEB_LIB" "$DEB_DEV"; do
    dpkg -x "$deb" "$R" || fail "dpkg -x ${deb##*/}"
done
A=$R/usr/bin/artbag
readelf -d "$A" >"$T/artbag.dyn" || fail "readelf -d artbag"
has "(NEEDED).*\[libartbag.so.$MAJOR\]" "$T/artbag.dyn" || fail "the packaged command does not link libartbag.so.$MAJOR"
has -E 'RPATH|RUNPATH' "$T/artbag.dyn" && fail "the packaged command has a run path: $(grep -E 'RPATH|RUNPATH' "$T/artbag.dyn")"
readelf -d "$R/$L/libartbag.so.$V" | has -E 'RPATH|RUNPATH' && fail "the packaged library has a run path"
readelf -d "$R/$L/libartbag.so.$V" | has "(SONAME).*\[libartbag.so.$MAJOR\]" || fail "SONAME is not libartbag.so.$MAJOR"
# gzip -n: no name and no time stamp in the header (bytes 4-7 zero, FNAME bit clear).
for gz in usr/share/man/man1/artbag.1.gz usr/share/doc/artbag/changelog.Debian.gz; do
    read -r -a hdr < <(od -An -tu1 -N8 "$R/$gz")
    [ "${hdr[0]} ${hdr[1]}" = "31 139" ] || fail "/$gz is not gzip"
    [ $((hdr[3] & 8)) -eq 0 ] && [ "${hdr[*]:4:4}" = "0 0 0 0" ] || fail "/$gz keeps a name or time stamp (gzip -n)"
done
gzip -dc "$R/usr/share/man/man1/artbag.1.gz" | cmp -s - "$ARTBAG_SRC/doc/artbag.1" || fail "the manual page is not doc/artbag.1"
grep -qx 'prefix=/usr' "$R/$L/pkgconfig/artbag.pc" || fail "artbag.pc does not say prefix=/usr"
got=$(LD_LIBRARY_PATH=$R/$L "$A" --version) || fail "the packaged artbag --version failed"
[ "$got" = "artbag $V" ] || fail "the packaged artbag --version says [$got]"
LD_LIBRARY_PATH=$R/$L ldd "$A" | has "libartbag.so.$MAJOR => $R/$L/libartbag.so.$MAJOR " ||
    fail "the packaged command does not load the packaged library"
mkdir w
LD_LIBRARY_PATH=$R/$L "$A" pack "$ARTBAG_SEED" -o w/story.tar.gz --mtime 1419206400 -q || fail "the packaged artbag cannot pack"
LD_LIBRARY_PATH=$R/$L "$A" verify -q w/story.tar.gz || fail "the packaged artbag cannot verify its own bundle"
grep -rlF -e "$T" -e "$ARTBAG_BUILD/" "$R" >"$T/leaks" && fail "files naming the build directory: $(cat "$T/leaks")"

note "Depends names the package of every library the binaries need"
for x in "$DEB_TOOL:usr/bin/artbag" "$DEB_LIB:$L/libartbag.so.$V"; do
    deb=${x%%:*}
    elf=$R/${x#*:}
    depends=$(field "$deb" Depends)
    readelf -d "$elf" | sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p' >"$T/needed" || fail "readelf -d $elf"
    while read -r so; do
        [ "$so" = "libartbag.so.$MAJOR" ] && continue # checked above: libartbag0 (= version)
        # "libz.so.1 => /path (addr)"; the dynamic loader, needed by code using thread-local
        # storage (__tls_get_addr), is listed by its path alone: "/lib64/ld-linux-x86-64.so.2".
        path=$(LD_LIBRARY_PATH=$R/$L ldd "$elf" |
            awk -v so="$so" '$1 == so {print $3} $2 != "=>" && substr($1, length($1) - length(so)) == "/" so {print $1}')
        [ -n "$path" ] && [ -e "$path" ] || fail "cannot resolve $so for ${elf##*/}"
        pkg=
        for candidate in "$path" "$(readlink -f "$path")" "${path#/usr}" "/usr$path"; do
            pkg=$(dpkg-query -S "$candidate" 2>/dev/null | head -n 1 | cut -d: -f1) && [ -n "$pkg" ] && break
        done
        [ -n "$pkg" ] || fail "no Debian package owns $path ($so)"
        depends_on "$deb" "$pkg" || fail "${deb##*/}: Depends [$depends] lacks $pkg, which provides $so"
    done <"$T/needed"
done

note "lintian overrides give their reasons"
for o in "$ARTBAG_SRC"/packaging/debian/*.lintian-overrides; do
    [ -e "$o" ] || continue
    awk -v f="${o##*/}" '
        /^#/ { reason = 1; next }
        /^[[:space:]]*$/ { reason = 0; next }
        !reason { print f ": override without a reason comment above it: " $0; bad = 1 }
        END { exit bad }' "$o" >&2 || fail "lintian override without a reason"
done

note "lintian"
# --fail-on error,warning: an error or a warning not overridden fails; info and pedantic tags
# are printed for the record. (Not --show-overrides: with it, lintian 2.116 fails on the
# overridden warnings too. What is waived, and why, is in packaging/debian/*.lintian-overrides.)
lintian --fail-on error,warning --display-info "$DEB_TOOL" "$DEB_LIB" "$DEB_DEV" >"$T/lintian.log" 2>&1
rc=$?
grep -v 'running with root privileges' "$T/lintian.log"
[ "$rc" -eq 0 ] || fail "lintian exited $rc"
has -E '^[EW]: ' "$T/lintian.log" && fail "lintian reports an error or a warning"
# An override that no longer matches anything explains nothing: drop it.
has -E 'unused-override|mismatched-override' "$T/lintian.log" && fail "lintian reports an unused override"

note "ok: $(wc -l <"$T/tool.got") + $(wc -l <"$T/lib.got") + $(wc -l <"$T/dev.got") entries in three packages, lintian clean"
