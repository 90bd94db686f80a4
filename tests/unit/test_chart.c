/* Unit tests for render/chart: the daily papers chart as a PNG, its gaps and edge cases. */
#include "core/common.h"

#include "render/canvas.h"
#include "render/chart.h"
#include "core/buf.h"
#include "core/date.h"
#include "core/fsutil.h"
#include "lang/lang.h"
#include "harness.h"
#include "ui_helper.h"

#include <cairo.h>
#include <dirent.h>
#include <stdlib.h>
#include <unistd.h>

static char tmpdir[] = "/tmp/paperboy-chart-XXXXXX";

static struct ui_strings *ui;

/* n consecutive days ending at last, all known, counts zero. */
static void fill_days(struct day_count *days, size_t n, const char *last)
{
	struct pb_date end, d;
	struct pb_err err = PB_ERR_INIT;
	CHECK_INT(date_parse(last, &end, &err), 0);
	for (size_t i = 0; i < n; i++) {
		date_add_days(&end, (int)i - (int)(n - 1), &d);
		date_format(&d, days[i].date);
		days[i].count = 0;
		days[i].known = true;
	}
}

/* 2025-11-27 .. 2025-12-26: quiet weekends, three days never fetched, D with 7. */
static void realistic(struct day_count *days)
{
	static const long counts[30] = {38, 41, 6, 3, 52, 47, 44, 39, 35, 5, 2, 58, 61, 49, 45,
					40, 7, 4, 55, 50, 48, 43, 37, 6, 3, 44, 41, 30, 12, 7};
	fill_days(days, 30, "2025-12-26");
	for (size_t i = 0; i < 30; i++)
		days[i].count = counts[i];
	days[9].known = false;
	days[10].known = false;
	days[21].known = false;
}

static char *render(const struct day_count *days, size_t n, const char *name)
{
	char *path = path_join(tmpdir, name);
	struct pb_err err = PB_ERR_INIT;
	int rc = chart_render_png(days, n, ui, path, &err);
	CHECK_INT(rc, 0);
	if (rc)
		fprintf(stderr, "%s: %s\n", name, err.msg);
	return path;
}

static int channel(uint32_t px, int shift)
{
	return (int)((px >> shift) & 0xff);
}

static bool near(uint32_t px, struct rgb c, int tolerance)
{
	return abs(channel(px, 16) - (int)(c.r * 255 + 0.5)) <= tolerance &&
	       abs(channel(px, 8) - (int)(c.g * 255 + 0.5)) <= tolerance &&
	       abs(channel(px, 0) - (int)(c.b * 255 + 0.5)) <= tolerance;
}

struct census {
	bool ok;
	long background, accent, teal;
	long average, running; /* pixels of the 7-day average and of the cumulative line */
	long total;
};

/* Load a PNG written by the chart and count its kinds of pixels. */
static struct census look(const char *path)
{
	struct census cs = {false, 0, 0, 0, 0, 0, 0};
	cairo_surface_t *s = cairo_image_surface_create_from_png(path);
	CHECK_INT(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
		cairo_surface_destroy(s);
		return cs;
	}
	int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
	CHECK_INT(w, CHART_WIDTH);
	CHECK_INT(h, CHART_HEIGHT);
	cairo_format_t format = cairo_image_surface_get_format(s);
	CHECK(format == CAIRO_FORMAT_RGB24 || format == CAIRO_FORMAT_ARGB32);
	const unsigned char *data = cairo_image_surface_get_data(s);
	int stride = cairo_image_surface_get_stride(s);
	for (int y = 0; y < h; y++) {
		const uint32_t *row = (const uint32_t *)(const void *)(data + (size_t)y * stride);
		for (int x = 0; x < w; x++) {
			uint32_t px = row[x];
			int r = channel(px, 16), g = channel(px, 8), b = channel(px, 0);
			cs.total++;
			if (near(px, canvas_paper, 1))
				cs.background++;
			if (near(px, canvas_accent, 2))
				cs.accent++;
			if (b - r > 60 && g - r > 40)
				cs.teal++;
			if (near(px, canvas_palette[2], 6))
				cs.average++;
			if (r - g > 50 && b - g > 20 && r > b) /* raspberry, blended into paper */
				cs.running++;
		}
	}
	/* The corner is paper. */
	CHECK(near(((const uint32_t *)(const void *)data)[0], canvas_paper, 1));
	cairo_surface_destroy(s);
	cs.ok = true;
	return cs;
}

