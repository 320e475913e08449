/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/*
 * fuzz_verify.c - libFuzzer target for artbag_verify over an in-memory bundle: the input is
 * written to a memfd and read through opts.input_fd, exactly as `artbag verify -` reads a pipe,
 * so the whole stream layer (sniffing, gzip, libarchive, the entry checks, bagcheck, the tag
 * parsers, metadata.json) runs. max_bytes is small so that a decompression bomb ends quickly.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "util/fs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct artbag_verify_options opts;
    struct artbag_report *report = NULL;
    struct artbag_error err;
    int fd = memfd_create("fuzz-bundle", MFD_CLOEXEC);

    if (fd < 0)
        abort(); /* the harness itself is broken: say so loudly */
    if (size && artbag_write_all(fd, data, size) < 0)
        abort();
    if (lseek(fd, 0, SEEK_SET) != 0)
        abort();
    artbag_verify_options_init(&opts);
    opts.max_bytes = (uint64_t)64 << 20;
    opts.input_fd = fd;
    if (artbag_verify("<fuzz>", &opts, &report, &err) == ARTBAG_OK)
        artbag_report_free(report);
    close(fd);
    return 0;
}
