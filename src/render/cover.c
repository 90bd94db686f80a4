/* cover.c - the show's square cover art, drawn with cairo and pango. */
#include "core/common.h"

#include "render/cover.h"
#include "render/canvas.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int podcast_cover_write(const char *title, const char *subtitle, const char *path,
			struct pb_err *err)
{
	const int size = PODCAST_COVER_PX;
	struct canvas c;
	if (canvas_init(&c, size, size, err))
		return PB_ERR;
	cairo_t *cr = c.cr;
	/* A warm field in the accent colour, darker towards the foot. */
	cairo_pattern_t *bg = cairo_pattern_create_linear(0, 0, 0, size);
	cairo_pattern_add_color_stop_rgb(bg, 0, 0.93, 0.47, 0.10);
	cairo_pattern_add_color_stop_rgb(bg, 1, canvas_accent.r * 0.72, canvas_accent.g * 0.72,
					 canvas_accent.b * 0.72);
	cairo_set_source(cr, bg);
	cairo_paint(cr);
	cairo_pattern_destroy(bg);
	/* A sound wave: bars whose heights follow a fixed curve (no randomness, no date). */
	const int bars = 27;
	double bar_w = size * 0.022, gap = size * 0.0115;
	double total = bars * bar_w + (bars - 1) * gap, x0 = (size - total) / 2, mid = size * 0.36;
	for (int i = 0; i < bars; i++) {
		double t = (double)i / (bars - 1);
		double h = size * (0.05 + 0.22 * fabs(sin(t * 3.14159 * 3.2)) * sin(t * 3.14159));
		canvas_set_color(cr, canvas_paper, 0.92);
		canvas_rounded_rect(cr, x0 + i * (bar_w + gap), mid - h / 2, bar_w, h, bar_w / 2);
		cairo_fill(cr);
	}
	/* The show's name, large; the subtitle under it. */
	struct text_style big = {size * 0.085, PANGO_WEIGHT_BOLD, canvas_paper, NULL};
	struct text_style small = {size * 0.042, PANGO_WEIGHT_NORMAL, canvas_paper, NULL};
	double margin = size * 0.09, width = size - 2 * margin;
	/* "Hugging Face 论文日报": the Chinese name on a line of its own, never split. */
	char *name = xstrdup(title);
	char *space = strrchr(name, ' ');
	if (space && (unsigned char)space[1] >= 0x80)
		*space = '\n';
	PangoLayout *l = canvas_layout(cr, name, &big, width, 2);
	free(name);
	pango_layout_set_alignment(l, PANGO_ALIGN_CENTER);
	int lw, lh;
	pango_layout_get_pixel_size(l, &lw, &lh);
	double y = size * 0.62;
	canvas_draw_layout(cr, l, canvas_paper, margin, y);
	g_object_unref(l);
	y += lh + size * 0.03;
	l = canvas_layout(cr, subtitle, &small, width, 2);
	pango_layout_set_alignment(l, PANGO_ALIGN_CENTER);
	canvas_draw_layout(cr, l, canvas_paper, margin, y);
	g_object_unref(l);
	int rc = canvas_write_png(&c, path, err);
	canvas_release(&c);
	return rc;
}
