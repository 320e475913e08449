#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
# SIGKILL during pack, at several points: while it reads a slow pipe, while it writes the
# temporary bundle, and around the rename. After each kill: nothing under the bundle's name, or
# a complete bundle that verifies (the kill came after the rename); any other file is a
# recognisable temporary; the input untouched; and the next run removes the temporary and packs.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

mkdir in out
big_article in/big.md 40
cp "$ARTBAG_SEED" in/seed.md
sha256sum in/* >inputs.sha256
RE=$(pack_temp_re x.tar.gz)

# after_kill HOW: the checks after pack was killed.
after_kill() {
    local how=$1 s
    sha256sum --quiet -c inputs.sha256 || fail "$how: an input changed"
    s=$(strays out "$RE" x.tar.gz)
    [ -z "$s" ] || fail "$how: unrecognisable files left: $s"
    if [ -e out/x.tar.gz ]; then
        note "$how: the kill came after the rename; the bundle must be whole"
        expect_exit 0 "$ARTBAG" verify out/x.tar.gz
        rm out/x.tar.gz
    fi
    left=$(temps out "$RE")
    [ -n "$left" ] && note "$how: left ${left//$'\n'/ }"
    # The next run removes what a dead pack left and succeeds.
    expect_exit 0 "$ARTBAG" pack in/seed.md -o out/x.tar.gz --mtime 0 -q
    s=$(listing out)
    [ "$s" = "x.tar.gz " ] || discrepancy "$how: the next pack did not remove the temporary file(s): $s"
    # Leave out/ empty for the next case, whatever happened.
    find out -mindepth 1 -delete
}

note "killed while reading a slow pipe: 0.2, 0.5 and 0.8 s"
for t in 0.2 0.5 0.8; do
    slow_feed in/big.md 1000000 | "$ARTBAG" pack - -o out/x.tar.gz --mtime 0 -q &
    # $! is the last process of the pipeline: artbag
    kill_after "$t" $!
    after_kill "slow pipe, kill at ${t}s"
done

note "killed while writing the temporary bundle, at several points after it appears"
for d in 0 0.1 0.3 0.6 1.0 2.0; do
    "$ARTBAG" pack in/big.md -o out/x.tar.gz --mtime 0 -q &
    pid=$!
    wait_for_name out "$RE" 30 || note "no temporary file seen before the kill"
    kill_after "$d" "$pid"
    after_kill "write phase, kill ${d}s after the temporary appeared"
done

note "killed at fixed times from the start: 0.2, 0.5, 0.8 s"
for t in 0.2 0.5 0.8; do
    "$ARTBAG" pack in/big.md -o out/x.tar.gz --mtime 0 -q &
    kill_after "$t" $!
    after_kill "kill at ${t}s"
done

note "--force over an existing bundle, killed mid-write: the old bundle survives whole"
# Packing is reproducible, so the new bundle's bytes are known: after the kill the name must
# hold the old bundle or the new one, byte for byte, never a mix or a part.
mkdir ref
expect_exit 0 "$ARTBAG" pack in/big.md -o ref/new.tar.gz --mtime 0 -q
expect_exit 0 "$ARTBAG" pack in/seed.md -o out/x.tar.gz --mtime 0 -q
sha256sum out/x.tar.gz >old.sha256
"$ARTBAG" pack in/big.md -o out/x.tar.gz --mtime 0 -q --force &
pid=$!
wait_for_name out "$RE" 30 || note "no temporary file seen before the kill"
kill_after 0.02 "$pid"
if cmp -s out/x.tar.gz ref/new.tar.gz; then
    note "the kill came after the rename: the new bundle is whole"
else
    sha256sum --quiet -c old.sha256 || fail "the old bundle changed after a killed --force pack"
fi
s=$(strays out "$RE" x.tar.gz)
[ -z "$s" ] || fail "unrecognisable files left: $s"
expect_exit 0 "$ARTBAG" pack in/seed.md -o out/x.tar.gz --mtime 0 -q --force
[ "$(listing out)" = "x.tar.gz " ] ||
    discrepancy "--force: the next pack did not remove the temporary file(s): $(listing out)"
discrepancies_end
exit 0
