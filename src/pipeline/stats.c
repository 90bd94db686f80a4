/* stats.c - what a window of days was about, for `paperboy stats`. */
#include "core/common.h"

#include "pipeline/stats.h"
#include "core/layout.h"
#include "render/chart.h"
#include "render/stats.h"

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

int pipeline_window_stats(struct archive *a, const struct pb_run *run, const char *date, size_t days, size_t top, struct window_summary *out,
			  struct pb_err *err)
{
	memset(out, 0, sizeof(*out));
	struct insights *in;
	if (insights_new(&in, err))
		return PB_ERR;
	struct day_count *window = xcalloc(days, sizeof(*window));
	struct keyword_counter *counter = keyword_counter_new();
	size_t area_papers[INSIGHTS_MAX_AREAS] = {0};
	int rc = archive_day_counts(a, date, days, window, err);
	for (size_t i = 0; i < days && !rc; i++) {
		if (!window[i].known)
			continue;
		struct paper_list papers = {0};
		rc = archive_load_day(a, window[i].date, &papers, err);
		if (rc == PB_ERR_NO_PAPERS) { /* a day listed with no papers: nothing to count */
			pb_err_clear(err);
			rc = 0;
		}
		for (size_t k = 0; k < papers.n && !rc; k++) {
			uint64_t mask = insights_paper_areas(in, &papers.items[k]);
			for (size_t a = 0; a < insights_area_count(in); a++)
				area_papers[a] += (mask >> a) & 1;
			insights_count_keywords(in, &papers.items[k], counter);
		}
		out->papers += papers.n;
		out->days_known++;
		paper_list_release(&papers);
	}
	if (!rc && !out->days_known) {
		pb_err_set(err, PB_ERR_NO_PAPERS, "the archive has no days in the %zu days up to %s",
			   days, date);
		pb_err_hint(err, "fetch or import some days first");
		rc = PB_ERR_NO_PAPERS;
	}
	if (!rc) {
		struct day_insights d = {0};
		insights_rank_areas(in, area_papers, &d);
		out->areas = insights_hot_topics(in, &d, insights_area_count(in));
		keyword_counter_sorted(counter, top, &d.keywords);
		out->json_path = layout_window_stats_path(run->layout, date, days);
		struct day_stats st = {date, out->papers, in, &d, top, window, days};
		rc = stats_write_json(&st, out->json_path, err);
		out->chart_path = layout_window_chart_path(run->layout, date, days);
		if (!rc)
			rc = chart_render_png(window, days, out->chart_path, err);
		out->keywords = d.keywords;
		d.keywords.items = NULL;
		d.keywords.n = 0;
		day_insights_release(&d);
	}
	keyword_counter_free(counter);
	free(window);
	insights_free(in);
	return rc;
}
