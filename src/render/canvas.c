/* canvas.c - PNG surfaces, pango text with a CJK font, the palette. */
#include "core/common.h"

#include "render/canvas.h"
#include "core/buf.h"
#include "core/fsutil.h"

#include <png.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

/* Muted, distinct hues (after ColorBrewer's Dark2 and Tableau 10), readable on white. */
const struct rgb canvas_palette[] = {
	{0.106, 0.451, 0.553}, /* teal blue */
	{0.851, 0.373, 0.008}, /* burnt orange */
	{0.384, 0.318, 0.616}, /* muted violet */
	{0.200, 0.545, 0.365}, /* green */
	{0.651, 0.118, 0.318}, /* raspberry */
	{0.545, 0.420, 0.114}, /* ochre */
	{0.286, 0.384, 0.502}, /* slate */
};
const size_t canvas_palette_len = PB_ARRAY_LEN(canvas_palette);
const struct rgb canvas_ink = {0.122, 0.137, 0.157};
const struct rgb canvas_muted = {0.420, 0.447, 0.478};
const struct rgb canvas_paper = {0.984, 0.980, 0.969};
const struct rgb canvas_accent = {0.851, 0.373, 0.008};

int canvas_init(struct canvas *c, int width, int height, struct pb_err *err)
{
	memset(c, 0, sizeof(*c));
	c->surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height);
	if (cairo_surface_status(c->surface) != CAIRO_STATUS_SUCCESS) {
		pb_err_set(err, PB_ERR, "cannot create a %dx%d picture: %s", width, height,
			   cairo_status_to_string(cairo_surface_status(c->surface)));
		cairo_surface_destroy(c->surface);
		c->surface = NULL;
		return PB_ERR;
	}
	c->cr = cairo_create(c->surface);
	c->width = width;
	c->height = height;
	return 0;
}

void canvas_release(struct canvas *c)
{
	if (c->cr)
		cairo_destroy(c->cr);
	if (c->surface)
		cairo_surface_destroy(c->surface);
	memset(c, 0, sizeof(*c));
}

struct png_sink {
	struct buf out;
	bool failed;
};

static void png_to_buf(png_structp png, png_bytep data, png_size_t length)
{
	struct png_sink *sink = png_get_io_ptr(png);
	if (buf_add(&sink->out, data, length))
		sink->failed = true;
}

static void png_flush_nothing(png_structp png)
{
	(void)png;
}

/*
 * Encode with libpng directly rather than cairo_surface_write_to_png: cairo
 * leaves libpng on adaptive filtering and zlib level 6, which was half the
 * render time of a day's pictures. Flat-colour graphics compress nearly as
 * well with the "up" filter at level 3, several times faster.
 */
static int encode_png(struct canvas *c, struct png_sink *sink)
{
	png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	png_infop info = png ? png_create_info_struct(png) : NULL;
	unsigned char *row = xmalloc((size_t)c->width * 3);
	if (!info || setjmp(png_jmpbuf(png))) {
		png_destroy_write_struct(&png, &info);
		free(row);
		return -1;
	}
	png_set_write_fn(png, sink, png_to_buf, png_flush_nothing);
	png_set_IHDR(png, info, (png_uint_32)c->width, (png_uint_32)c->height, 8, PNG_COLOR_TYPE_RGB,
		     PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_UP);
	png_set_compression_level(png, 3);
	png_write_info(png, info);
	const unsigned char *data = cairo_image_surface_get_data(c->surface);
	int stride = cairo_image_surface_get_stride(c->surface);
	for (int y = 0; y < c->height; y++) {
		const uint32_t *px = (const uint32_t *)(const void *)(data + (size_t)y * (size_t)stride);
		for (int x = 0; x < c->width; x++) {
			row[3 * x] = (unsigned char)(px[x] >> 16);
			row[3 * x + 1] = (unsigned char)(px[x] >> 8);
			row[3 * x + 2] = (unsigned char)px[x];
		}
		png_write_row(png, row);
	}
	png_write_end(png, info);
	png_destroy_write_struct(&png, &info);
	free(row);
	return sink->failed ? -1 : 0;
}

int canvas_write_png(struct canvas *c, const char *path, struct pb_err *err)
{
	struct png_sink sink = {.failed = false};
	buf_init(&sink.out, 256u << 20);
	cairo_surface_flush(c->surface);
	int rc;
	if (encode_png(c, &sink))
		rc = pb_err_set(err, PB_ERR, "cannot encode '%s' as PNG (%dx%d)", path, c->width,
				c->height);
	else
		rc = fs_write_atomic(path, sink.out.data, sink.out.len, err);
	buf_release(&sink.out);
	return rc;
}

void canvas_set_color(cairo_t *cr, struct rgb color, double alpha)
{
	cairo_set_source_rgba(cr, color.r, color.g, color.b, alpha);
}

void canvas_clear(struct canvas *c, struct rgb color)
{
	canvas_set_color(c->cr, color, 1);
	cairo_paint(c->cr);
}

PangoLayout *canvas_layout(cairo_t *cr, const char *text, const struct text_style *style,
			   double width_px, int max_lines)
{
	PangoLayout *layout = pango_cairo_create_layout(cr);
	PangoFontDescription *font = pango_font_description_new();
	pango_font_description_set_family(font, style->family ? style->family : CANVAS_FONT_SANS);
	pango_font_description_set_weight(font, (PangoWeight)(style->weight ? style->weight
									     : PANGO_WEIGHT_NORMAL));
	pango_font_description_set_absolute_size(font, style->size_px * PANGO_SCALE);
	pango_layout_set_font_description(layout, font);
	pango_font_description_free(font);
	if (width_px > 0) {
		pango_layout_set_width(layout, (int)(width_px * PANGO_SCALE));
		pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
	}
	if (max_lines > 0) {
		pango_layout_set_height(layout, -max_lines);
		pango_layout_set_ellipsize(layout, PANGO_ELLIPSIZE_END);
	}
	pango_layout_set_text(layout, text, -1);
	return layout;
}

void canvas_draw_layout(cairo_t *cr, PangoLayout *layout, struct rgb color, double x, double y)
{
	canvas_set_color(cr, color, 1);
	cairo_move_to(cr, x, y);
	pango_cairo_show_layout(cr, layout);
}

double canvas_text(cairo_t *cr, const char *text, const struct text_style *style, double x,
		   double y, double width_px, int max_lines)
{
	PangoLayout *layout = canvas_layout(cr, text, style, width_px, max_lines);
	canvas_draw_layout(cr, layout, style->color, x, y);
	int w, h;
	pango_layout_get_pixel_size(layout, &w, &h);
	g_object_unref(layout);
	return h;
}

void canvas_release_fonts(void)
{
	/* Not cairo_debug_reset_static_data(): it asserts that no cairo object is alive,
	 * and pango 1.50 may still hold fonts (it sets fontconfig up on a thread), which
	 * made a test abort now and then. What cairo keeps stays reachable, not leaked. */
	pango_cairo_font_map_set_default(NULL);
}

void canvas_rounded_rect(cairo_t *cr, double x, double y, double w, double h, double radius)
{
	cairo_new_sub_path(cr);
	cairo_arc(cr, x + w - radius, y + radius, radius, -G_PI / 2, 0);
	cairo_arc(cr, x + w - radius, y + h - radius, radius, 0, G_PI / 2);
	cairo_arc(cr, x + radius, y + h - radius, radius, G_PI / 2, G_PI);
	cairo_arc(cr, x + radius, y + radius, radius, G_PI, 3 * G_PI / 2);
	cairo_close_path(cr);
}
