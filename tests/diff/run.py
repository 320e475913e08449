#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
"""run.py - differential test: what `artbag verify` accepts, every reader extracts identically.

Builds valid bundles of several writers' shapes (artbag's own, GNU tar gnu and pax formats,
bsdtar, Python tarfile; zip, Python zipfile, bsdtar and 7-Zip for zips), then makes mutants of
them at the header level (tar_mutants.py, zip_mutants.py). For every mutant:
  - `artbag verify FILE` and `artbag verify -` (stdin) must give the same exit status;
  - when they accept it (exit 0), `artbag unpack` must restore it, and every independent reader
    (extract.py) must extract exactly the same files with the same bytes.
Any disagreement fails the run; the mutants that caused it are kept in the work directory.

usage: run.py --container tar|zip --count N [--seed S] [--jobs J] [--work DIR]
"""
import argparse
import gzip
import importlib
import io
import multiprocessing
import os
import random
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import extract  # noqa: E402

ARTBAG = os.environ.get("ARTBAG") or os.path.join(HERE, "..", "..", "build", "artbag")
SEED_MD = os.environ.get("ARTBAG_SEED") or os.path.join(
    HERE, "..", "fixtures", "seed", "china-condemns-cyber-terrorism.md")
MTIME = "1700000000"
TIMEOUT = 300


def sh(argv, **kw):
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, timeout=TIMEOUT, **kw)


def gz(raw):
    return gzip.compress(raw, compresslevel=6, mtime=0)


def gunzip_if(data):
    return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data


def make_bases(work, container):
    """Valid bundles as different writers make them: {name: bytes} (tar: uncompressed)."""
    os.makedirs(work, exist_ok=True)
    single = os.path.join(work, "single.tar.gz")
    sh([ARTBAG, "pack", SEED_MD, "-o", single, "--mtime", MTIME, "-j", "1"])
    arts = os.path.join(work, "arts")
    os.makedirs(arts, exist_ok=True)
    with open(SEED_MD, "rb") as f:
        text = f.read()
    for i in range(3):
        with open(os.path.join(arts, "a%d.md" % i), "wb") as f:
            f.write(text.replace(b"China", b"China %d" % i, 1))
    coll = os.path.join(work, "coll.tar.gz")
    sh([ARTBAG, "pack", arts, "-o", coll, "--mtime", MTIME, "-j", "1",
        "--url", "https://example.org/c", "--title", "A collection"])
    bases = {}
    if container == "tar":
        with open(single, "rb") as f:
            bases["artbag-single"] = gunzip_if(f.read())
        with open(coll, "rb") as f:
            bases["artbag-collection"] = gunzip_if(f.read())

    # The same bag re-serialized by other writers, with a tag file long and non-ASCII enough
    # to need each writer's extended headers (unlisted tag files are valid, with a warning).
    bagroot = os.path.join(work, "dir")
    os.makedirs(bagroot, exist_ok=True)
    sh([ARTBAG, "unpack", single, "-C", bagroot])
    bag = os.listdir(bagroot)[0]
    extra = "notes-" + "é" * 60 + "-" + "x" * 40 + ".txt"
    with open(os.path.join(bagroot, bag, extra), "wb") as f:
        f.write(b"a tag file with a long non-ASCII name\n")
    env = dict(os.environ, LC_ALL="C.UTF-8")
    if container == "tar":
        for fmt in ("gnu", "pax", "ustar"):
            out = os.path.join(work, "gnutar-%s.tar" % fmt)
            if fmt == "ustar":  # ustar cannot hold the long name: serialize without it
                sh(["tar", "--format=ustar", "--exclude=" + extra, "-cf", out, "-C", bagroot,
                    bag], env=env)
            else:
                sh(["tar", "--format=" + fmt, "-cf", out, "-C", bagroot, bag], env=env)
            with open(out, "rb") as f:
                bases["gnutar-" + fmt] = f.read()
        out = os.path.join(work, "bsdtar.tar")
        sh(["bsdtar", "-cf", out, "-C", bagroot, bag], env=env)
        with open(out, "rb") as f:
            bases["bsdtar"] = f.read()
        import tarfile
        bio = io.BytesIO()
        with tarfile.open(fileobj=bio, mode="w", format=tarfile.PAX_FORMAT) as t:
            t.add(os.path.join(bagroot, bag), arcname=bag)
        bases["tarfile-pax"] = bio.getvalue()
        bio = io.BytesIO()
        with tarfile.open(fileobj=bio, mode="w", format=tarfile.GNU_FORMAT) as t:
            t.add(os.path.join(bagroot, bag), arcname=bag)
        bases["tarfile-gnu"] = bio.getvalue()
    else:
        out = os.path.join(work, "zip.zip")
        # Info-ZIP zip stores a non-ASCII name as raw bytes without the UTF-8 flag (bit 11), which
        # Python reads as CP437: readers disagree, so verify refuses it; the base leaves it out.
        sh(["zip", "-q", "-r", "-X", out, bag, "-x", "*/" + extra], cwd=bagroot, env=env)
        with open(out, "rb") as f:
            bases["zip"] = f.read()
        out = os.path.join(work, "bsdtar.zip")
        sh(["bsdtar", "--format", "zip", "-cf", out, "-C", bagroot, bag], env=env)
        with open(out, "rb") as f:
            bases["bsdtar-zip"] = f.read()
        if shutil.which("7z"):
            out = os.path.join(work, "7z.zip")
            sh(["7z", "a", "-tzip", "-bd", out, bag], cwd=bagroot, env=env)
            with open(out, "rb") as f:
                bases["7z-zip"] = f.read()
        import zipfile
        bio = io.BytesIO()
        with zipfile.ZipFile(bio, "w", zipfile.ZIP_DEFLATED) as z:
            for dirpath, dirnames, filenames in os.walk(os.path.join(bagroot, bag)):
                dirnames.sort()
                for n in sorted(filenames):
                    full = os.path.join(dirpath, n)
                    z.write(full, os.path.relpath(full, bagroot))
        bases["zipfile"] = bio.getvalue()
    return bases


