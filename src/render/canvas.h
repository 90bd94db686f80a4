/*
 * canvas.h - what every picture shares: cairo surfaces written as PNG
 * atomically, text through pango with a CJK font found by fontconfig
 * (Noto Sans CJK SC from Debian's fonts-noto-cjk), and one calm palette.
 *
 *     struct canvas c;
 *     if (canvas_init(&c, 1080, 1600, &err)) ...
 *     cairo_t *cr = c.cr;                        draw with cairo
 *     canvas_text(&c, "中文", &style, x, y, max_width, &extent);
 *     canvas_write_png(&c, "images/x.png", &err);
 *     canvas_release(&c);
 *
 * Rendering is deterministic: the same input on the same fonts gives the
 * same bytes (no clock, no randomness that is not seeded by the caller).
 */
#ifndef PB_CANVAS_H
#define PB_CANVAS_H

#include "core/err.h"

#include <cairo.h>
#include <pango/pangocairo.h>

#define CANVAS_FONT_SANS "Noto Sans CJK SC"

struct rgb {
	double r, g, b;
};

/* The palette: calm, readable on white, distinct enough for a word cloud. */
extern const struct rgb canvas_palette[];
extern const size_t canvas_palette_len;
extern const struct rgb canvas_ink;       /* body text */
extern const struct rgb canvas_muted;     /* secondary text, axes */
extern const struct rgb canvas_paper;     /* background */
extern const struct rgb canvas_accent;    /* the highlight */

struct canvas {
	cairo_surface_t *surface;
	cairo_t *cr;
	int width, height;
};

int canvas_init(struct canvas *c, int width, int height, struct pb_err *err);
void canvas_release(struct canvas *c);
/* Encode to PNG in memory and write it atomically (temp file + rename). */
int canvas_write_png(struct canvas *c, const char *path, struct pb_err *err);

void canvas_set_color(cairo_t *cr, struct rgb color, double alpha);
/* Fill the whole canvas with a colour. */
void canvas_clear(struct canvas *c, struct rgb color);

struct text_style {
	double size_px;
	int weight;          /* PANGO_WEIGHT_NORMAL, PANGO_WEIGHT_BOLD, ... */
	struct rgb color;
	const char *family;  /* NULL: CANVAS_FONT_SANS */
};

/*
 * A pango layout for text in style; width_px > 0 wraps at that width
 * (by word, or by character for CJK), max_lines > 0 ellipsises after that
 * many lines. The caller unrefs it (g_object_unref).
 */
PangoLayout *canvas_layout(cairo_t *cr, const char *text, const struct text_style *style,
			   double width_px, int max_lines);
/* Draw a layout with its top-left corner at x, y. */
void canvas_draw_layout(cairo_t *cr, PangoLayout *layout, struct rgb color, double x, double y);
/* Layout, draw and free in one; returns the height drawn in pixels. */
double canvas_text(cairo_t *cr, const char *text, const struct text_style *style, double x,
		   double y, double width_px, int max_lines);

/*
 * Release pango's process-wide font map (call once, at exit), so leak
 * checkers see only real leaks.
 */
void canvas_release_fonts(void);

/* A rectangle with rounded corners as the current path. */
void canvas_rounded_rect(cairo_t *cr, double x, double y, double w, double h, double radius);

#endif
