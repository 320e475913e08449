#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
# Audits sharded over a cluster, on one machine: four shards run concurrently (xargs -P 4), each
# with its own ledger; artbag audit merge joins them; the merged ledger holds exactly the events
# of one unsharded audit, event for event apart from time, duration, host and chain (as the
# sqlite3 CLI reads them). The split depends only on paths relative to PATH, so a copy of the
# tree elsewhere splits the same. A merge keeps every chain intact, is not repeated by a second
# merge, and refuses an input whose chain is broken.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

command -v sqlite3 >/dev/null || skip "no sqlite3 command (scripts/deps.sh installs it)"
mkdir -p arch/x/y arch/z art
for i in $(seq 1 14); do
    d=arch
    [ $((i % 3)) -eq 1 ] && d=arch/x/y
    [ $((i % 3)) -eq 2 ] && d=arch/z
    expect_exit 0 "$ARTBAG" pack "$ARTBAG_SEED" -o $d/b$i.tar.gz -q --title "Story $i" --url "https://example.org/$i"
done
head -c 2000 /dev/urandom >arch/z/junk.tar.gz # an invalid one too

# The columns that must agree: everything but when, how long, where, and which chain.
cols="path, outcome, identity, identity_file, external_identifier, payload_oxum, size, mtime, problems"
rows() { sqlite3 -batch "$1" "SELECT $cols FROM events ORDER BY path" || fail "sqlite3 $1"; }

note "four shards at once"
# (the shard comes as $3: xargs -I would replace its mark inside "$T" as well)
printf '%s\n' 1 2 3 4 | xargs -P 4 -n 1 sh -c '"$1" audit --ledger "$2/shard-$3.sqlite" --shard "$3/4" -j 1 -q "$2/arch" >"$2/shard-$3.out" 2>&1; echo $? >"$2/shard-$3.rc"' _ "$ARTBAG" "$T"
total=0
for k in 1 2 3 4; do
    rc=$(cat shard-$k.rc)
    [ "$rc" -eq 0 ] || [ "$rc" -eq 1 ] || fail "shard $k exited $rc: $(cat shard-$k.out)"
    n=$(sqlite3 shard-$k.sqlite "SELECT count(*) FROM events")
    [ "$n" -ge 1 ] || fail "shard $k checked nothing: an uneven split for 15 bundles"
    total=$((total + n))
done
assert_eq 15 "$total" "events over the four shards"
expect_exit 0 "$ARTBAG" audit merge merged.sqlite shard-1.sqlite shard-2.sqlite shard-3.sqlite shard-4.sqlite
assert_stdout_empty
expect_exit 1 "$ARTBAG" audit --ledger whole.sqlite -q arch
rows whole.sqlite >whole.rows
rows merged.sqlite >merged.rows
diff -u whole.rows merged.rows >&2 || fail "the merged shards differ from one unsharded audit"
assert_eq 15 "$(sqlite3 merged.sqlite "SELECT count(DISTINCT path) FROM events")" "each bundle once"
expect_exit 0 "$ARTBAG" audit check-ledger --ledger merged.sqlite
assert_contains "$OUT" "15 events, every chain intact" "the merged chains"
assert_eq 4 "$(sqlite3 merged.sqlite "SELECT count(*) FROM audits")" "the four shards' audits"

note "merging again adds nothing"
expect_exit 0 "$ARTBAG" audit merge merged.sqlite shard-2.sqlite shard-3.sqlite
assert_eq 15 "$(sqlite3 merged.sqlite "SELECT count(*) FROM events")" "events after a second merge"
assert_eq 4 "$(sqlite3 merged.sqlite "SELECT count(*) FROM audits")" "audits after a second merge"

note "a shard's next audit merges on top"
checked() { # audit that checked (exit 0, or 1 when the junk bundle is in its share)
    "$ARTBAG" audit "$@" >"$T/stdout" 2>"$T/stderr"
    local rc=$?
    [ "$rc" -le 1 ] || fail "audit $* exited $rc: $(cat "$T/stderr")"
}
checked --ledger shard-1.sqlite --shard 1/4 -j 1 -q arch
n1=$(sqlite3 shard-1.sqlite "SELECT count(*) FROM events")
expect_exit 0 "$ARTBAG" audit merge merged.sqlite shard-1.sqlite
assert_eq $((15 + n1 - $(sqlite3 shard-1.sqlite "SELECT count(*) FROM events WHERE audit = 1"))) \
    "$(sqlite3 merged.sqlite "SELECT count(*) FROM events")" "events after merging a shard's second audit"
