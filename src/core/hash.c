/* hash.c - SHA-256 via GLib's GChecksum (GLib comes with pango anyway). */
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
