/* hash.c - SHA-256 via GLib's GChecksum, HMAC-SHA256 via GHmac (GLib comes with pango anyway). */
#include "core/common.h"

#include "core/hash.h"

#include <glib.h>
#include <string.h>

void sha256_hex(const void *data, size_t len, char out[PB_SHA256_HEX_LEN + 1])
{
	gchar *hex = g_compute_checksum_for_data(G_CHECKSUM_SHA256, data, len);
	memcpy(out, hex, PB_SHA256_HEX_LEN);
	out[PB_SHA256_HEX_LEN] = '\0';
	g_free(hex);
}

char *hmac_sha256_base64(const void *key, size_t key_len, const void *data, size_t len)
{
	GHmac *h = g_hmac_new(G_CHECKSUM_SHA256, key, key_len);
	g_hmac_update(h, data, (gssize)len);
	guint8 digest[32];
	gsize n = sizeof(digest);
	g_hmac_get_digest(h, digest, &n);
	g_hmac_unref(h);
	/* Copied so callers free it like every other string of ours, not with g_free. */
	gchar *b64 = g_base64_encode(digest, n);
	char *out = xstrdup(b64);
	g_free(b64);
	return out;
}
