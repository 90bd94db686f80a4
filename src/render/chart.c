/* chart.c - the daily paper counts as bars, a 7-day average and a running total. */
#include "core/common.h"

#include "render/chart.h"
#include "render/canvas.h"
#include "lang/lang.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Layout, in pixels of the CHART_WIDTH x CHART_HEIGHT picture. */
#define OUTER 40.0          /* left and right edges of the picture */
#define TITLE_Y 26.0        /* top of the title */
#define PLOT_TOP 140.0
#define PLOT_BOTTOM (CHART_HEIGHT - 58.0)
#define AXIS_GAP 10.0       /* between a tick label and the plot */
#define LEGEND_Y 44.0       /* vertical centre of the legend row */

#define FONT_TITLE 26.0
#define FONT_SUBTITLE 15.0
#define FONT_TICK 13.0
#define FONT_LEGEND 14.0
#define FONT_VALUE 15.0
#define FONT_NOTE 18.0
#define FONT_CAPTION 12.0


#define MA_DAYS 7
#define HEADROOM 1.12       /* room above the highest bar for its value */

/* Colours of the series; the accent is kept for D alone. */
#define COLOR_BARS canvas_palette[0]
#define COLOR_AVERAGE canvas_palette[2]
#define COLOR_TOTAL canvas_palette[4]

struct geom {
	double left, right, top, bottom;  /* the plot area */
	double slot;                      /* horizontal space of one day */
	double bar_w;
	int intervals;                    /* grid intervals, shared by both axes */
	double step_l, step_r;            /* tick steps of the left and right axes */
};

static double day_x(const struct geom *g, size_t i)
{
	return g->left + g->slot * ((double)i + 0.5);
}

static double y_left(const struct geom *g, double v)
{
	return g->bottom - v / (g->step_l * g->intervals) * (g->bottom - g->top);
}

static double y_right(const struct geom *g, double v)
{
	return g->bottom - v / (g->step_r * g->intervals) * (g->bottom - g->top);
}

static double series_y(const struct geom *g, double v, bool right_axis)
{
	return right_axis ? y_right(g, v) : y_left(g, v);
}

static double count_of(const struct day_count *d)
{
	return d->count > 0 ? (double)d->count : 0.0;
}

/* The smallest step of 1, 2 or 5 x 10^k (counts are whole: >= 1) with intervals * step >= need. */
static double nice_step(double need, int intervals)
{
	static const double mult[] = {1, 2, 5};
	double base = 1;
	for (int guard = 0; guard < 400; guard++) {
		double s = mult[guard % 3] * base;
		if (s * intervals >= need)
			return s;
		if (guard % 3 == 2)
			base *= 10;
	}
	return need / intervals;
}

/*
 * Both axes share the grid lines, so they share the number of intervals
 * (3 to 5, i.e. 4 to 6 ticks); pick the one that fills the plot best.
 */
static void choose_ticks(struct geom *g, double max_count, double total)
{
	static const int choices[] = {4, 5, 3};
	double need_l = max_count * HEADROOM, best = -1;
	for (size_t c = 0; c < PB_ARRAY_LEN(choices); c++) {
		int k = choices[c];
		double sl = nice_step(need_l, k), sr = nice_step(total, k);
		double score = need_l / (k * sl) + total / (k * sr);
		if (score > best) {
			best = score;
			g->intervals = k;
			g->step_l = sl;
			g->step_r = sr;
		}
	}
}

/* A whole number with thousands separators: 12,345. */
static void format_count(char *out, size_t cap, double v)
{
	char digits[32];
	snprintf(digits, sizeof(digits), "%.0f", v);
	size_t len = strlen(digits), o = 0;
	for (size_t i = 0; i < len && o + 2 < cap; i++) {
		if (i > 0 && (len - i) % 3 == 0 && digits[0] != '-')
			out[o++] = ',';
		out[o++] = digits[i];
	}
	out[o] = '\0';
}

/* "MM-DD" from "YYYY-MM-DD" (or the text as it is when it is not a date). */
static void format_day(char *out, size_t cap, const struct day_count *d)
{
	size_t len = strnlen(d->date, sizeof(d->date));
	if (len == 10 && d->date[4] == '-')
		snprintf(out, cap, "%.5s", d->date + 5);
	else
		snprintf(out, cap, "%.*s", (int)len, d->date);
}

static struct text_style style(double size, int weight, struct rgb color)
{
	struct text_style st = {size, weight, color, NULL};
	return st;
}