static bool same_bytes(const char *a, const char *b)
{
	struct buf x, y;
	struct pb_err err = PB_ERR_INIT;
	buf_init(&x, BUF_LIMIT_FILE);
	buf_init(&y, BUF_LIMIT_FILE);
	bool same = !fs_read_file(a, &x, &err) && !fs_read_file(b, &y, &err) && x.len > 0 &&
		    x.len == y.len && !memcmp(x.data, y.data, x.len);
	buf_release(&x);
	buf_release(&y);
	return same;
}

/* Render, load and check that the picture is not blank; returns its census. */
static struct census render_and_look(const struct day_count *days, size_t n, const char *name)
{
	char *path = render(days, n, name);
	struct census cs = look(path);
	CHECK(cs.ok);
	/* Not blank: more than 1% of the pixels are not paper. */
	CHECK(cs.total - cs.background > cs.total / 100);
	free(path);
	return cs;
}

static void test_realistic(void)
{
	struct day_count days[30];
	realistic(days);
	char *a = render(days, 30, "a.png");
	char *b = render(days, 30, "b.png");
	struct census cs = look(a);
	CHECK(cs.ok);
	CHECK(cs.total - cs.background > cs.total / 100);
	/* D is highlighted: its bar is in the accent colour. */
	CHECK(cs.accent > 300);
	CHECK(cs.teal > 10000);
	/* Deterministic: the same days give the same bytes. */
	CHECK(same_bytes(a, b));

	/* zh-TW: the same chart with Traditional words (近期論文趨勢, 未擷取); set
	 * PAPERBOY_TEST_KEEP=DIR to keep it there and look at it. */
	struct ui_strings *cn = ui;
	ui = ui_of("zh-TW");
	CHECK(ui != NULL);
	if (ui) {
		char *tw = render(days, 30, "zh-TW.png");
		struct census ct = look(tw);
		CHECK(ct.ok && ct.accent > 300 && ct.teal > 10000);
		CHECK(!same_bytes(a, tw));
		const char *keep = getenv("PAPERBOY_TEST_KEEP");
		if (keep) {
			char *kept = path_join(keep, "chart.zh-TW.png");
			CHECK_INT(chart_render_png(days, 30, ui, kept, &(struct pb_err)PB_ERR_INIT), 0);
			free(kept);
		}
		free(tw);
		ui_strings_free(ui);
	}
	ui = cn;
	free(a);
	free(b);

	/* A day never fetched is a gap, not a bar. */
	days[15].known = false;
	struct census gap = render_and_look(days, 30, "gap.png");
	CHECK(cs.teal - gap.teal > 1000);

	/* D never fetched: nothing is highlighted. */
	realistic(days);
	days[29].known = false;
	struct census no_d = render_and_look(days, 30, "no-d.png");
	CHECK(no_d.accent < 50);
}

/* Keep a picture in PAPERBOY_TEST_KEEP=DIR, to look at. */
static void keep(const struct day_count *days, size_t n, const char *name)
{
	const char *dir = getenv("PAPERBOY_TEST_KEEP");
	if (!dir)
		return;
	char *kept = path_join(dir, name);
	CHECK_INT(chart_render_png(days, n, ui, kept, &(struct pb_err)PB_ERR_INIT), 0);
	free(kept);
}

/*
 * A month as the archive has it: weekdays with papers, weekends fetched and
 * empty (known zeros). The empty weekends are zero days, not gaps: the
 * average runs through them, and a day never fetched breaks the average
 * but never the cumulative total.
 */
