/*
 * qr.h - a QR code of a URL (libqrencode), drawn with cairo: dark modules
 * on white with the standard quiet zone of four modules, so a phone camera
 * reads it from a poster.
 */
#ifndef PB_QR_H
#define PB_QR_H

#include <cairo.h>
#include <stdbool.h>
#include <stddef.h>

#define QR_QUIET_ZONE 4 /* modules of white around the code */

struct qr {
	int width;              /* modules per side, without the quiet zone */
	unsigned char *dark;    /* width * width, 1 for a dark module */
};

/* Encode text (8-bit mode, error correction level M); 0, or -1 when it cannot be encoded. */
int qr_encode(const char *text, struct qr *out);
void qr_release(struct qr *q);
/* The side in pixels of the code with its quiet zone, at module_px per module. */
double qr_side(const struct qr *q, double module_px);
/* Draw the code with its quiet zone, top-left corner at x, y. */
void qr_draw(cairo_t *cr, const struct qr *q, double x, double y, double module_px);

#endif