static double text_width(cairo_t *cr, const char *text, const struct text_style *st)
{
	PangoLayout *layout = canvas_layout(cr, text, st, 0, 0);
	int w, h;
	pango_layout_get_pixel_size(layout, &w, &h);
	g_object_unref(layout);
	return w;
}

/*
 * Draw text on a baseline; xalign 0 puts its left edge at x, 0.5 its
 * centre, 1 its right edge. Returns its width.
 */
static double text_on_baseline(cairo_t *cr, const char *text, const struct text_style *st,
			       double x, double baseline, double xalign)
{
	PangoLayout *layout = canvas_layout(cr, text, st, 0, 0);
	int w, h;
	pango_layout_get_pixel_size(layout, &w, &h);
	double top = baseline - pango_layout_get_baseline(layout) / (double)PANGO_SCALE;
	canvas_draw_layout(cr, layout, st->color, x - xalign * w, top);
	g_object_unref(layout);
	return w;
}

/* The baseline that centres digits (cap height ~0.72 em) on y. */
static double digits_baseline(double y, double size)
{
	return y + 0.36 * size;
}

/* The baseline that centres CJK glyphs (about -0.88 to +0.12 em) on y. */
static double cjk_baseline(double y, double size)
{
	return y + 0.38 * size;
}

/* A bar with rounded top corners as the current path. */
static void bar_path(cairo_t *cr, double x, double y, double w, double h)
{
	double r = fmin(3.0, fmin(w / 3, h));
	cairo_new_sub_path(cr);
	cairo_move_to(cr, x, y + h);
	cairo_line_to(cr, x, y + r);
	if (r > 0)
		cairo_arc(cr, x + r, y + r, r, G_PI, 3 * G_PI / 2);
	cairo_line_to(cr, x + w - r, y);
	if (r > 0)
		cairo_arc(cr, x + w - r, y + r, r, 3 * G_PI / 2, 2 * G_PI);
	cairo_line_to(cr, x + w, y + h);
	cairo_close_path(cr);
}

/* Light diagonal hatching in a rectangle: the mark of a day never fetched. */
static void hatch(cairo_t *cr, double x, double y, double w, double h)
{
	cairo_save(cr);
	cairo_rectangle(cr, x, y, w, h);
	cairo_clip(cr);
	canvas_set_color(cr, canvas_muted, 0.07);
	cairo_paint(cr);
	canvas_set_color(cr, canvas_muted, 0.55);
	cairo_set_line_width(cr, 1);
	for (double d = -h; d < w; d += 4) {
		cairo_move_to(cr, x + d, y + h);
		cairo_line_to(cr, x + d + h, y);
	}
	cairo_stroke(cr);
	cairo_restore(cr);
}

/* The 7-day average (over the known days among the 7 ending at i) at known days; NAN elsewhere. */
static void moving_average(const struct day_count *days, size_t n, double *out)
{
	double sum = 0;
	size_t known = 0;
	for (size_t i = 0; i < n; i++) {
		if (days[i].known) {
			sum += count_of(&days[i]);
			known++;
		}
		if (i >= MA_DAYS && days[i - MA_DAYS].known) {
			sum -= count_of(&days[i - MA_DAYS]);
			known--;
		}
		out[i] = days[i].known && known ? sum / (double)known : NAN;
	}
}

/*
 * The running total of the known days, from the first known day on; a day
 * never fetched adds nothing, so the total runs on flat through it and never
 * breaks. NAN before the first known day.
 */
static void running_total(const struct day_count *days, size_t n, double *out)
{
	double sum = 0;
	bool started = false;
	for (size_t i = 0; i < n; i++) {
		if (days[i].known) {
			sum += count_of(&days[i]);
			started = true;
		}
		out[i] = started ? sum : NAN;
	}
}

/* Points of values (NAN: a gap) as sub-paths that break at every gap; lone points are dots. */
static void series_path(cairo_t *cr, const struct geom *g, const double *values, size_t n,
			bool right_axis)
{
	cairo_new_path(cr);
	for (size_t i = 0; i < n; i++) {
		if (isnan(values[i]))
			continue;
		double x = day_x(g, i), y = series_y(g, values[i], right_axis);
		if (i == 0 || isnan(values[i - 1]))
			cairo_move_to(cr, x, y);
		else
			cairo_line_to(cr, x, y);
	}
}

