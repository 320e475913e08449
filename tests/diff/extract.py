# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
"""extract.py - the independent readers a bundle accepted by `artbag verify` must agree with.

Each extractor unpacks one archive into an empty directory; snapshot() turns the result into
{relative path: ("f", bytes) | ("d", None) | ("other", kind)} so that two readers' results
can be compared exactly. An extractor that fails (non-zero exit, exception) returns the reason:
a reader that refuses what artbag accepted disagrees with it as much as one that extracts other
bytes.
"""
import os
import shutil
import stat
import subprocess
import sys
import tarfile
import zipfile

TIMEOUT = 120  # generous: a busy machine must give a slow pass, not a failure


def _run(argv, stdin=None, cwd=None):
    p = subprocess.run(argv, stdin=stdin, cwd=cwd, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=TIMEOUT)
    if p.returncode != 0:
        return "%s exited %d: %s" % (argv[0], p.returncode,
                                     p.stderr.decode("utf-8", "replace").strip()[:300])
    return None


def gnu_tar(arch, out):
    return _run(["tar", "--no-same-owner", "--no-same-permissions", "-xf", arch, "-C", out])


def bsdtar(arch, out):
    return _run(["bsdtar", "-xf", arch, "-C", out])


def busybox_tar(arch, out):
    # busybox's own gunzip, not a sniffing layer: -z when the file is gzip
    z = [] if _7z_outer_is_tar(arch) else ["-z"]
    return _run(["busybox", "tar", "-x"] + z + ["-f", arch, "-C", out])


def _7z_outer_is_tar(arch):
    with open(arch, "rb") as f:
        return f.read(2) != b"\x1f\x8b"


def sevenzip(arch, out):
    """7-Zip: a .tar.gz is two layers for it, gzip then tar, so it is piped through twice."""
    if not _7z_outer_is_tar(arch):
        inner = subprocess.run(["7z", "x", "-so", "-tgzip", arch], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, timeout=TIMEOUT)
        if inner.returncode != 0:
            return "7z (gzip) exited %d" % inner.returncode
        tmp = os.path.join(out, "..", os.path.basename(out) + ".tar")
        with open(tmp, "wb") as f:
            f.write(inner.stdout)
        try:
            return _run(["7z", "x", "-y", "-snl", "-ttar", "-o" + out, tmp])
        finally:
            os.unlink(tmp)
    return _run(["7z", "x", "-y", "-snl", "-o" + out, arch])


def sevenzip_zip(arch, out):
    return _run(["7z", "x", "-y", "-snl", "-tzip", "-o" + out, arch])


def _data_filter_fallback(member, path):
    """tarfile's 'data' filter (PEP 706) where this Python predates it: the same refusals
    for what a bag may not hold (links, devices, absolute or escaping names)."""
    name = member.name
    if name.startswith("/") or ".." in name.split("/"):
        raise tarfile.TarError("%r: outside the destination" % name)
    if not (member.isreg() or member.isdir()):
        raise tarfile.TarError("%r: not a regular file or directory" % name)
    return member


def py_tarfile(arch, out):
    try:
        with tarfile.open(arch, "r:*") as t:
            if hasattr(tarfile, "data_filter"):
                t.extractall(out, filter="data")
            else:
                for m in t.getmembers():
                    _data_filter_fallback(m, out)
                t.extractall(out)
    except Exception as e:  # any refusal is a disagreement to report
        return "tarfile: %s: %s" % (type(e).__name__, e)
    return None


def unzip(arch, out):
    return _run(["unzip", "-q", "-o", arch, "-d", out])


def py_zipfile(arch, out):
    try:
        with zipfile.ZipFile(arch) as z:
            bad = z.testzip()
            if bad:
                return "zipfile: bad CRC in %r" % bad
            z.extractall(out)
    except Exception as e:
        return "zipfile: %s: %s" % (type(e).__name__, e)
    return None


TAR_READERS = {"gnutar": gnu_tar, "bsdtar": bsdtar, "busybox": busybox_tar, "7z": sevenzip,
               "tarfile": py_tarfile}
ZIP_READERS = {"unzip": unzip, "zipfile": py_zipfile, "7z": sevenzip_zip, "bsdtar": bsdtar}


def available(readers):
    """The readers whose programs are installed; tests must require all of them."""
    need = {"gnutar": "tar", "bsdtar": "bsdtar", "busybox": "busybox", "7z": "7z",
            "unzip": "unzip"}
    return [n for n in readers if n not in need or shutil.which(need[n])]


def snapshot(top):
    out = {}
    for dirpath, dirnames, filenames in os.walk(top):
        for n in dirnames + filenames:
            full = os.path.join(dirpath, n)
            rel = os.path.relpath(full, top)
            st = os.lstat(full)
            # An extractor restores the mode an archive asks for, even 000; the comparison is of
            # names, types and bytes, and must work for a user who is not root.
            if stat.S_ISDIR(st.st_mode) or stat.S_ISREG(st.st_mode):
                os.chmod(full, st.st_mode | (0o700 if stat.S_ISDIR(st.st_mode) else 0o400))
            if stat.S_ISDIR(st.st_mode):
                out[rel] = ("d", None)
            elif stat.S_ISREG(st.st_mode):
                with open(full, "rb") as f:
                    out[rel] = ("f", f.read())
            elif stat.S_ISLNK(st.st_mode):
                out[rel] = ("other", "symlink to %r" % os.readlink(full))
            else:
                out[rel] = ("other", "mode %o" % st.st_mode)
    return out


def diff(a, b, limit=3):
    """Up to limit lines saying how snapshot b differs from a; empty when equal."""
    lines = []
    for p in sorted(set(a) | set(b)):
        if p not in b:
            lines.append("%r missing" % p)
        elif p not in a:
            lines.append("%r extra (%s)" % (p, b[p][0]))
        elif a[p] != b[p]:
            if a[p][0] != b[p][0]:
                lines.append("%r is %s, not %s" % (p, b[p][0], a[p][0]))
            else:
                lines.append("%r has other bytes (%d vs %d)" % (
                    p, len(b[p][1] or b""), len(a[p][1] or b"")))
        if len(lines) >= limit:
            break
    return lines


if __name__ == "__main__":
    # extract.py READER ARCHIVE OUTDIR: one reader by hand, for investigating a disagreement
    readers = dict(TAR_READERS, **{"zip-" + k: v for k, v in ZIP_READERS.items()})
    os.makedirs(sys.argv[3], exist_ok=True)
    why = readers[sys.argv[1]](sys.argv[2], sys.argv[3])
    print(why or "ok")
    sys.exit(1 if why else 0)
