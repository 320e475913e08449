#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
# What the next run may remove: only a temporary whose name matches artbag's exact pattern,
# made by a process that is gone, of the right type and owned by us. A live writer's
# temporary, a name that merely looks similar, a symbolic link and another bundle's temporary
# are all kept.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

mkdir out dest victim
cp "$ARTBAG_SEED" seed.md
"$ARTBAG" pack seed.md -o seed.tar.gz --mtime 0 -q || fail "pack"

# A pid that is certainly dead: a subshell that has exited (pids are not reused this fast).
dead=$(sh -c 'echo $$')
sleep 30 &
live=$!
on_exit kill "$live"

keep_pack=(
    ".x.tar.gz.artbag-tmp-$live-AbC123"     # live writer
    ".x.tar.gz.artbag-tmp-AbC123"           # no pid: cannot tell, kept
    ".x.tar.gz.artbag-tmp-$dead-AbC12"      # 5 random characters
    ".x.tar.gz.artbag-tmp-$dead-AbC1234"    # 7
    ".x.tar.gz.artbag-tmp-$dead-AbC12_"     # not mkstemp's alphabet
    ".x.tar.gz.artbag-tmp-0$dead-AbC123"    # leading zero
    ".y.tar.gz.artbag-tmp-$dead-AbC123"     # another bundle's
    "x.tar.gz.artbag-tmp-$dead-AbC123"      # no dot
    ".x.tar.gz.artbag-tmp-$dead-AbC123.bak"
)
for n in "${keep_pack[@]}"; do echo keep >"out/$n"; done
ln -s ../victim/file "out/.x.tar.gz.artbag-tmp-$dead-LiNk01" # a link is never ours to remove
echo precious >victim/file
mkdir "out/.x.tar.gz.artbag-tmp-$dead-DiR001"                # nor is a directory
echo stale >"out/.x.tar.gz.artbag-tmp-$dead-DeAd01"

expect_exit 0 "$ARTBAG" pack seed.md -o out/x.tar.gz --mtime 0 -q
[ -e "out/.x.tar.gz.artbag-tmp-$dead-DeAd01" ] &&
    discrepancy "pack did not remove a dead writer's temporary (pid in the name not wired?)"
for n in "${keep_pack[@]}" ".x.tar.gz.artbag-tmp-$dead-LiNk01" ".x.tar.gz.artbag-tmp-$dead-DiR001"; do
    [ -e "out/$n" ] || [ -L "out/$n" ] || fail "pack removed '$n', which is not a stale temporary"
done
assert_eq precious "$(cat victim/file)" "the link's target"

keep_unpack=(
    ".artbag-unpack-$live-AbC123"
    ".artbag-unpack-AbC123"
    ".artbag-unpack-$dead-AbC12"
    ".artbag-unpack-$dead-AbC12x.old"
    ".artbag-unpackx-$dead-AbC123"
)
for n in "${keep_unpack[@]}"; do mkdir "dest/$n" && echo keep >"dest/$n/f"; done
ln -s ../victim "dest/.artbag-unpack-$dead-LiNk01"
echo f >"dest/.artbag-unpack-$dead-FiLe01" # a file where a directory is expected
mkdir -p "dest/.artbag-unpack-$dead-DeAd01/story/data" && echo x >"dest/.artbag-unpack-$dead-DeAd01/story/data/a"

expect_exit 0 "$ARTBAG" unpack seed.tar.gz -C dest
[ -e "dest/.artbag-unpack-$dead-DeAd01" ] &&
    discrepancy "unpack did not remove a dead unpack's temporary (pid in the name not wired?)"
for n in "${keep_unpack[@]}" ".artbag-unpack-$dead-LiNk01" ".artbag-unpack-$dead-FiLe01"; do
    [ -e "dest/$n" ] || [ -L "dest/$n" ] || fail "unpack removed '$n', which is not a stale temporary"
done
assert_eq precious "$(cat victim/file)" "the link's target"
[ -d dest/seed ] || fail "unpack did not unpack"
discrepancies_end
exit 0