static void series_dots(cairo_t *cr, const struct geom *g, const double *values, size_t n,
			bool right_axis, double radius)
{
	cairo_new_path(cr);
	for (size_t i = 0; i < n; i++) {
		bool lone = !isnan(values[i]) && (i == 0 || isnan(values[i - 1])) &&
			    (i + 1 == n || isnan(values[i + 1]));
		if (!lone)
			continue;
		double x = day_x(g, i), y = series_y(g, values[i], right_axis);
		cairo_new_sub_path(cr);
		cairo_arc(cr, x, y, radius, 0, 2 * G_PI);
	}
	cairo_fill(cr);
}

static void draw_average(cairo_t *cr, const struct geom *g, const double *ma, size_t n)
{
	cairo_save(cr);
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
	cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
	/* A halo of paper lifts the line off the bars. */
	series_path(cr, g, ma, n, false);
	canvas_set_color(cr, canvas_paper, 0.85);
	cairo_set_line_width(cr, 6);
	cairo_stroke(cr);
	series_path(cr, g, ma, n, false);
	canvas_set_color(cr, COLOR_AVERAGE, 1);
	cairo_set_line_width(cr, 2.5);
	cairo_stroke(cr);
	canvas_set_color(cr, COLOR_AVERAGE, 1);
	series_dots(cr, g, ma, n, false, 3.5);
	cairo_restore(cr);
}

static void draw_total(cairo_t *cr, const struct geom *g, const double *total, size_t n)
{
	static const double dash[] = {7, 4};
	cairo_save(cr);
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
	cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
	series_path(cr, g, total, n, true);
	canvas_set_color(cr, COLOR_TOTAL, 0.9);
	cairo_set_line_width(cr, 1.75);
	cairo_set_dash(cr, dash, 2, 0);
	cairo_stroke(cr);
	cairo_set_dash(cr, NULL, 0, 0);
	canvas_set_color(cr, COLOR_TOTAL, 0.9);
	series_dots(cr, g, total, n, true, 3);
	cairo_restore(cr);
}

enum legend_item { LEGEND_DAILY, LEGEND_DAY, LEGEND_AVERAGE, LEGEND_TOTAL, LEGEND_MISSING };

/*
 * The legend, right-aligned at right on the row centred at y: one entry per
 * mark the chart draws, so D's accent bar has its own, and "never fetched"
 * appears only when such a day is drawn.
 */
static void draw_legend(cairo_t *cr, const struct ui_strings *ui, double right, double y,
			bool has_day, bool any_missing)
{
	enum legend_item items[5];
	size_t n = 0;
	items[n++] = LEGEND_DAILY;
	if (has_day)
		items[n++] = LEGEND_DAY;
	items[n++] = LEGEND_AVERAGE;
	items[n++] = LEGEND_TOTAL;
	if (any_missing)
		items[n++] = LEGEND_MISSING;
	static const char *const keys[] = {"chart.legend_daily", "chart.legend_day",
					   "chart.legend_average", "chart.legend_total",
					   "chart.legend_missing"};
	const double swatch = 22, gap = 8, spacing = 26;
	struct text_style st = style(FONT_LEGEND, PANGO_WEIGHT_NORMAL, canvas_ink);
	double width = 0;
	for (size_t i = 0; i < n; i++)
		width += (i ? spacing : 0) + swatch + gap + text_width(cr, ui_get(ui, keys[items[i]]), &st);
	double x = right - width;
	for (size_t i = 0; i < n; i++) {
		cairo_save(cr);
		switch (items[i]) {
		case LEGEND_DAILY:
			canvas_set_color(cr, COLOR_BARS, 0.8);
			bar_path(cr, x + 5, y - 7, 12, 14);
			cairo_fill(cr);
			break;
		case LEGEND_DAY:
			canvas_set_color(cr, canvas_accent, 1);
			bar_path(cr, x + 5, y - 7, 12, 14);
			cairo_fill(cr);
			break;
		case LEGEND_AVERAGE:
			canvas_set_color(cr, COLOR_AVERAGE, 1);
			cairo_set_line_width(cr, 2.5);
			cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
			cairo_move_to(cr, x + 1, y);
			cairo_line_to(cr, x + swatch - 1, y);
			cairo_stroke(cr);
			break;
		case LEGEND_TOTAL: {
			static const double dash[] = {7, 4};
			canvas_set_color(cr, COLOR_TOTAL, 0.9);
			cairo_set_line_width(cr, 1.75);
			cairo_set_dash(cr, dash, 2, 0);
			cairo_move_to(cr, x, y);
			cairo_line_to(cr, x + swatch, y);
			cairo_stroke(cr);
			break;
		}
		case LEGEND_MISSING:
			hatch(cr, x + 4, y - 7, 14, 14);
			break;
		}
		cairo_restore(cr);
		x += swatch + gap;
		x += text_on_baseline(cr, ui_get(ui, keys[items[i]]), &st, x,
				      cjk_baseline(y, FONT_LEGEND), 0);
		x += spacing;
	}
}