def verdict(path):
    """Exit status of verify from the file, and from standard input."""
    a = subprocess.run([ARTBAG, "verify", "-q", "-j", "1", path], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=TIMEOUT).returncode
    with open(path, "rb") as f:
        b = subprocess.run([ARTBAG, "verify", "-q", "-j", "1", "-"], stdin=f,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           timeout=TIMEOUT).returncode
    return a, b


def check_one(job):
    """Returns (index, accepted, problems[]) for one mutant file."""
    i, path, readers, container = job
    problems = []
    a, b = verdict(path)
    if a != b:
        return i, False, ["verify FILE exited %d, verify - exited %d" % (a, b)]
    if a != 0:
        return i, False, []
    tmp = tempfile.mkdtemp(prefix="x", dir=os.path.dirname(path))
    try:
        mine = os.path.join(tmp, "artbag")
        os.mkdir(mine)
        p = subprocess.run([ARTBAG, "unpack", "-q", path, "-C", mine], stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, timeout=TIMEOUT)
        if p.returncode != 0:
            return i, True, ["verify accepted it, unpack exited %d: %s" % (
                p.returncode, p.stderr.decode("utf-8", "replace").strip()[:200])]
        want = extract.snapshot(mine)
        table = extract.TAR_READERS if container == "tar" else extract.ZIP_READERS
        for name in readers:
            out = os.path.join(tmp, name)
            os.mkdir(out)
            why = table[name](path, out)
            if why:
                problems.append("%s failed: %s" % (name, why))
                continue
            d = extract.diff(want, extract.snapshot(out))
            if d:
                problems.append("%s extracts differently: %s" % (name, "; ".join(d)))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return i, True, problems


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--container", choices=("tar", "zip"), required=True)
    ap.add_argument("--count", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--work")
    ap.add_argument("--keep-all", action="store_true", help="keep every mutant, not only failures")
    args = ap.parse_args()

    table = extract.TAR_READERS if args.container == "tar" else extract.ZIP_READERS
    readers = extract.available(table)
    missing = sorted(set(table) - set(readers))
    if missing:
        print("diff: readers not installed: %s (scripts/deps.sh installs them)" % ", ".join(
            missing), file=sys.stderr)
        return 1
    if args.work:
        shutil.rmtree(args.work, ignore_errors=True)
    work = args.work or tempfile.mkdtemp(prefix="artbag-diff-%s." % args.container)
    os.makedirs(work, exist_ok=True)
    mod = importlib.import_module("%s_mutants" % args.container)
    bases = make_bases(os.path.join(work, "bases"), args.container)
    names = sorted(bases)
    mdir = os.path.join(work, "mutants")
    os.makedirs(mdir, exist_ok=True)

    # Every base must itself be accepted and agreed on, or the mutants prove nothing.
    jobs, descs = [], {}
    for k, n in enumerate(names):
        raw = bases[n]
        data = gz(raw) if args.container == "tar" else raw
        p = os.path.join(mdir, "base-%s.%s" % (n, "tar.gz" if args.container == "tar" else "zip"))
        with open(p, "wb") as f:
            f.write(data)
        jobs.append((-1 - k, p, readers, args.container))
        descs[-1 - k] = "base " + n
    for i in range(args.count):
        rng = random.Random(args.seed * 1000003 + i)
        n = names[i % len(names)]
        data, desc = mod.mutate(bases[n], rng)
        if args.container == "tar":
            if rng.random() < 0.8:
                data, ext = gz(data), "tar.gz"
            else:
                ext = "tar"
        else:
            ext = "zip"
        p = os.path.join(mdir, "m%06d.%s" % (i, ext))
        with open(p, "wb") as f:
            f.write(data)
        jobs.append((i, p, readers, args.container))
        descs[i] = "%s: %s" % (n, desc)

    accepted = failed = 0
    paths = dict((j[0], j[1]) for j in jobs)  # a scan of jobs per result is quadratic
    with multiprocessing.Pool(args.jobs) as pool:
        for i, acc, problems in pool.imap_unordered(check_one, jobs, chunksize=4):
            path = paths[i]
            if i < 0 and not acc and not problems:
                problems = ["artbag rejects this valid base bundle"]
            accepted += acc and i >= 0
            if problems:
                failed += 1
                keep = os.path.join(work, "fail-" + os.path.basename(path))
                shutil.copy(path, keep)
                print("DISAGREE %s (%s): %s" % (keep, descs[i], " | ".join(problems)))
            elif not args.keep_all:
                os.unlink(path)
    print("diff %s: %d mutants of %d bases, %d accepted by verify and checked with %s; "
          "%d disagreements" % (args.container, args.count, len(names), accepted,
                                 ", ".join(readers), failed))
    if failed:
        print("diff: kept the disagreeing inputs in %s" % work)
        return 1
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
