/* poster.c - the shareable phone poster: header, one card per paper, footer. */
#include "core/common.h"

#include "render/poster.h"
#include "core/date.h"
#include "lang/lang.h"
#include "render/canvas.h"
#include "render/linebreak.h"
#include "render/qr.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Everything is laid out by one function, paint(), that walks the poster
 * top to bottom and returns its height. It runs twice: first on a 1x1
 * canvas without drawing, to learn the height, then on the real canvas.
 * Pango measures text the same way on both, so the two passes agree.
 */

#define MARGIN 56.0                          /* poster edge to card edge */
#define CARD_X MARGIN
#define CARD_W (POSTER_WIDTH - 2 * MARGIN)
#define CARD_PAD 40.0                        /* card edge to its content */
#define CARD_RADIUS 24.0
#define CARD_GAP 28.0                        /* between two cards */
#define BADGE_D 56.0                         /* the rank circle */
#define BADGE_GAP 24.0                       /* rank circle to the text column */
#define TEXT_X (CARD_X + CARD_PAD + BADGE_D + BADGE_GAP)
#define TEXT_W (CARD_X + CARD_W - CARD_PAD - TEXT_X)
#define CHIP_H 44.0
#define CHIP_PAD 18.0                        /* chip edge to its text */
#define CHIP_GAP 12.0
#define HEADER_PAD_X 64.0
#define HEADER_PAD_TOP 72.0
#define HEADER_PAD_BOTTOM 60.0

#define MIDDOT "\xC2\xB7" /* U+00B7, between topics */

static const struct rgb white = {1, 1, 1};
static const struct rgb header_top = {0.059, 0.200, 0.263};    /* deep slate teal */
static const struct rgb header_bottom = {0.071, 0.310, 0.369}; /* deep teal */
static const struct rgb header_number = {1.000, 0.776, 0.486}; /* warm amber on teal */
static const struct rgb badge_plain = {0.106, 0.451, 0.553};   /* palette teal */

/* The strings a poster shows, cleaned up once for both passes. */
struct poster_text {
	char *date_line;   /* "2025年12月26日 星期五" */
	char *count_line;  /* the N of "今日 N 篇论文" */
	char *hot_line;    /* "热门领域：…" or NULL */
	char *more_line;   /* "另有 N 篇论文，详见日报" or NULL */
	char *credit;      /* "由 paperboy 生成 · …" */
	char *url;         /* the edition's URL or NULL */
	struct qr qr;      /* of url (width 0 without one) */
	const char *name, *count_before, *count_after, *ranking, *scan; /* the UI's, borrowed */
	size_t n;          /* cards shown */
	char **titles, **summaries;
	char ***topics;    /* per card: NULL-terminated list of topic names */
};

/*
 * Valid UTF-8 on one line with single spaces: pango refuses invalid text,
 * and a newline would escape max_lines.
 */
static char *clean_text(const char *s)
{
	if (!s)
		return NULL;
	char *valid = g_utf8_make_valid(s, -1);
	char *out = xmalloc(strlen(valid) + 1), *o = out;
	bool space = true; /* drops leading spaces */
	for (const char *c = valid; *c; c++) {
		bool blank = (unsigned char)*c <= 0x20 || *c == 0x7f;
		if (blank && !space)
			*o++ = ' ';
		else if (!blank)
			*o++ = *c;
		space = blank;
	}
	if (o > out && o[-1] == ' ')
		o--;
	*o = '\0';
	g_free(valid);
	return out;
}

/* "语言模型(5)、高效推理(3)" with each area glued, so no line break cuts one. */
static char *glue_topics(const char *topics, const char *separator)
{
	char *all = clean_text(topics);
	if (!all || !*separator)
		return all;
	GString *out = g_string_new("");
	const char *s = all;
	for (;;) {
		const char *sep = strstr(s, separator);
		char *part = xstrndup(s, sep ? (size_t)(sep - s) : strlen(s));
		char *glued = linebreak_glue(part);
		g_string_append(out, glued);
		free(glued);
		free(part);
		if (!sep)
			break;
		g_string_append(out, separator);
		s = sep + strlen(separator);
	}
	free(all);
	char *r = xstrdup(out->str);
	g_string_free(out, TRUE);
	return r;
}

