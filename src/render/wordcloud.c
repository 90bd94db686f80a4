/* wordcloud.c - spiral placement on an occupancy bitmap, drawn with pango. */
#include "core/common.h"

#include "render/wordcloud.h"
#include "render/canvas.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define CELL 4 /* pixels per occupancy cell */
#define GRID_W (WORDCLOUD_WIDTH / CELL)
#define GRID_H ((WORDCLOUD_HEIGHT + CELL - 1) / CELL)
#define MAX_FONT_PX 112.0
#define MIN_FONT_PX 18.0
#define MARGIN_PX 20

struct grid {
	unsigned char cells[GRID_H][GRID_W];
	int sat[GRID_H + 1][GRID_W + 1]; /* summed-area table of cells */
};

/* A word's ink as cells, with its size in pixels and how to draw it. */
struct mask {
	int w, h;             /* in cells */
	unsigned char *cells; /* w*h, 1 = ink (dilated for breathing room) */
	int *row_first, *row_last; /* per row: first and last ink cell, first > last when none */
	double ink_x, ink_y;  /* offset from the layout origin to the ink's top-left, px */
};

static uint32_t fnv1a(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static void rebuild_sat(struct grid *g)
{
	for (int y = 0; y < GRID_H; y++) {
		int row = 0;
		for (int x = 0; x < GRID_W; x++) {
			row += g->cells[y][x];
			g->sat[y + 1][x + 1] = g->sat[y][x + 1] + row;
		}
	}
}

static int occupied_in(const struct grid *g, int x, int y, int w, int h)
{
	return g->sat[y + h][x + w] - g->sat[y][x + w] - g->sat[y + h][x] + g->sat[y][x];
}

static bool fits(const struct grid *g, const struct mask *m, int x, int y)
{
	if (!occupied_in(g, x, y, m->w, m->h))
		return true; /* the common case far from other words */
	/* Row by row: the summed-area table clears most rows in O(1); only rows with
	 * something under the word's ink span are compared cell by cell. */
	for (int j = 0; j < m->h; j++) {
		int first = m->row_first[j], last = m->row_last[j];
		if (first > last || !occupied_in(g, x + first, y + j, last - first + 1, 1))
			continue;
		for (int i = first; i <= last; i++)
			if (m->cells[j * m->w + i] && g->cells[y + j][x + i])
				return false;
	}
	return true;
}

static void occupy(struct grid *g, const struct mask *m, int x, int y)
{
	for (int j = 0; j < m->h; j++)
		for (int i = 0; i < m->w; i++)
			if (m->cells[j * m->w + i])
				g->cells[y + j][x + i] = 1;
	rebuild_sat(g);
}

static PangoLayout *word_layout(cairo_t *cr, const char *text, double size, struct rgb color)
{
	struct text_style style = {size, PANGO_WEIGHT_BOLD, color, NULL};
	return canvas_layout(cr, text, &style, 0, 0);
}

/*
 * Only Latin words are set vertically (turned 90 degrees): upright Chinese
 * stacked next to horizontal Chinese reads as one nonsense phrase.
 */
static bool may_be_vertical(const char *text)
{
	for (const unsigned char *p = (const unsigned char *)text; *p; p++)
		if (*p >= 0x80)
			return false;
	return true;
}

/* Render the text alone on an A8 surface and reduce its ink to cells. */
static bool make_mask(cairo_t *main_cr, const char *text, double size, bool vertical,
		      struct mask *m)
{
	PangoLayout *layout = word_layout(main_cr, text, size, canvas_ink);
	PangoRectangle ink, logical;
	pango_layout_get_pixel_extents(layout, &ink, &logical);
	g_object_unref(layout);
	if (ink.width <= 0 || ink.height <= 0)
		return false;
	int pw = vertical ? ink.height : ink.width, ph = vertical ? ink.width : ink.height;
	m->w = (pw + CELL - 1) / CELL + 6;
	m->h = (ph + CELL - 1) / CELL + 6;
	if (m->w > GRID_W || m->h > GRID_H)
		return false;
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_A8, m->w * CELL, m->h * CELL);
	cairo_t *cr = cairo_create(s);
	PangoLayout *l = word_layout(cr, text, size, canvas_ink);
	/* Ink placed three cells in from the top-left, so dilation has room. */
	if (vertical) {
		cairo_translate(cr, 3 * CELL, 3 * CELL + ink.width);
		cairo_rotate(cr, -G_PI / 2);
	} else {
		cairo_translate(cr, 3 * CELL, 3 * CELL);
	}
	cairo_move_to(cr, -ink.x, -ink.y);
	pango_cairo_show_layout(cr, l);
	g_object_unref(l);
	cairo_destroy(cr);
	cairo_surface_flush(s);
	const unsigned char *px = cairo_image_surface_get_data(s);
	int stride = cairo_image_surface_get_stride(s);
	unsigned char *raw = xcalloc((size_t)m->w * (size_t)m->h, 1);
	for (int y = 0; y < m->h * CELL; y++)
		for (int x = 0; x < m->w * CELL; x++)
			if (px[y * stride + x] > 24)
				raw[(y / CELL) * m->w + x / CELL] = 1;
	cairo_surface_destroy(s);
	/* Breathing room that grows with the word, so big neighbours do not read as one phrase. */
	int pad = 1 + (int)(size / 56);
	m->cells = xcalloc((size_t)m->w * (size_t)m->h, 1);
	for (int y = 0; y < m->h; y++)
		for (int x = 0; x < m->w; x++)
			for (int dy = -pad; dy <= pad; dy++)
				for (int dx = -pad; dx <= pad; dx++) {
					int yy = y + dy, xx = x + dx;
					if (yy >= 0 && yy < m->h && xx >= 0 && xx < m->w && raw[yy * m->w + xx])
						m->cells[y * m->w + x] = 1;
				}
	free(raw);
	m->row_first = xmalloc((size_t)m->h * sizeof(int));
	m->row_last = xmalloc((size_t)m->h * sizeof(int));
	for (int y = 0; y < m->h; y++) {
		m->row_first[y] = m->w;
		m->row_last[y] = -1;
		for (int x = 0; x < m->w; x++) {
			if (m->cells[y * m->w + x]) {
				if (m->row_first[y] > x)
					m->row_first[y] = x;
				m->row_last[y] = x;
			}
		}
	}
	m->ink_x = ink.x;
	m->ink_y = ink.y;
	return true;
}

