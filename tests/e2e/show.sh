#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
# artbag show says what a bundle holds without unpacking it: the metadata, the files with the
# digests the manifest records (compared with sha256sum's), and bag-info.txt.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

"$ARTBAG" pack "$ARTBAG_SEED" -o story.tar.gz --mtime 1419206400 --org "Test Archive" \
    --meta "Contact-Name=Jane Roe" -q || fail "pack failed"
tar -xzf story.tar.gz || fail "GNU tar could not extract"

note "text"
expect_exit 0 "$ARTBAG" show story.tar.gz
assert_contains "$OUT" "title:      China condemns 'cyber terrorism' in wake of Sony attack" "title"
assert_contains "$OUT" "published:  2014-12-22" "published"
assert_contains "$OUT" "source:     https://phys.org/news/2014-12-china-condemns-cyber-terrorism-sony.html" "source"
assert_contains "$OUT" "retrieved:  2024-05-24" "retrieved"
assert_contains "$OUT" "credit:     AFP" "credit"
assert_contains "$OUT" "Contact-Name: Jane Roe" "bag-info element"
for f in data/article.md data/metadata.json; do
    sum=$(sha256sum "story/$f" | cut -d' ' -f1)
    size=$(size_of "story/$f")
    line=$(grep -F "  $f " "$T/stdout") || fail "no line for $f"
    assert_contains "$line" "sha256:$sum" "digest of $f"
    assert_contains "$line" " $size " "size of $f"
done

note "json, from the file, the directory and standard input"
for src in story.tar.gz story -; do
    if [ "$src" = - ]; then
        expect_exit_stdin 0 story.tar.gz "$ARTBAG" show --json -
    else
        expect_exit 0 "$ARTBAG" show --json "$src"
    fi
    "$PY" - "$T/stdout" "$T/story" <<'PY' || fail "show --json of $src"
import hashlib, json, os, sys
doc = json.load(open(sys.argv[1]))
bag = sys.argv[2]
meta = json.load(open(os.path.join(bag, "data/metadata.json")))
assert doc["bag"] == "story", doc["bag"]
assert doc["metadata"] == meta, "metadata differs"
labels = [e["label"] for e in doc["bag_info"]]
assert labels[0] == "Source-Organization" and labels[-1] == "Contact-Name", labels
for f in doc["files"]:
    data = open(os.path.join(bag, f["path"]), "rb").read()
    assert f["bytes"] == len(data), f
    assert f["algorithm"] == "sha256" and f["digest"] == hashlib.sha256(data).hexdigest(), f
assert sorted(f["path"] for f in doc["files"]) == ["data/article.md", "data/metadata.json"]
PY
done

note "errors"
expect_exit 2 "$ARTBAG" show
expect_exit 2 "$ARTBAG" show --bogus story.tar.gz
expect_exit 3 "$ARTBAG" show no-such.tar.gz
mkdir notabag
expect_exit 1 "$ARTBAG" show notabag
assert_contains "$ERR" "not a BagIt bag" "not-a-bag message"
head -c 600 story.tar.gz >cut.tar.gz
expect_exit 1 "$ARTBAG" show cut.tar.gz