/* "强化学习 · 多模态" -> {"强化学习", "多模态", NULL}; empty parts are dropped. */
static char **split_topics(const char *topics)
{
	char *all = clean_text(topics ? topics : "");
	size_t count = 0, cap = 0;
	char **list = NULL;
	const char *s = all;
	for (;;) {
		const char *dot = strstr(s, MIDDOT);
		size_t len = dot ? (size_t)(dot - s) : strlen(s);
		while (len && s[0] == ' ') {
			s++;
			len--;
		}
		while (len && s[len - 1] == ' ')
			len--;
		if (len) {
			GROW(list, cap, count + 2);
			list[count++] = xstrndup(s, len);
			list[count] = NULL;
		}
		if (!dot)
			break;
		s = dot + strlen(MIDDOT);
	}
	free(all);
	if (!list)
		list = xcalloc(1, sizeof(*list));
	return list;
}

static void text_release(struct poster_text *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->titles[i]);
		free(t->summaries[i]);
		for (char **s = t->topics[i]; *s; s++)
			free(*s);
		free(t->topics[i]);
	}
	free(t->titles);
	free(t->summaries);
	free(t->topics);
	free(t->date_line);
	free(t->count_line);
	free(t->hot_line);
	free(t->more_line);
	free(t->credit);
	free(t->url);
	qr_release(&t->qr);
	memset(t, 0, sizeof(*t));
}

static int text_init(struct poster_text *t, const struct poster *p, const struct ui_strings *ui,
		     struct pb_err *err)
{
	memset(t, 0, sizeof(*t));
	struct pb_date d;
	if (!p->date || !*p->date) {
		pb_err_set(err, PB_ERR_USAGE, "the poster needs a date");
		return PB_ERR_USAGE;
	}
	if (date_parse(p->date, &d, err))
		return PB_ERR_USAGE;
	long days = date_to_days(&d);
	char year[16], month[8], day[8], weekday[16];
	snprintf(year, sizeof(year), "%d", d.year);
	snprintf(month, sizeof(month), "%d", d.month);
	snprintf(day, sizeof(day), "%d", d.day);
	/* 1970-01-01 was a Thursday: weekday4 (date.weekday0 is Sunday). */
	snprintf(weekday, sizeof(weekday), "date.weekday%ld", (((days % 7) + 7) % 7 + 4) % 7);
	const struct tmpl_var ymd[] = {{"year", year}, {"month", month}, {"day", day}};
	char *long_date = ui_format(ui, "date.long", ymd, PB_ARRAY_LEN(ymd));
	const struct tmpl_var dw[] = {{"date", long_date}, {"weekday", ui_get(ui, weekday)}};
	t->date_line = ui_format(ui, "poster.date", dw, PB_ARRAY_LEN(dw));
	free(long_date);
	t->name = ui_get(ui, "poster.name");
	t->count_before = ui_get(ui, "poster.count_before");
	t->count_after = ui_get(ui, "poster.count_after");
	t->ranking = ui_get(ui, "poster.ranking");
	t->scan = ui_get(ui, "poster.scan");
	const char *brand = p->brand && *p->brand ? p->brand : "paperboy";
	t->credit = ui_format(ui, "poster.credit", (const struct tmpl_var[]){{"brand", brand}}, 1);
	char *url = clean_text(p->url);
	if (url && *url && !qr_encode(url, &t->qr))
		t->url = url;
	else
		free(url);
	t->n = p->papers ? (p->n < POSTER_MAX_CARDS ? p->n : POSTER_MAX_CARDS) : 0;
	size_t total = p->total > t->n ? p->total : t->n;
	t->count_line = xasprintf("%zu", total);
	char *hot = glue_topics(p->hot_topics, ui_get(ui, "hot_topics.separator"));
	if (hot && *hot)
		t->hot_line = ui_format(ui, "poster.hot", (const struct tmpl_var[]){{"topics", hot}}, 1);
	free(hot);
	if (total > t->n) {
		char more[24];
		snprintf(more, sizeof(more), "%zu", total - t->n);
		t->more_line = ui_format(ui, "poster.more", (const struct tmpl_var[]){{"count", more}}, 1);
	}
	t->titles = xcalloc(t->n + 1, sizeof(*t->titles));
	t->summaries = xcalloc(t->n + 1, sizeof(*t->summaries));
	t->topics = xcalloc(t->n + 1, sizeof(*t->topics));
	for (size_t i = 0; i < t->n; i++) {
		const struct poster_paper *pp = &p->papers[i];
		t->titles[i] = clean_text(pp->title ? pp->title : "");
		char *summary = clean_text(pp->summary);
		if (summary && !*summary) {
			free(summary);
			summary = NULL;
		}
		t->summaries[i] = summary;
		t->topics[i] = split_topics(pp->topics);
	}
	return 0;
}