static void draw_titles(cairo_t *cr, const struct ui_strings *ui, const struct day_count *days,
			size_t n)
{
	struct text_style title = style(FONT_TITLE, PANGO_WEIGHT_BOLD, canvas_ink);
	struct text_style sub = style(FONT_SUBTITLE, PANGO_WEIGHT_NORMAL, canvas_muted);
	double h = canvas_text(cr, ui_get(ui, "chart.title"), &title, OUTER, TITLE_Y, 0, 0);
	char *first = xstrndup(days[0].date, sizeof(days[0].date));
	char *last = xstrndup(days[n - 1].date, sizeof(days[0].date));
	const struct tmpl_var vars[] = {{"first", first}, {"last", last}};
	char *line = n == 1 ? ui_format(ui, "chart.subtitle_day", vars + 1, 1)
			    : ui_format(ui, "chart.subtitle_range", vars, 2);
	canvas_text(cr, line, &sub, OUTER, TITLE_Y + h + 2, 0, 0);
	free(line);
	free(first);
	free(last);
}

/* Grid lines, both y axes with their ticks, the baseline. */
static void draw_axes(cairo_t *cr, const struct ui_strings *ui, const struct geom *g)
{
	struct text_style tick = style(FONT_TICK, PANGO_WEIGHT_NORMAL, canvas_muted);
	char label[40];
	cairo_save(cr);
	cairo_set_line_width(cr, 1);
	for (int j = 1; j <= g->intervals; j++) {
		double y = floor(y_left(g, j * g->step_l)) + 0.5;
		cairo_move_to(cr, g->left, y);
		cairo_line_to(cr, g->right, y);
	}
	canvas_set_color(cr, canvas_ink, 0.08);
	cairo_stroke(cr);
	for (int j = 0; j <= g->intervals; j++) {
		double y = y_left(g, j * g->step_l);
		format_count(label, sizeof(label), j * g->step_l);
		double baseline = digits_baseline(y, FONT_TICK);
		text_on_baseline(cr, label, &tick, g->left - AXIS_GAP, baseline, 1);
		format_count(label, sizeof(label), j * g->step_r);
		text_on_baseline(cr, label, &tick, g->right + AXIS_GAP, baseline, 0);
	}
	/* Axis captions above the top labels. */
	struct text_style cap = style(FONT_CAPTION, PANGO_WEIGHT_NORMAL, canvas_muted);
	text_on_baseline(cr, ui_get(ui, "chart.axis_left"), &cap, g->left - AXIS_GAP, g->top - 18, 1);
	cap.color = COLOR_TOTAL;
	text_on_baseline(cr, ui_get(ui, "chart.axis_right"), &cap, g->right + AXIS_GAP, g->top - 18, 0);
	double y0 = floor(g->bottom) + 0.5;
	cairo_move_to(cr, g->left, y0);
	cairo_line_to(cr, g->right, y0);
	canvas_set_color(cr, canvas_muted, 0.7);
	cairo_stroke(cr);
	cairo_restore(cr);
}

/* Day labels under the axis: every k-th day counted back from D, so D is always labelled. */
static void draw_days(cairo_t *cr, const struct geom *g, const struct day_count *days, size_t n)
{
	struct text_style st = style(FONT_TICK, PANGO_WEIGHT_NORMAL, canvas_muted);
	struct text_style bold = style(FONT_TICK, PANGO_WEIGHT_BOLD, canvas_ink);
	double widest = text_width(cr, "00-00", &bold);
	for (size_t i = 0; i < n; i++) {
		char label[16];
		format_day(label, sizeof(label), &days[i]);
		widest = fmax(widest, text_width(cr, label, &bold));
	}
	double every = ceil((widest + 18) / g->slot);
	size_t k = every < 1 ? 1 : every > (double)n ? n : (size_t)every;
	double baseline = g->bottom + 12 + FONT_TICK;
	cairo_save(cr);
	cairo_set_line_width(cr, 1);
	canvas_set_color(cr, canvas_muted, 0.7);
	for (size_t back = 0; back < n; back += k) {
		double x = floor(day_x(g, n - 1 - back)) + 0.5;
		cairo_move_to(cr, x, g->bottom);
		cairo_line_to(cr, x, g->bottom + 5);
	}
	cairo_stroke(cr);
	cairo_restore(cr);
	for (size_t back = 0; back < n; back += k) {
		size_t i = n - 1 - back;
		char label[16];
		format_day(label, sizeof(label), &days[i]);
		text_on_baseline(cr, label, back == 0 ? &bold : &st, day_x(g, i), baseline, 0.5);
	}
}

