/* pipeline.c - fetch and render stages over the archive. */
#include "core/common.h"

#include "pipeline/pipeline.h"
#include "fetch/hf.h"

#include <stdio.h>
#include <string.h>

/* 热门领域 until the insights stage exists: say plainly that there is no analysis yet. */
#define HOT_TOPICS_PENDING "暂无（主题分析尚未启用）"

void pipeline_http_options(const struct pb_config *cfg, struct http_options *out)
{
	http_options_default(out);
	out->timeout_ms = cfg->http_timeout_s * 1000;
	out->retries = (int)cfg->http_retries;
	if (out->connect_timeout_ms > out->timeout_ms)
		out->connect_timeout_ms = out->timeout_ms;
}

static const char *run_status(int rc)
{
	return rc == 0 ? "ok" : rc == PB_ERR_NO_PAPERS ? "no-papers" : "failed";
}

/* Record the outcome; a failure to record never hides the stage's own error. */
static void finish_run(struct pipeline *p, long long run_id, int rc, const char *detail,
		       const struct pb_err *stage_err)
{
	struct pb_err ignored = PB_ERR_INIT;
	if (archive_run_finish(p->archive, run_id, run_status(rc),
			       rc ? stage_err->msg : detail, &ignored))
		pb_warn(p->log, "could not record the run: %s", ignored.msg);
}

int pipeline_fetch(struct pipeline *p, struct fetch_summary *summary, struct pb_err *err)
{
	memset(summary, 0, sizeof(*summary));
	long long run_id;
	if (archive_run_begin(p->archive, "fetch", p->date, &run_id, err))
		return PB_ERR_DB;
	struct http_options http;
	pipeline_http_options(p->config, &http);
	struct hf_day day = {0};
	pb_info(p->log, "fetching %s from %s", p->date, p->config->hf_url);
	int rc = hf_fetch_day(p->config->hf_url, &http, p->date, &day, p->log, err);
	summary->requests = day.http_tries;
	char detail[160] = "";
	if (!rc) {
		struct day_merge merge;
		rc = archive_store_day(p->archive, p->date, &day.papers, day.pages, day.n_pages, "api",
				       &merge, err);
		summary->papers = day.papers.n;
		summary->skipped = day.skips.n;
		summary->n_new = merge.n_new;
		summary->total = merge.n_total;
		snprintf(detail, sizeof(detail), "%zu papers, %zu new, %zu skipped", day.papers.n,
			 merge.n_new, day.skips.n);
		if (!rc && merge.n_retained)
			pb_info(p->log, "%zu papers listed earlier for %s are no longer in the API's "
				"answer; kept", merge.n_retained, p->date);
	}
	hf_day_release(&day);
	finish_run(p, run_id, rc, detail, err);
	return rc;
}

bool translate_report_is_partial(const struct translate_report *r)
{
	return r->failed || r->unfinished;
}

int pipeline_translate(struct pipeline *p, const struct translate_options *o,
		       struct translate_report *report, struct pb_err *err)
{
	long long run_id;
	if (archive_run_begin(p->archive, "translate", p->date, &run_id, err))
		return PB_ERR_DB;
	int rc = translate_day(p->archive, p->date, o, report, p->log, err);
	char detail[160];
	snprintf(detail, sizeof(detail), "%zu translated, %zu cached, %zu failed, %zu unfinished",
		 report->translated, report->cached, report->failed, report->unfinished);
	struct pb_err ignored = PB_ERR_INIT;
	const char *status = rc ? run_status(rc) : translate_report_is_partial(report) ? "partial" : "ok";
	if (archive_run_finish(p->archive, run_id, status, rc ? err->msg : detail, &ignored))
		pb_warn(p->log, "could not record the run: %s", ignored.msg);
	return rc;
}

int pipeline_render(struct pipeline *p, struct newsletter_paths *paths,
		    struct render_summary *summary, struct pb_err *err)
{
	long long run_id;
	if (archive_run_begin(p->archive, "render", p->date, &run_id, err))
		return PB_ERR_DB;
	struct paper_list papers = {0};
	int rc = archive_load_day(p->archive, p->date, &papers, err);
	size_t untranslated = 0;
	if (!rc) {
		for (size_t i = 0; i < papers.n; i++)
			untranslated += papers.items[i].title_zh == NULL;
		if (untranslated)
			pb_info(p->log, "%zu of %zu papers have no translation yet; they appear in English",
				untranslated, papers.n);
		struct edition ed = {
			.date = p->date, .papers = &papers, .hot_topics = HOT_TOPICS_PENDING,
			.channels = p->config->channels, .n_channels = p->config->n_channels,
		};
		rc = newsletter_write(&ed, p->out_dir, paths, err);
	}
	char detail[96];
	snprintf(detail, sizeof(detail), "%zu papers, %zu untranslated", papers.n, untranslated);
	if (summary) {
		summary->papers = papers.n;
		summary->untranslated = untranslated;
	}
	paper_list_release(&papers);
	finish_run(p, run_id, rc, detail, err);
	return rc;
}
