#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
# Permission failures, which root never sees: run artbag as an unprivileged user (nobody) against
# an article it may not read and an output directory it may not write. Exit 3, a message, nothing
# left behind. Skipped (77) where we are not root or cannot switch users.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

[ "$(id -u)" -eq 0 ] || skip "needs root to switch to an unprivileged user"
command -v setpriv >/dev/null || skip "no setpriv"
as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
chmod 755 "$T"
as_nobody test -x "$ARTBAG" || skip "user nobody cannot run '$ARTBAG'"
as_nobody test -r "$ARTBAG_SEED" || skip "user nobody cannot read '$ARTBAG_SEED'"

mkdir in out locked
cp "$ARTBAG_SEED" in/locked.md
chmod 000 in/locked.md
chown 65534:65534 out
chmod 755 locked
as_nobody test -r in/locked.md && skip "chmod 000 does not stop user nobody here"
before=$(sha256sum in/locked.md)

note "an article nobody may read"
expect_exit 3 as_nobody "$ARTBAG" pack in/locked.md -o out/x.tar.gz
assert_stdout_empty
assert_eq "artbag: pack: 'in/locked.md': Permission denied" "$(head -n 1 "$T/stderr")" "message"
assert_dir_holds out
assert_eq "$before" "$(sha256sum in/locked.md)" "the unreadable article"
assert_eq 0 "$(stat -c %a in/locked.md)" "mode of the unreadable article"

note "an output directory nobody may write"
expect_exit 3 as_nobody "$ARTBAG" pack "$ARTBAG_SEED" -o locked/x.tar.gz
assert_stdout_empty
assert_contains "$(head -n 1 "$T/stderr")" "artbag: pack: " "message"
assert_dir_holds locked

note "and both fine once allowed"
expect_exit 0 as_nobody "$ARTBAG" pack "$ARTBAG_SEED" -o out/x.tar.gz -q --mtime 0
assert_dir_holds out x.tar.gz
exit 0