static void draw_bars(cairo_t *cr, const struct geom *g, const struct day_count *days, size_t n)
{
	double hatch_h = fmin(8, (g->bottom - g->top) / 4);
	for (size_t i = 0; i < n; i++) {
		double x = day_x(g, i) - g->bar_w / 2;
		if (!days[i].known) {
			hatch(cr, x, g->bottom - hatch_h, g->bar_w, hatch_h);
			continue;
		}
		bool d = i + 1 == n;
		double y = y_left(g, count_of(&days[i]));
		/* A known zero is a hairline on the axis, unlike a gap. */
		double h = fmax(g->bottom - y, 1.5);
		bar_path(cr, x, g->bottom - h, g->bar_w, h);
		if (d)
			canvas_set_color(cr, canvas_accent, 1);
		else
			canvas_set_color(cr, COLOR_BARS, 0.8);
		cairo_fill(cr);
	}
}

struct box {
	double x0, y0, x1, y1;
};

/* Whether the segment a-b comes within margin of box (sampled: it is a few pixels long). */
static bool segment_hits(double ax, double ay, double bx, double by, struct box b, double margin)
{
	for (int k = 0; k <= 32; k++) {
		double t = k / 32.0, x = ax + (bx - ax) * t, y = ay + (by - ay) * t;
		if (x >= b.x0 - margin && x <= b.x1 + margin && y >= b.y0 - margin &&
		    y <= b.y1 + margin)
			return true;
	}
	return false;
}

/* Whether the last stretch of a series (into D) crosses box. */
static bool series_hits(const struct geom *g, const double *values, size_t n, bool right_axis,
			struct box b)
{
	size_t i = n - 1;
	if (isnan(values[i]))
		return false;
	double x1 = day_x(g, i), y1 = series_y(g, values[i], right_axis);
	double x0 = x1, y0 = y1;
	if (i > 0 && !isnan(values[i - 1])) {
		x0 = day_x(g, i - 1);
		y0 = series_y(g, values[i - 1], right_axis);
	}
	return segment_hits(x0, y0, x1, y1, b, 4);
}

/*
 * D's count, above its bar; where a line runs through that spot, inside
 * the top of the bar, or else above the lines. Always on a patch of its
 * own colour so nothing crosses it.
 */
static void draw_value(cairo_t *cr, const struct geom *g, const struct day_count *days, size_t n,
		       const double *average, const double *total)
{
	struct text_style st = style(FONT_VALUE, PANGO_WEIGHT_BOLD, canvas_accent);
	char label[40];
	size_t i = n - 1;
	format_count(label, sizeof(label), count_of(&days[i]));
	double w = text_width(cr, label, &st), x = day_x(g, i);
	double cap = 0.74 * FONT_VALUE, pad = 3;
	double bar_top = y_left(g, count_of(&days[i]));
	double highest = bar_top;
	if (!isnan(average[i]))
		highest = fmin(highest, y_left(g, average[i]) - 4);
	if (!isnan(total[i]))
		highest = fmin(highest, y_right(g, total[i]) - 4);
	struct {
		double baseline;
		bool inside;
	} spots[] = {
		{bar_top - 8, false},
		{bar_top + pad + cap + 5, true},
		{highest - 8, false},
	};
	size_t pick = 0;
	for (size_t k = 0; k < PB_ARRAY_LEN(spots); k++) {
		struct box b = {x - w / 2 - 4, spots[k].baseline - cap - pad, x + w / 2 + 4,
				spots[k].baseline + pad};
		if (spots[k].inside && (w + 8 > g->bar_w || b.y1 + 4 > g->bottom))
			continue;
		if (b.y0 < g->top - 20)
			continue;
		if (!series_hits(g, average, n, false, b) && !series_hits(g, total, n, true, b)) {
			pick = k;
			break;
		}
	}
	struct box b = {x - w / 2 - 4, spots[pick].baseline - cap - pad, x + w / 2 + 4,
			spots[pick].baseline + pad};
	canvas_set_color(cr, spots[pick].inside ? canvas_accent : canvas_paper, 0.92);
	canvas_rounded_rect(cr, b.x0, b.y0, b.x1 - b.x0, b.y1 - b.y0, 3);
	cairo_fill(cr);
	if (spots[pick].inside)
		st.color = canvas_paper;
	text_on_baseline(cr, label, &st, x, spots[pick].baseline, 0.5);
}

