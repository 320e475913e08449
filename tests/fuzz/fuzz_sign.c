/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/*
 * fuzz_sign.c - libFuzzer target for the minisign key and signature parsers
 * (artbag_pubkey_parse, artbag_minisig_parse). When the input parses as a signature, it is also
 * checked against a fixed key and message, which must reject it without crashing.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/sign.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct artbag_pubkey pub;
    struct artbag_minisig sig;
    struct artbag_error err;
    char hex[17];
    char *text = malloc(size ? size : 1); /* exact size: over-reads are caught */

    if (!text)
        return 0;
    if (size)
        memcpy(text, data, size);
    if (artbag_pubkey_parse(text, size, &pub, &err) == ARTBAG_OK)
        artbag_keyid_hex(pub.id, hex);
    if (artbag_minisig_parse(text, size, &sig, &err) == ARTBAG_OK) {
        static const char msg[] = "message\n";

        memset(&pub, 0, sizeof(pub));
        memcpy(pub.id, sig.id, sizeof(pub.id)); /* same id, so the signature itself is checked */
        artbag_keyid_hex(sig.id, hex);
        artbag_minisig_verify(&sig, &pub, msg, sizeof(msg) - 1, &err);
    }
    artbag_minisig_release(&sig);
    free(text);
    return 0;
}
