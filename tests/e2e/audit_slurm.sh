#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
# contrib/slurm/audit-array.sbatch on a real one-node Slurm: munged and slurmctld + slurmd
# (Debian's munge and slurm-wlm), configured here in the temporary directory on ports of their
# own, run a four-task job array; the merged shard ledgers must equal one unsharded audit, event
# for event apart from time, duration, host and chain. The daemons are stopped after. When they
# cannot start here (no packages, not root, no hostname that resolves, a daemon that exits) the
# test says exactly why and is skipped (77), never passed.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

for c in sqlite3 munged slurmctld slurmd sbatch sinfo scontrol; do
    command -v $c >/dev/null || skip "no '$c' (scripts/deps.sh installs sqlite3, munge and slurm-wlm)"
done
[ "$(id -u)" -eq 0 ] || skip "the Slurm daemons are run as root here (SlurmUser=root); not root"
node=$(hostname -s)
getent hosts "$node" >/dev/null || skip "the host name '$node' does not resolve (slurmd needs it)"

# The daemons' state, logs and sockets, all in $T; ports picked from the test's PID.
S=$T/slurm
mkdir -p "$S/state" "$S/spool" "$S/munge" ledgers arch
chmod 0700 "$S/munge"
dd if=/dev/urandom of="$S/munge/munge.key" bs=1024 count=1 status=none
chmod 0400 "$S/munge/munge.key"
port=$((20000 + $$ % 20000))
cat >"$S/slurm.conf" <<EOF
ClusterName=artbagtest
SlurmctldHost=$node
SlurmctldPort=$port
SlurmdPort=$((port + 1))
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$S/munge/munge.sock
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$S/state
SlurmdSpoolDir=$S/spool
SlurmctldPidFile=$S/slurmctld.pid
SlurmdPidFile=$S/slurmd.pid
SlurmctldLogFile=$S/slurmctld.log
SlurmdLogFile=$S/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
SwitchType=switch/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
ReturnToService=2
NodeName=$node CPUs=$(nproc) RealMemory=$(awk '/MemTotal/ { print int($2 / 1024) }' /proc/meminfo) State=UNKNOWN
PartitionName=test Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF=$S/slurm.conf

# stop_daemon PIDFILE: SIGTERM to the PID the daemon wrote, then wait (10 s at most) until it
# is gone, so that nothing of this test outlives it.
stop_daemon() {
    local pid
    pid=$(cat "$1" 2>/dev/null) || return 0
    kill "$pid" 2>/dev/null || return 0
    for _ in $(seq 100); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
    echo "audit_slurm: daemon $pid ($1) still running after 10 s" >&2
}

munged --socket="$S/munge/munge.sock" --key-file="$S/munge/munge.key" \
    --log-file="$S/munge/munged.log" --pid-file="$S/munge/munged.pid" \
    --seed-file="$S/munge/munged.seed" --force 2>"$S/munged.err" ||
    skip "munged would not start: $(tail -n 1 "$S/munged.err")"
on_exit stop_daemon "'$S/munge/munged.pid'"
slurmctld -i 2>"$S/slurmctld.err" ||
    skip "slurmctld would not start: $(tail -n 1 "$S/slurmctld.err") $(tail -n 1 "$S/slurmctld.log" 2>/dev/null)"
on_exit stop_daemon "'$S/slurmctld.pid'"
slurmd -N "$node" 2>"$S/slurmd.err" ||
    skip "slurmd would not start: $(tail -n 1 "$S/slurmd.err") $(tail -n 1 "$S/slurmd.log" 2>/dev/null)"
on_exit stop_daemon "'$S/slurmd.pid'"
for _ in $(seq 60); do
    state=$(sinfo -h -n "$node" -o %T 2>/dev/null)
    case $state in idle*) break ;; esac
    sleep 0.5
done
case $state in
idle*) ;;
*) skip "the Slurm node did not become idle (state '$state'): $(tail -n 2 "$S/slurmd.log" 2>/dev/null | tr '\n' ' ')" ;;
esac

for i in $(seq 1 12); do
    expect_exit 0 "$ARTBAG" pack "$ARTBAG_SEED" -o arch/b$i.tar.gz -q --title "Story $i" --url "https://example.org/$i"
done
mkdir bin
ln -s "$ARTBAG" bin/artbag
note "sbatch --array=1-4 contrib/slurm/audit-array.sbatch"
PATH=$T/bin:$PATH expect_exit 0 sbatch --wait --array=1-4 --chdir="$T" \
    "$ARTBAG_SRC/contrib/slurm/audit-array.sbatch" "$T/arch" "$T/ledgers"
for k in 1 2 3 4; do
    [ -s "ledgers/shard-$k-of-4.sqlite" ] || fail "array task $k wrote no ledger: $(cat artbag-audit-*_$k.out 2>/dev/null)"
done
expect_exit 0 "$ARTBAG" audit merge merged.sqlite ledgers/shard-1-of-4.sqlite ledgers/shard-2-of-4.sqlite \
    ledgers/shard-3-of-4.sqlite ledgers/shard-4-of-4.sqlite
expect_exit 0 "$ARTBAG" audit --ledger whole.sqlite -q arch
cols="path, outcome, identity, identity_file, external_identifier, payload_oxum, size, mtime, problems"
sqlite3 whole.sqlite "SELECT $cols FROM events ORDER BY path" >whole.rows
sqlite3 merged.sqlite "SELECT $cols FROM events ORDER BY path" >merged.rows
diff -u whole.rows merged.rows >&2 || fail "the Slurm array's merged ledgers differ from one audit"
assert_eq 12 "$(wc -l <merged.rows)" "events"
expect_exit 0 "$ARTBAG" audit check-ledger --ledger merged.sqlite
exit 0
