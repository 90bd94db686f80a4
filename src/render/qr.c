/* qr.c - QR codes through libqrencode, drawn as cairo rectangles. */
#include "core/common.h"

#include "render/qr.h"

#include <qrencode.h>
#include <stdlib.h>
#include <string.h>

int qr_encode(const char *text, struct qr *out)
{
	memset(out, 0, sizeof(*out));
	if (!text || !*text)
		return -1;
	QRcode *code = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M);
	if (!code)
		return -1;
	size_t n = (size_t)code->width * (size_t)code->width;
	out->width = code->width;
	out->dark = xmalloc(n);
	for (size_t i = 0; i < n; i++)
		out->dark[i] = code->data[i] & 1; /* bit 0: dark; the others say what the module is */
	QRcode_free(code);
	return 0;
}

void qr_release(struct qr *q)
{
	free(q->dark);
	memset(q, 0, sizeof(*q));
}

double qr_side(const struct qr *q, double module_px)
{
	return (q->width + 2 * QR_QUIET_ZONE) * module_px;
}

void qr_draw(cairo_t *cr, const struct qr *q, double x, double y, double module_px)
{
	cairo_save(cr);
	cairo_set_antialias(cr, CAIRO_ANTIALIAS_NONE);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_rectangle(cr, x, y, qr_side(q, module_px), qr_side(q, module_px));
	cairo_fill(cr);
	cairo_set_source_rgb(cr, 0, 0, 0);
	double x0 = x + QR_QUIET_ZONE * module_px, y0 = y + QR_QUIET_ZONE * module_px;
	for (int r = 0; r < q->width; r++)
		for (int c = 0; c < q->width; c++)
			if (q->dark[(size_t)r * (size_t)q->width + (size_t)c])
				cairo_rectangle(cr, x0 + c * module_px, y0 + r * module_px, module_px,
						module_px);
	cairo_fill(cr);
	cairo_restore(cr);
}
