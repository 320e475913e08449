# shellcheck shell=bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
# How every shell test reports: fail (exit 1), skip (exit 77, what ctest counts as skipped) and
# note, prefixed with the sourcing script's TEST_NAME.
fail() {
    echo "FAIL($TEST_NAME): $*" >&2
    exit 1
}

skip() {
    echo "SKIP($TEST_NAME): $*" >&2
    exit 77
}

note() { echo "-- $*"; }
