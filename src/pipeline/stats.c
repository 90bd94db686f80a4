/* stats.c - what a window of days was about, for `paperboy stats`. */
#include "core/common.h"

#include "pipeline/stats.h"
#include "core/layout.h"
#include "lang/lang.h"
#include "render/chart.h"
#include "render/pictures.h"
#include "render/stats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void window_summary_release(struct window_summary *w)
{
	free(w->areas);
	free(w->json_path);
	free(w->chart_path);
	keyword_list_release(&w->keywords);
	memset(w, 0, sizeof(*w));
}

int pipeline_window_stats(struct archive *a, const struct pb_run *run, const char *date, size_t days,
			  size_t top, struct window_summary *out, struct pb_err *err)
{
	memset(out, 0, sizeof(*out));
	struct insights *in;
	struct ui_strings *ui;
	if (ui_strings_load(lang_default(), &ui, err))
		return PB_ERR;
	if (insights_new(&in, err)) {
		ui_strings_free(ui);
		return PB_ERR;
	}
	struct day_count *window = xcalloc(days, sizeof(*window));
	struct archive_keyword_list words = {0};
	int rc = archive_day_counts(a, date, days, window, err);
	if (!rc)
		rc = pictures_fill_insights(a, run, in, date, days, err);
	for (size_t i = 0; i < days && !rc; i++) {
		if (window[i].known) {
			out->days_known++;
			out->papers += (size_t)window[i].count;
		}
	}
	if (!rc && !out->days_known) {
		char first[11], last[11];
		bool any = false;
		rc = archive_day_range(a, first, last, &any, err);
		if (!rc && any) {
			char held[40];
			if (strcmp(first, last))
				snprintf(held, sizeof(held), "%s to %s", first, last);
			else
				snprintf(held, sizeof(held), "only %s", last);
			pb_err_set(err, PB_ERR_NO_PAPERS, "the archive has no days in the %zu days up "
				   "to %s; it holds %s", days, date, held);
			pb_err_hint(err, "try --date %s", last);
		} else if (!rc) {
			pb_err_set(err, PB_ERR_NO_PAPERS, "the archive has no days in the %zu days up "
				   "to %s", days, date);
			pb_err_hint(err, "fetch or import some days first");
		}
		if (!rc)
			rc = PB_ERR_NO_PAPERS;
	}
	struct day_insights d = {0};
	if (!rc)
		rc = pictures_load_areas(a, in, date, days, &d, err);
	if (!rc)
		rc = archive_window_keywords(a, date, days, LAYOUT_DEFAULT_LANG, top, &words, err);
	if (!rc) {
		out->areas = insights_hot_topics(in, ui, &d, insights_area_count(in));
		for (size_t i = 0; i < words.n; i++) {
			GROW(d.keywords.items, d.keywords.cap, d.keywords.n + 1);
			d.keywords.items[d.keywords.n++] =
				(struct keyword_count){xstrdup(words.items[i].word), words.items[i].count, 0};
		}
		out->json_path = layout_window_stats_path(run->layout, date, days);
		struct day_stats st = {date, out->papers, in, &d, top, window, days};
		rc = stats_write_json(&st, out->json_path, err);
		out->chart_path = layout_window_chart_path(run->layout, date, days);
		if (!rc)
			rc = chart_render_png(window, days, ui, out->chart_path, err);
		out->keywords = d.keywords;
		d.keywords.items = NULL;
		d.keywords.n = 0;
	}
	day_insights_release(&d);
	archive_keyword_list_release(&words);
	free(window);
	insights_free(in);
	ui_strings_free(ui);
	return rc;
}
