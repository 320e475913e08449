#!/usr/bin/env bash
# The whole test suite: installs missing packages, builds, and runs every ctest (unit and
# end-to-end) on both cores.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
ctest --test-dir build --output-on-failure -j"$(nproc)"