static struct text_style style(double size_px, int weight, struct rgb color)
{
	struct text_style s = {size_px, weight, color, NULL};
	return s;
}

static double layout_width(PangoLayout *layout)
{
	int w, h;
	pango_layout_get_pixel_size(layout, &w, &h);
	return w;
}

static double layout_height(PangoLayout *layout)
{
	int w, h;
	pango_layout_get_pixel_size(layout, &w, &h);
	return h;
}

static double measure_line(void *userdata, const char *text)
{
	PangoLayout *layout = userdata;
	pango_layout_set_text(layout, text, -1);
	return layout_width(layout);
}

/*
 * A layout of text in lines of at most width_px and max_lines, broken by
 * render/linebreak.h (between words, no orphans, chips whole) rather than
 * by pango, which cuts Chinese words and leaves single characters behind.
 */
static PangoLayout *wrapped_layout(cairo_t *cr, const char *text, const struct text_style *st,
				   double width_px, int max_lines, PangoAlignment align)
{
	PangoLayout *probe = canvas_layout(cr, "", st, 0, 0);
	struct wrapped w;
	linebreak_wrap(text, width_px, max_lines, measure_line, probe, &w);
	g_object_unref(probe);
	char *joined = wrapped_join(&w);
	wrapped_release(&w);
	PangoLayout *layout = canvas_layout(cr, joined, st, 0, 0);
	free(joined);
	if (align != PANGO_ALIGN_LEFT) {
		/* Each line already fits: the width only places them. */
		pango_layout_set_width(layout, (int)(width_px * PANGO_SCALE));
		pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
		pango_layout_set_alignment(layout, align);
	}
	return layout;
}

/* Text wrapped and centred in the width between the margins; returns its height. */
static double centred_text(cairo_t *cr, bool draw, const char *text, const struct text_style *st,
			   double y)
{
	PangoLayout *layout = wrapped_layout(cr, text, st, CARD_W, 2, PANGO_ALIGN_CENTER);
	if (draw)
		canvas_draw_layout(cr, layout, st->color, CARD_X, y);
	double h = layout_height(layout);
	g_object_unref(layout);
	return h;
}

/* A topic keeps its colour on every card: the palette entry is chosen by its name. */
static struct rgb topic_color(const char *name)
{
	uint32_t h = 2166136261u; /* FNV-1a */
	for (const unsigned char *s = (const unsigned char *)name; *s; s++)
		h = (h ^ *s) * 16777619u;
	return canvas_palette[h % canvas_palette_len];
}

