#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
# Installs the Debian packages that building and testing artbag need, only those missing,
# so a fresh Debian 12 machine (or CI's clean checkout) gets the same tools as a developer's.
set -euo pipefail

pkgs=(
  build-essential cmake pkg-config clang-format
  libarchive-dev zlib1g-dev libdeflate-dev libssl-dev libjansson-dev libyaml-dev libcmocka-dev liblzma-dev
  libzstd-dev
  libutf8proc-dev libsqlite3-dev libmd4c-dev liburiparser-dev libcsv-dev libmagic-dev
  tar gzip bzip2 xz-utils zstd zip unzip coreutils libarchive-tools pigz minisign python3
  busybox p7zip-full
  valgrind clang libclang-rt-14-dev gdb
  sqlite3 libxml2-utils python3-yaml munge slurm-wlm
  python3-jsonschema file dpkg-dev binutils groff-base man-db
  lintian abigail-tools make
)

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if ((${#missing[@]})); then
  echo "deps: installing ${missing[*]}" >&2
  if [ "$(id -u)" -ne 0 ]; then
    SUDO=sudo
  else
    SUDO=
  fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