static void test_empty_days(void)
{
	struct day_count days[30];
	fill_days(days, 30, "2025-12-26"); /* a Friday */
	for (size_t i = 0; i < 30; i++) {
		size_t weekday = (i + 3) % 7; /* 0: Monday; 2025-11-27 is a Thursday */
		days[i].count = weekday < 5 ? 20 + (long)(i * 7 % 25) : 0;
	}
	struct census zeros = render_and_look(days, 30, "weekends-zero.png");
	keep(days, 30, "chart.weekends-zero.png");
	CHECK(zeros.accent > 300);
	CHECK(zeros.average > 1000);
	CHECK(zeros.running > 500);

	/* The same weekends never fetched: the average breaks into pieces, the total does not. */
	struct day_count gaps[30];
	memcpy(gaps, days, sizeof(days));
	for (size_t i = 0; i < 30; i++)
		if (gaps[i].count == 0)
			gaps[i].known = false;
	struct census holes = render_and_look(gaps, 30, "weekends-unknown.png");
	keep(gaps, 30, "chart.weekends-unknown.png");
	CHECK(zeros.average - holes.average > 300);
	CHECK(holes.running * 10 > zeros.running * 9);

	/* Every day empty but fetched: drawn as zeros (an axis, lines at 0), not "no data". */
	fill_days(days, 30, "2025-12-26");
	struct census flat = render_and_look(days, 30, "all-zero.png");
	CHECK(flat.average > 500);
}

static void test_edges(void)
{
	struct day_count days[400];

	fill_days(days, 1, "2025-12-26");
	days[0].count = 7;
	struct census one = render_and_look(days, 1, "one.png");
	CHECK(one.accent > 300);

	fill_days(days, 30, "2025-12-26");
	render_and_look(days, 30, "zeros.png");

	for (size_t i = 0; i < 30; i++)
		days[i].known = false;
	struct census none = render_and_look(days, 30, "unknown.png");
	CHECK(none.accent == 0);
	CHECK(none.teal < 1000);

	fill_days(days, 30, "2025-12-26");
	for (size_t i = 0; i < 30; i++)
		days[i].count = 350 + (long)(i * 37 % 150);
	days[29].count = 500;
	render_and_look(days, 30, "big.png");

	/* Odd input is drawn, not trusted: a negative count, huge counts, an unterminated date. */
	fill_days(days, 30, "2025-12-26");
	days[3].count = -5;
	days[4].count = 2000000000L;
	memset(days[5].date, 'x', sizeof(days[5].date));
	render_and_look(days, 30, "odd.png");

	/* A long window: labels thin out, nothing breaks. */
	fill_days(days, 400, "2025-12-26");
	for (size_t i = 0; i < 400; i++) {
		days[i].count = (long)(i % 7 < 5 ? 30 + i % 23 : 3);
		days[i].known = i % 50 != 7;
	}
	render_and_look(days, 400, "long.png");
}

static void test_errors(void)
{
	struct day_count days[1];
	fill_days(days, 1, "2025-12-26");
	char *path = path_join(tmpdir, "never.png");

	struct pb_err err = PB_ERR_INIT;
	CHECK_INT(chart_render_png(days, 0, ui, path, &err), PB_ERR_USAGE);
	CHECK_INT(err.status, PB_ERR_USAGE);
	CHECK(err.msg[0] != '\0');

	pb_err_clear(&err);
	CHECK_INT(chart_render_png(NULL, 30, ui, path, &err), PB_ERR_USAGE);
	CHECK(err.msg[0] != '\0');
	CHECK(access(path, F_OK) != 0);
	free(path);

	/* A write failure is reported: the parent "directory" is a file. */
	char *file = render(days, 1, "file.png");
	char *inside = path_join(file, "x.png");
	pb_err_clear(&err);
	CHECK(chart_render_png(days, 1, ui, inside, &err) < 0);
	CHECK(pb_err_is_set(&err));
	CHECK(access(inside, F_OK) != 0);
	free(inside);
	free(file);
}

static void remove_tmpdir(void)
{
	DIR *dir = opendir(tmpdir);
	CHECK(dir != NULL);
	if (!dir)
		return;
	struct dirent *e;
	while ((e = readdir(dir))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		char *p = path_join(tmpdir, e->d_name);
		CHECK_INT(unlink(p), 0);
		free(p);
	}
	closedir(dir);
	CHECK_INT(rmdir(tmpdir), 0);
}

int main(void)
{
	ui = ui_of("zh-CN");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	test_realistic();
	test_empty_days();
	test_edges();
	test_errors();
	remove_tmpdir();
	/* Let go of pango's and fontconfig's caches so leak checkers see only our memory. */
	canvas_release_fonts();
	ui_strings_free(ui);
	return test_report("test_chart");
}
