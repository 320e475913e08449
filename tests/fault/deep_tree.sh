#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
# Trees of any depth that unpack creates, it can also remove: a refused unpack of a bag 2,000
# directories deep leaves no temporary behind, and --force replaces such a bag. Removal keeps
# one directory open at a time (a descriptor per level ran out at about a thousand levels).
. "$(dirname "$0")/lib.sh"

# deep_bag NAME LISTED: a bundle whose payload holds data/d/d/.../x, 2,000 levels deep (a
# 4,000-byte path, under the 4,095 bytes verify allows); listed in the manifest or not.
deep_bag() {
    local name=$1 listed=$2
    "$PY" - "$name" "$listed" <<'PY' || fail "cannot make $1"
import hashlib, io, sys, tarfile, time
name, listed = sys.argv[1], sys.argv[2] == "1"
deep = "data/" + "d/" * 2000 + "x"
payload = {"data/a.txt": b"a\n", deep: b"deep\n"}
man = "".join("%s  %s\n" % (hashlib.sha256(b).hexdigest(), p)
              for p, b in payload.items() if listed or p != deep).encode()
size = sum(len(b) for b in payload.values())
tags = {"bagit.txt": b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n",
        "bag-info.txt": b"Payload-Oxum: %d.%d\n" % (size, len(payload)),
        "manifest-sha256.txt": man}
with tarfile.open(name + ".tar.gz", "w:gz", format=tarfile.PAX_FORMAT) as t:
    for p, b in list(tags.items()) + list(payload.items()):
        ti = tarfile.TarInfo(name + "/" + p)
        ti.size, ti.mtime = len(b), 1700000000
        t.addfile(ti, io.BytesIO(b))
PY
}

# Few descriptors, as on a system with a low limit: enough for artbag, far fewer than levels.
ulimit -n 256 || fail "cannot lower the descriptor limit"
mkdir dest
deep_bag refused 0
# 2,000 levels is over the default --max-depth (128): refused unjudged, nothing left behind.
expect_exit 3 "$ARTBAG" unpack refused.tar.gz -C dest
assert_contains "$ERR" "raise with --max-depth" "the depth budget"
assert_dir_holds dest
expect_exit 1 "$ARTBAG" unpack --max-depth 2100 refused.tar.gz -C dest
assert_contains "$OUT" "not listed in manifest-sha256.txt" "why the deep bag is refused"
assert_dir_holds dest # nothing left: no .artbag-unpack-* temporary

deep_bag deep 1
expect_exit 0 "$ARTBAG" unpack --max-depth 2100 deep.tar.gz -C dest -q
[ -f "dest/deep/data/a.txt" ] || fail "the deep bag was not restored"
expect_exit 0 "$ARTBAG" unpack --max-depth 2100 deep.tar.gz -C dest -q --force
assert_dir_holds dest deep
expect_exit 0 "$ARTBAG" verify dest/deep
