/* hash.h - content hashes (SHA-256 through GLib) for cache keys and dedup, and the
 * HMAC-SHA256 signatures of the chat webhooks (Feishu, DingTalk). */
#ifndef PB_HASH_H
#define PB_HASH_H

#include <stddef.h>

#define PB_SHA256_HEX_LEN 64

/* Lowercase hex SHA-256 of data; out must hold 65 bytes. */
void sha256_hex(const void *data, size_t len, char out[PB_SHA256_HEX_LEN + 1]);

/*
 * base64 (standard alphabet, padded) of HMAC-SHA256 over data with key: what
 * Feishu's and DingTalk's signed webhooks expect. Caller frees (free()).
 */
char *hmac_sha256_base64(const void *key, size_t key_len, const void *data, size_t len);

#endif