/* A thumbs-up in a size x size box at x, y (after Material Design's thumb_up, Apache-2.0). */
static void thumbs_up(cairo_t *cr, double x, double y, double size, struct rgb color)
{
	cairo_save(cr);
	cairo_translate(cr, x, y);
	cairo_scale(cr, size / 24.0, size / 24.0);
	cairo_new_path(cr);
	cairo_rectangle(cr, 1, 9, 4, 12); /* the cuff */
	cairo_move_to(cr, 23, 10);
	cairo_curve_to(cr, 23, 8.9, 22.1, 8, 21, 8);
	cairo_line_to(cr, 14.69, 8);
	cairo_line_to(cr, 15.64, 3.43);
	cairo_line_to(cr, 15.67, 3.11);
	cairo_curve_to(cr, 15.67, 2.70, 15.50, 2.32, 15.23, 2.05);
	cairo_line_to(cr, 14.17, 1);
	cairo_line_to(cr, 7.59, 7.59);
	cairo_curve_to(cr, 7.22, 7.95, 7, 8.45, 7, 9);
	cairo_line_to(cr, 7, 19);
	cairo_curve_to(cr, 7, 20.1, 7.9, 21, 9, 21);
	cairo_line_to(cr, 18, 21);
	cairo_curve_to(cr, 18.83, 21, 19.54, 20.5, 19.84, 19.78);
	cairo_line_to(cr, 22.86, 12.73);
	cairo_curve_to(cr, 22.95, 12.50, 23, 12.26, 23, 12);
	cairo_close_path(cr);
	canvas_set_color(cr, color, 1);
	cairo_fill(cr);
	cairo_restore(cr);
}

/* A layout drawn so that its logical box is centred vertically on cy. */
static void draw_centred_v(cairo_t *cr, PangoLayout *layout, struct rgb color, double x, double cy)
{
	canvas_draw_layout(cr, layout, color, x, round(cy - layout_height(layout) / 2));
}

/*
 * The meta row: the upvotes, then one chip per topic; chips flow onto new
 * rows when they do not fit and a chip wider than the row is ellipsised.
 * Returns the height used.
 */
static double meta_row(cairo_t *cr, bool draw, long upvotes, char **topics, double x, double y,
		       double width)
{
	struct text_style vote_style = style(28, PANGO_WEIGHT_BOLD, canvas_accent);
	char votes[32];
	snprintf(votes, sizeof(votes), "%ld", upvotes);
	PangoLayout *vote = canvas_layout(cr, votes, &vote_style, 0, 0);
	double icon = 30, vote_w = icon + 10 + layout_width(vote);
	if (draw) {
		thumbs_up(cr, x, round(y + (CHIP_H - icon) / 2) - 1, icon, canvas_accent);
		draw_centred_v(cr, vote, canvas_accent, x + icon + 10, y + CHIP_H / 2);
	}
	g_object_unref(vote);

	struct text_style chip_style = style(24, PANGO_WEIGHT_NORMAL, canvas_ink);
	double cx = x + vote_w + 28, cy = y, right = x + width;
	for (char **t = topics; *t; t++) {
		PangoLayout *chip = canvas_layout(cr, *t, &chip_style, 0, 0);
		double max_text = width - 2 * CHIP_PAD;
		if (layout_width(chip) > max_text) {
			g_object_unref(chip);
			chip = canvas_layout(cr, *t, &chip_style, max_text, 1);
		}
		double w = layout_width(chip) + 2 * CHIP_PAD;
		if (cx + w > right && cx > x) {
			cx = x;
			cy += CHIP_H + CHIP_GAP;
		}
		if (draw) {
			struct rgb color = topic_color(*t);
			canvas_rounded_rect(cr, cx, cy, w, CHIP_H, CHIP_H / 2);
			canvas_set_color(cr, color, 0.10);
			cairo_fill(cr);
			/* The line box is a little deeper below the ideographs than above. */
			draw_centred_v(cr, chip, color, cx + CHIP_PAD, cy + CHIP_H / 2 - 1);
		}
		g_object_unref(chip);
		cx += w + CHIP_GAP;
	}
	return cy + CHIP_H - y;
}

/* A soft shadow: a few widening, faint rounded rectangles under the card. */
static void card_shadow(cairo_t *cr, double x, double y, double w, double h)
{
	for (int i = 6; i >= 1; i--) {
		double grow = i * 1.5;
		canvas_rounded_rect(cr, x - grow, y - grow + 4, w + 2 * grow, h + 2 * grow,
				    CARD_RADIUS + grow);
		canvas_set_color(cr, canvas_ink, 0.012);
		cairo_fill(cr);
	}
}