expect_exit 0 "$ARTBAG" audit check-ledger --ledger merged.sqlite

note "the split depends on paths below PATH only"
cp -a arch elsewhere
checked --ledger moved-1.sqlite --shard 1/4 -q elsewhere
a=$(sqlite3 shard-1.sqlite "SELECT DISTINCT substr(path, length('$T/arch') + 1) FROM events WHERE audit = 1 ORDER BY 1")
b=$(sqlite3 moved-1.sqlite "SELECT substr(path, length('$T/elsewhere') + 1) FROM events ORDER BY 1")
assert_eq "$a" "$b" "shard 1 of a copy of the tree"

note "contrib/slurm and contrib/kubernetes scripts, run as Slurm and Kubernetes would run them"
# No scheduler here: the environment each sets for a task (Slurm from 1 with --array=1-4,
# Kubernetes' Indexed Job from 0) is given by hand, which is all the scripts read.
mkdir bin
ln -s "$ARTBAG" bin/artbag
for k in 1 2 3 4; do
    PATH=$T/bin:$PATH SLURM_ARRAY_TASK_ID=$k SLURM_ARRAY_TASK_COUNT=4 SLURM_ARRAY_TASK_MIN=1 \
        bash "$ARTBAG_SRC/contrib/slurm/audit-array.sbatch" "$T/arch" "$T/slurm" >/dev/null 2>&1 ||
        fail "audit-array.sbatch task $k failed"
done
expect_exit 0 "$ARTBAG" audit merge slurm.sqlite slurm/shard-1-of-4.sqlite slurm/shard-2-of-4.sqlite \
    slurm/shard-3-of-4.sqlite slurm/shard-4-of-4.sqlite
rows slurm.sqlite >slurm.rows
diff -u whole.rows slurm.rows >&2 || fail "the Slurm array's merged ledgers differ from one audit"
"$PY" -c 'import sys, yaml; d = yaml.safe_load(open(sys.argv[1])); print(d["spec"]["template"]["spec"]["containers"][0]["args"][0])' \
    "$ARTBAG_SRC/contrib/kubernetes/audit-job.yaml" | sed "s|/ledgers|$T/k8s|g; s|/archive|$T/arch|g" >k8s.sh ||
    fail "cannot read the Job's script"
mkdir k8s
for i in 0 1 2 3; do
    PATH=$T/bin:$PATH JOB_COMPLETION_INDEX=$i ARTBAG_SHARDS=4 sh k8s.sh >/dev/null 2>&1 ||
        fail "the Job's pod $i failed"
done
expect_exit 0 "$ARTBAG" audit merge k8s.sqlite k8s/shard-1-of-4.sqlite k8s/shard-2-of-4.sqlite \
    k8s/shard-3-of-4.sqlite k8s/shard-4-of-4.sqlite
rows k8s.sqlite >k8s.rows
diff -u whole.rows k8s.rows >&2 || fail "the Indexed Job's merged ledgers differ from one audit"

note "a broken input is not merged"
cp shard-2.sqlite broken.sqlite
sqlite3 broken.sqlite "DROP TRIGGER events_no_update; UPDATE events SET size = size + 1 WHERE seq = 1" ||
    fail "forge"
before=$(sqlite3 merged.sqlite "SELECT count(*) FROM events")
expect_exit 1 "$ARTBAG" audit merge merged.sqlite broken.sqlite
assert_contains "$ERR" "'broken.sqlite': not merged, its chain is broken: chain " "broken input"
assert_eq "$before" "$(sqlite3 merged.sqlite "SELECT count(*) FROM events")" "nothing merged"
expect_exit 3 "$ARTBAG" audit merge merged.sqlite shard-1.out
assert_contains "$ERR" "not an artbag ledger" "a text file is not merged"
expect_exit 2 "$ARTBAG" audit merge merged.sqlite
expect_exit 2 "$ARTBAG" audit --shard 5/4 arch
expect_exit 2 "$ARTBAG" audit --shard 0/4 arch
exit 0
