#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
# The quick start: installs missing Debian packages, builds artbag, packs the sample article,
# checks the bundle with artbag verify and with tools that are not artbag (GNU tar and
# sha256sum), and shows what it holds.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh

sample=tests/fixtures/seed/china-condemns-cyber-terrorism.md
out=$(mktemp -d "${TMPDIR:-/tmp}/artbag-demo.XXXXXX")
trap 'rm -rf "$out"' EXIT

echo "== artbag pack $sample"
build/artbag pack "$sample" -o "$out/china-condemns-cyber-terrorism.tar.gz" --org "artbag demo"

echo "== artbag verify"
build/artbag verify "$out/china-condemns-cyber-terrorism.tar.gz"

echo "== artbag show"
build/artbag show "$out/china-condemns-cyber-terrorism.tar.gz"

echo "== the bundle, as GNU tar lists it"
tar -tvzf "$out/china-condemns-cyber-terrorism.tar.gz"

echo "== GNU tar extracts it; sha256sum -c checks both manifests"
tar -xzf "$out/china-condemns-cyber-terrorism.tar.gz" -C "$out"
(cd "$out/china-condemns-cyber-terrorism" && sha256sum -c manifest-sha256.txt &&
  sha256sum -c tagmanifest-sha256.txt)
cmp "$sample" "$out/china-condemns-cyber-terrorism/data/article.md"

echo "== data/metadata.json"
cat "$out/china-condemns-cyber-terrorism/data/metadata.json"
echo "demo: OK"