/* Walk an Archimedean spiral from the centre; the first spot where the mask fits wins. */
static bool find_spot(const struct grid *g, const struct mask *m, uint32_t seed, int *out_x, int *out_y)
{
	int margin = MARGIN_PX / CELL;
	double cx = (GRID_W - m->w) / 2.0, cy = (GRID_H - m->h) / 2.0;
	double ratio = (double)GRID_W / GRID_H;
	double phase = (seed % 360) * G_PI / 180;
	for (double t = 0; t < 400; t += 0.08) {
		double r = 0.9 * t;
		int x = (int)lround(cx + r * ratio * cos(t + phase) * 0.5);
		int y = (int)lround(cy + r * sin(t + phase) * 0.5);
		if (x < margin || y < margin || x + m->w > GRID_W - margin || y + m->h > GRID_H - margin) {
			if (r * 0.5 > GRID_W)
				break;
			continue;
		}
		if (fits(g, m, x, y)) {
			*out_x = x;
			*out_y = y;
			return true;
		}
	}
	return false;
}

static void draw_word(cairo_t *cr, const char *text, double size, bool vertical,
		      const struct mask *m, int gx, int gy, struct rgb color)
{
	PangoLayout *layout = word_layout(cr, text, size, color);
	PangoRectangle ink;
	pango_layout_get_pixel_extents(layout, &ink, NULL);
	cairo_save(cr);
	double x = gx * CELL + 3 * CELL, y = gy * CELL + 3 * CELL;
	if (vertical) {
		cairo_translate(cr, x, y + ink.width);
		cairo_rotate(cr, -G_PI / 2);
	} else {
		cairo_translate(cr, x, y);
	}
	canvas_draw_layout(cr, layout, color, -m->ink_x, -m->ink_y);
	cairo_restore(cr);
	g_object_unref(layout);
}

int wordcloud_render_png(const struct cloud_word *words, size_t n, const char *path,
			 size_t *placed, struct pb_err *err)
{
	struct canvas c;
	if (canvas_init(&c, WORDCLOUD_WIDTH, WORDCLOUD_HEIGHT, err))
		return PB_ERR;
	canvas_clear(&c, canvas_paper);
	struct grid *g = xcalloc(1, sizeof(*g));
	if (n > WORDCLOUD_MAX_WORDS)
		n = WORDCLOUD_MAX_WORDS;
	double wmax = 0, wmin = INFINITY;
	for (size_t i = 0; i < n; i++) {
		wmax = fmax(wmax, words[i].weight);
		wmin = fmin(wmin, words[i].weight);
	}
	size_t count = 0;
	for (size_t i = 0; i < n; i++) {
		uint32_t h = fnv1a(words[i].text);
		/* Square root: frequency differences show without the top word swallowing the cloud. */
		double rel = wmax > wmin ? (words[i].weight - wmin) / (wmax - wmin) : 0.6;
		double size = MIN_FONT_PX + (MAX_FONT_PX - MIN_FONT_PX) * sqrt(rel);
		bool vertical = i >= 3 && h % 3 == 0 && may_be_vertical(words[i].text);
		/* Colours in turn: words placed one after another sit close, and should differ. */
		struct rgb color = canvas_palette[i % canvas_palette_len];
		for (; size >= MIN_FONT_PX; size *= 0.85) {
			struct mask m = {0};
			if (!make_mask(c.cr, words[i].text, size, vertical, &m))
				continue;
			int x, y;
			bool ok = find_spot(g, &m, h, &x, &y);
			if (ok) {
				occupy(g, &m, x, y);
				draw_word(c.cr, words[i].text, size, vertical, &m, x, y, color);
				count++;
			}
			free(m.cells);
			free(m.row_first);
			free(m.row_last);
			if (ok)
				break;
		}
	}
	free(g);
	if (placed)
		*placed = count;
	int rc = canvas_write_png(&c, path, err);
	canvas_release(&c);
	return rc;
}
