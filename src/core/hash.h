/* hash.h - content hashes (SHA-256 through GLib) for cache keys and dedup. */
#ifndef PB_HASH_H
#define PB_HASH_H

#include <stddef.h>

#define PB_SHA256_HEX_LEN 64

/* Lowercase hex SHA-256 of data; out must hold 65 bytes. */
void sha256_hex(const void *data, size_t len, char out[PB_SHA256_HEX_LEN + 1]);

#endif