static void rank_badge(cairo_t *cr, size_t rank, bool top, double x, double y)
{
	cairo_new_path(cr);
	cairo_arc(cr, x + BADGE_D / 2, y + BADGE_D / 2, BADGE_D / 2, 0, 2 * G_PI);
	if (top)
		canvas_set_color(cr, canvas_accent, 1);
	else
		canvas_set_color(cr, badge_plain, 0.12);
	cairo_fill(cr);
	char number[24];
	snprintf(number, sizeof(number), "%zu", rank);
	struct text_style st = style(rank < 10 ? 28 : rank < 100 ? 24 : 20, PANGO_WEIGHT_BOLD,
				     top ? white : badge_plain);
	PangoLayout *layout = canvas_layout(cr, number, &st, 0, 0);
	PangoRectangle ink, logical;
	pango_layout_get_pixel_extents(layout, &ink, &logical);
	/* Centre the digits' ink, not the line box: the line box has room for descenders. */
	canvas_draw_layout(cr, layout, st.color, round(x + BADGE_D / 2 - ink.x - ink.width / 2.0),
			   round(y + BADGE_D / 2 - ink.y - ink.height / 2.0));
	g_object_unref(layout);
}

/* One card at y; returns its height. */
static double card(cairo_t *cr, bool draw, const struct poster_text *t, size_t i, long upvotes,
		   size_t number, double y)
{
	struct text_style title_style = style(38, PANGO_WEIGHT_BOLD, canvas_ink);
	struct text_style summary_style = style(28, PANGO_WEIGHT_NORMAL, canvas_muted);
	PangoLayout *title = wrapped_layout(cr, t->titles[i], &title_style, TEXT_W, 3, PANGO_ALIGN_LEFT);
	PangoLayout *summary = t->summaries[i]
		? wrapped_layout(cr, t->summaries[i], &summary_style, TEXT_W, 3, PANGO_ALIGN_LEFT)
		: NULL;
	double title_h = layout_height(title);
	double summary_top = CARD_PAD + title_h + 14;
	double meta_top = (summary ? summary_top + layout_height(summary) : summary_top - 14) + 24;
	double h = meta_top + meta_row(cr, false, upvotes, t->topics[i], TEXT_X, 0, TEXT_W) +
		   CARD_PAD - 4;
	if (draw) {
		card_shadow(cr, CARD_X, y, CARD_W, h);
		canvas_rounded_rect(cr, CARD_X, y, CARD_W, h, CARD_RADIUS);
		canvas_set_color(cr, white, 1);
		cairo_fill_preserve(cr);
		canvas_set_color(cr, canvas_ink, 0.08);
		cairo_set_line_width(cr, 1);
		cairo_stroke(cr);
		/* The badge sits on the middle of the title's first line. */
		PangoLayoutIter *iter = pango_layout_get_iter(title);
		PangoRectangle line;
		pango_layout_iter_get_line_extents(iter, NULL, &line);
		pango_layout_iter_free(iter);
		double first_line = (double)line.height / PANGO_SCALE;
		/* The edition's number, so "paper 3" is the same paper on the poster and in the
		 * edition; the first three cards (the most upvoted) keep the accent. */
		rank_badge(cr, number ? number : i + 1, i < 3, CARD_X + CARD_PAD,
			   round(y + CARD_PAD + first_line / 2 - BADGE_D / 2));
		canvas_draw_layout(cr, title, canvas_ink, TEXT_X, y + CARD_PAD);
		if (summary)
			canvas_draw_layout(cr, summary, canvas_muted, TEXT_X, y + summary_top);
		meta_row(cr, true, upvotes, t->topics[i], TEXT_X, y + meta_top, TEXT_W);
	}
	g_object_unref(title);
	if (summary)
		g_object_unref(summary);
	return h;
}

