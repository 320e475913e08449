#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
#
# layers.sh - src/lib stays in its layers (README.md, "How the code is laid out"): a file
# includes only the headers of the layers its own may use, and the libraries of its layer, and
# nobody includes the internal.h that once held them all. With ARTBAG_OBJDIR (the object
# directory of libartbag's sources) it also reads the objects' symbols and fails on a call that
# runs up or across the layers: what an #include cannot show, such as a declaration copied by
# hand. Run by ctest (label lint); prints each offending line and exits 1.
set -u
set -o pipefail
export LC_ALL=C
SRC=${ARTBAG_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$SRC/src/lib" || exit 4

# layer PATH: the layer of a file below src/lib; the operations at the top (and audit/, an
# operation with a folder of its own) are "top".
layer() {
    case $1 in
    util/* | crypto/* | article/* | bagit/* | archive/*) echo "${1%%/*}" ;;
    *) echo top ;;
    esac
}

# The project headers each layer may include (besides artbag.h and its own folder's); a
# pattern per line. crypto/ has two headers so that bagit/ can have digests without keys.
may_include() {
    case $1 in
    util) echo 'util/util.h util/fs.h' ;;
    crypto) echo 'util/util.h util/fs.h' ;;
    article) echo 'util/util.h' ;;
    bagit) echo 'util/util.h crypto/digest.h' ;;
    archive) echo 'util/util.h util/fs.h crypto/digest.h bagit/bagit.h' ;;
    top) echo '*' ;;
    esac
}

# System and library headers that only some layers may include: the libraries of each layer,
# and the file system, which the pure layers never touch.
forbidden_system() {
    local only_archive='archive.h archive_entry.h zlib.h libdeflate.h lzma.h zstd.h zstd_errors.h'
    local fs='fcntl.h dirent.h fts.h ftw.h sys/stat.h sys/file.h unistd.h'
    # libmagic (attachments' media types) is attach.c's alone
    case $1 in
    util) echo "$only_archive openssl/* sqlite3.h yaml.h jansson.h magic.h" ;;
    crypto) echo "$only_archive sqlite3.h yaml.h jansson.h magic.h" ;;
    article) echo "$only_archive openssl/* sqlite3.h magic.h $fs" ;;
    bagit) echo "$only_archive openssl/* sqlite3.h yaml.h magic.h $fs" ;;
    archive) echo "openssl/* sqlite3.h yaml.h magic.h" ;;
    top) case $2 in
        audit/*) echo "$only_archive yaml.h magic.h" ;;
        attach.c) echo "$only_archive openssl/* sqlite3.h yaml.h" ;;
        *) echo "$only_archive openssl/* sqlite3.h yaml.h magic.h" ;;
        esac ;;
    esac
}

bad=0
complain() {
    echo "layers: $*"
    bad=1
}

while IFS= read -r -d '' f; do
    f=${f#./}
    L=$(layer "$f")
    own=${f%/*}
    [ "$own" = "$f" ] && own=.
    while IFS= read -r line; do
        no=${line%%:*}
        inc=${line#*:}
        if [[ $inc =~ ^[[:space:]]*#[[:space:]]*include[[:space:]]*\"([^\"]+)\" ]]; then
            h=${BASH_REMATCH[1]}
            # audit/ includes its own header by its bare name
            [ "$own" != . ] && [ -e "$own/$h" ] && h=$own/$h
            case $h in
            *internal.h) complain "$f:$no: includes '$h', which is gone: include the layer headers" ;;
            artbag.h | "$own"/*) ;;
            *)
                ok=0
                for pat in $(may_include "$L"); do
                    # shellcheck disable=SC2053
                    [[ $h == $pat ]] && ok=1
                done
                [ "$L" = top ] || [ $ok = 1 ] ||
                    complain "$f:$no: layer $L may not include '$h'"
                ;;
            esac
        elif [[ $inc =~ ^[[:space:]]*#[[:space:]]*include[[:space:]]*\<([^\>]+)\> ]]; then
            h=${BASH_REMATCH[1]}
            for pat in $(forbidden_system "$L" "$f"); do
                # shellcheck disable=SC2053
                [[ $h == $pat ]] && complain "$f:$no: layer $L may not include <$h>"
            done
        fi
    done < <(grep -n '^[[:space:]]*#[[:space:]]*include' "$f")
done < <(find . -name '*.[ch]' -print0 | sort -z)

# Nobody outside src/lib includes internal.h either (tests, fuzz targets, benchmarks).
if grep -rn --include='*.[ch]' '#[[:space:]]*include[[:space:]]*"\(\.\./\)*internal\.h"' \
    "$SRC/tests" "$SRC/src/cli" 2>/dev/null; then
    complain "the files above include internal.h, which is gone"
fi

# Calls, from the objects: caller layer -> callee layer must be a use the layers allow.
may_call() { # CALLER CALLEE_FILE
    case $1 in
    util) [[ $2 == util/* ]] ;;
    crypto) [[ $2 == util/* || $2 == crypto/* ]] ;;
    article) [[ $2 == util/* || $2 == article/* ]] ;;
    bagit) [[ $2 == util/* || $2 == bagit/* || $2 == crypto/digest.* || $2 == crypto/hasher.* ]] ;;
    archive) [[ $2 == util/* || $2 == archive/* || $2 == bagit/* || $2 == crypto/digest.* ||
        $2 == crypto/hasher.* ]] ;;
    top) true ;;
    esac
}
if [ -n "${ARTBAG_OBJDIR:-}" ]; then
    [ -d "$ARTBAG_OBJDIR" ] || {
        echo "layers: no object directory '$ARTBAG_OBJDIR'" >&2
        exit 4
    }
    declare -A def
    # (only objects of sources that still exist: a build tree keeps those of moved files)
    mapfile -t objs < <( (cd "$ARTBAG_OBJDIR" && find . -name '*.c.o') | sed 's|^\./||' | sort |
        while read -r o; do [ -e "${o%.o}" ] && echo "$o"; done)
    [ "${#objs[@]}" -gt 0 ] || {
        echo "layers: no objects in '$ARTBAG_OBJDIR'" >&2
        exit 4
    }
    for o in "${objs[@]}"; do
        while read -r sym; do
            def[$sym]=$o
        done < <(nm --defined-only "$ARTBAG_OBJDIR/$o" | awk '$2 ~ /^[TDBR]$/ && $3 ~ /^artbag_/ {print $3}')
    done
    for o in "${objs[@]}"; do
        L=$(layer "$o")
        while read -r sym; do
            callee=${def[$sym]:-}
            [ -n "$callee" ] || continue
            may_call "$L" "$callee" ||
                complain "${o%.o}: layer $L calls $sym in ${callee%.o}"
        done < <(nm -u "$ARTBAG_OBJDIR/$o" | awk '$2 ~ /^artbag_/ {print $2}')
    done
fi
exit $bad
