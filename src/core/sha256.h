/*
 * sha256: the SHA-256 digest (FIPS 180-4), for the hashes of inline scripts
 * in a Content-Security-Policy ('sha256-<base64>').
 */
#ifndef AKB_SHA256_H
#define AKB_SHA256_H

#include <stddef.h>

/* The 32-byte digest of data[0..n). */
void akb_sha256(const void *data, size_t n, unsigned char digest[32]);

#endif