/* "今日 N 篇论文" with a large N, the three parts on one baseline; returns its height. */
static double count_row(cairo_t *cr, bool draw, const struct poster_text *t, double x, double y)
{
	struct text_style small = style(32, PANGO_WEIGHT_NORMAL, white);
	struct text_style big = style(60, PANGO_WEIGHT_BOLD, header_number);
	PangoLayout *parts[3] = {
		canvas_layout(cr, t->count_before, &small, 0, 0),
		canvas_layout(cr, t->count_line, &big, 0, 0),
		canvas_layout(cr, t->count_after, &small, 0, 0),
	};
	const struct rgb colors[3] = {white, header_number, white};
	double baseline = 0, bottom = 0;
	for (int i = 0; i < 3; i++) {
		double b = pango_layout_get_baseline(parts[i]) / (double)PANGO_SCALE;
		if (b > baseline)
			baseline = b;
	}
	for (int i = 0; i < 3; i++) {
		double b = pango_layout_get_baseline(parts[i]) / (double)PANGO_SCALE;
		double top = baseline - b, end = top + layout_height(parts[i]);
		if (end > bottom)
			bottom = end;
		if (draw)
			canvas_draw_layout(cr, parts[i], colors[i], x, round(y + top));
		x += layout_width(parts[i]) + 14;
		g_object_unref(parts[i]);
	}
	return bottom;
}

/* Draw (when draw is set) and free a header layout at (x, y) in colour at alpha; returns its height. */
static double header_line(cairo_t *cr, bool draw, PangoLayout *layout, struct rgb colour,
			  double alpha, double x, double y)
{
	if (draw) {
		canvas_set_color(cr, colour, alpha);
		cairo_move_to(cr, x, y);
		pango_cairo_show_layout(cr, layout);
	}
	double h = layout_height(layout);
	g_object_unref(layout);
	return h;
}

/* The header band's content at y (the band itself is drawn by header()); returns its height. */
static double header_content(cairo_t *cr, bool draw, const struct poster_text *t, double y)
{
	double x = HEADER_PAD_X, w = POSTER_WIDTH - 2 * HEADER_PAD_X, top = y;
	struct text_style name = style(64, PANGO_WEIGHT_BOLD, white);
	struct text_style date = style(32, PANGO_WEIGHT_NORMAL, white);
	struct text_style hot = style(28, PANGO_WEIGHT_NORMAL, white);
	PangoLayout *layout = wrapped_layout(cr, t->name, &name, w, 2, PANGO_ALIGN_LEFT);
	if (draw)
		canvas_draw_layout(cr, layout, white, x, y);
	y += layout_height(layout) + 18;
	g_object_unref(layout);
	if (draw) {
		canvas_rounded_rect(cr, x, y, 72, 6, 3);
		canvas_set_color(cr, header_number, 1);
		cairo_fill(cr);
	}
	y += 6 + 22;
	y += header_line(cr, draw, canvas_layout(cr, t->date_line, &date, w, 1), white, 0.82, x, y) + 30;
	y += count_row(cr, draw, t, x, y);
	if (t->hot_line) {
		y += 6;
		y += header_line(cr, draw, wrapped_layout(cr, t->hot_line, &hot, w, 2, PANGO_ALIGN_LEFT),
				 white, 0.82, x, y);
	}
	if (t->n > 1) {
		y += 10;
		y += header_line(cr, draw, wrapped_layout(cr, t->ranking, &hot, w, 2, PANGO_ALIGN_LEFT),
				 header_number, 0.92, x, y);
	}
	return y - top;
}

static double header(cairo_t *cr, bool draw, const struct poster_text *t)
{
	double h = HEADER_PAD_TOP + header_content(cr, false, t, 0) + HEADER_PAD_BOTTOM;
	if (draw) {
		cairo_pattern_t *band = cairo_pattern_create_linear(0, 0, 0, h);
		cairo_pattern_add_color_stop_rgb(band, 0, header_top.r, header_top.g, header_top.b);
		cairo_pattern_add_color_stop_rgb(band, 1, header_bottom.r, header_bottom.g,
						 header_bottom.b);
		cairo_rectangle(cr, 0, 0, POSTER_WIDTH, h);
		cairo_set_source(cr, band);
		cairo_fill(cr);
		cairo_pattern_destroy(band);
		header_content(cr, true, t, HEADER_PAD_TOP);
	}
	return h;
}