static void draw_note(cairo_t *cr, const struct geom *g, const char *note)
{
	struct text_style st = style(FONT_NOTE, PANGO_WEIGHT_NORMAL, canvas_muted);
	double x = (g->left + g->right) / 2, y = (g->top + g->bottom) / 2;
	double w = text_width(cr, note, &st);
	/* Paper behind it, so the grid line through the middle stops short of the words. */
	canvas_set_color(cr, canvas_paper, 1);
	cairo_rectangle(cr, x - w / 2 - 12, y - FONT_NOTE, w + 24, 2 * FONT_NOTE);
	cairo_fill(cr);
	text_on_baseline(cr, note, &st, x, cjk_baseline(y, FONT_NOTE), 0.5);
}

static double widest_tick(cairo_t *cr, int intervals, double step)
{
	struct text_style tick = style(FONT_TICK, PANGO_WEIGHT_NORMAL, canvas_muted);
	char label[40];
	format_count(label, sizeof(label), intervals * step);
	return text_width(cr, label, &tick);
}

int chart_render_png(const struct day_count *days, size_t n, const struct ui_strings *ui,
		     const char *path, struct pb_err *err)
{
	if (!days || n == 0)
		return pb_err_set(err, PB_ERR_USAGE, "chart: no days to draw");
	if (!path || !*path)
		return pb_err_set(err, PB_ERR_USAGE, "chart: no path to write the picture to");
	if (!ui)
		return pb_err_set(err, PB_ERR_USAGE, "chart: no UI strings to label it with");

	double max_count = 0, total = 0;
	bool any_known = false, any_missing = false;
	for (size_t i = 0; i < n; i++) {
		if (!days[i].known) {
			any_missing = true;
			continue;
		}
		any_known = true;
		max_count = fmax(max_count, count_of(&days[i]));
		total += count_of(&days[i]);
	}

	struct canvas c;
	int rc = canvas_init(&c, CHART_WIDTH, CHART_HEIGHT, err);
	if (rc)
		return rc;
	cairo_t *cr = c.cr;
	canvas_clear(&c, canvas_paper);

	struct geom g;
	memset(&g, 0, sizeof(g));
	choose_ticks(&g, max_count, total);
	struct text_style cap = style(FONT_CAPTION, PANGO_WEIGHT_NORMAL, canvas_muted);
	double left_w = fmax(widest_tick(cr, g.intervals, g.step_l),
			     text_width(cr, ui_get(ui, "chart.axis_left"), &cap));
	double right_w = fmax(widest_tick(cr, g.intervals, g.step_r),
			      text_width(cr, ui_get(ui, "chart.axis_right"), &cap));
	g.left = OUTER + left_w + AXIS_GAP;
	g.right = CHART_WIDTH - OUTER - right_w - AXIS_GAP;
	g.top = PLOT_TOP;
	g.bottom = PLOT_BOTTOM;
	g.slot = (g.right - g.left) / (double)n;
	g.bar_w = fmin(fmax(g.slot * 0.64, fmin(g.slot, 1.0)), 44);

	draw_titles(cr, ui, days, n);
	draw_legend(cr, ui, CHART_WIDTH - OUTER, LEGEND_Y, days[n - 1].known, any_missing);
	draw_axes(cr, ui, &g);
	draw_bars(cr, &g, days, n);
	if (any_known) {
		double *running = xmalloc(2 * n * sizeof(*running)), *average = running + n;
		running_total(days, n, running);
		moving_average(days, n, average);
		draw_total(cr, &g, running, n);
		draw_average(cr, &g, average, n);
		if (days[n - 1].known)
			draw_value(cr, &g, days, n, average, running);
		free(running);
	} else {
		draw_note(cr, &g, ui_get(ui, "chart.no_data"));
	}
	draw_days(cr, &g, days, n);

	rc = canvas_write_png(&c, path, err);
	canvas_release(&c);
	return rc;
}