/* The QR code of the edition's URL, and beside it what it is and the URL; returns its height. */
static double url_block(cairo_t *cr, bool draw, const struct poster_text *t, double y)
{
	/* Whole pixels per module keep the modules sharp; about 220 px in all. */
	double module = floor(220.0 / (t->qr.width + 2 * QR_QUIET_ZONE));
	if (module < 3)
		module = 3;
	double side = qr_side(&t->qr, module);
	double text_x = CARD_X + side + 32, text_w = CARD_X + CARD_W - text_x;
	struct text_style scan = style(30, PANGO_WEIGHT_BOLD, canvas_ink);
	struct text_style link = style(24, PANGO_WEIGHT_NORMAL, canvas_accent);
	PangoLayout *a = wrapped_layout(cr, t->scan, &scan, text_w, 2, PANGO_ALIGN_LEFT);
	PangoLayout *b = wrapped_layout(cr, t->url, &link, text_w, 4, PANGO_ALIGN_LEFT);
	double text_h = layout_height(a) + 12 + layout_height(b);
	double h = side > text_h ? side : text_h;
	if (draw) {
		qr_draw(cr, &t->qr, CARD_X, round(y + (h - side) / 2), module);
		double ty = round(y + (h - text_h) / 2);
		canvas_draw_layout(cr, a, canvas_ink, text_x, ty);
		canvas_draw_layout(cr, b, canvas_accent, text_x, ty + layout_height(a) + 12);
	}
	g_object_unref(a);
	g_object_unref(b);
	return h;
}

char *poster_join_url(const char *base_url, const char *relpath)
{
	size_t n = strlen(base_url);
	while (n && base_url[n - 1] == '/')
		n--;
	while (*relpath == '/')
		relpath++;
	return xasprintf("%.*s/%s", (int)n, base_url, relpath);
}

/* The whole poster from the top; returns its height. */
static double paint(cairo_t *cr, bool draw, const struct poster *p, const struct poster_text *t)
{
	double y = header(cr, draw, t) + 44;
	for (size_t i = 0; i < t->n; i++)
		y += card(cr, draw, t, i, p->papers[i].upvotes, p->papers[i].number, y) + CARD_GAP;
	if (t->more_line) {
		struct text_style more = style(28, PANGO_WEIGHT_NORMAL, canvas_muted);
		y += 8 + centred_text(cr, draw, t->more_line, &more, y + 8) + 12;
	}
	y += 20;
	if (draw) {
		cairo_rectangle(cr, CARD_X, y, CARD_W, 1);
		canvas_set_color(cr, canvas_muted, 0.30);
		cairo_fill(cr);
	}
	y += 1 + 28;
	if (t->url)
		y += url_block(cr, draw, t, y) + 28;
	struct text_style foot = style(22, PANGO_WEIGHT_NORMAL, canvas_muted);
	y += centred_text(cr, draw, t->credit, &foot, y);
	return y + 48;
}

int poster_render_png(const struct poster *p, const struct ui_strings *ui, const char *path,
		      struct pb_err *err)
{
	if (!p || !ui || !path || !*path) {
		pb_err_set(err, PB_ERR_USAGE, "poster: no poster, no UI strings or no output path");
		return PB_ERR_USAGE;
	}
	struct poster_text t;
	int rc = text_init(&t, p, ui, err);
	if (rc) {
		text_release(&t);
		return rc;
	}
	struct canvas c;
	rc = canvas_init(&c, 1, 1, err);
	if (!rc) {
		int height = (int)ceil(paint(c.cr, false, p, &t));
		canvas_release(&c);
		rc = canvas_init(&c, POSTER_WIDTH, height, err);
	}
	if (!rc) {
		canvas_clear(&c, canvas_paper);
		paint(c.cr, true, p, &t);
		rc = canvas_write_png(&c, path, err);
	}
	canvas_release(&c);
	text_release(&t);
	return rc;
}
