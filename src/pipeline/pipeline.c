/* pipeline.c - fetch and render stages over the archive. */
#include "core/common.h"

#include "pipeline/pipeline.h"
#include "core/buf.h"
#include "core/fsutil.h"
#include "fetch/hf.h"
#include "insights/insights.h"
#include "publish/feed.h"
#include "render/chart.h"
#include "render/poster.h"
#include "render/stats.h"
#include "render/wordcloud.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define HOT_TOPICS_SHOWN 5   /* areas in 热门领域 */
#define POSTER_TOPICS 3      /* area chips per poster card */
#define STATS_KEYWORDS 30

void pipeline_http_options(const struct pb_config *cfg, struct net_options *out)
{
	net_options_default(out);
	out->timeout_ms = cfg->http_timeout_s * 1000;
	out->connect_timeout_ms = cfg->connect_timeout_s * 1000;
	out->stall_timeout_s = cfg->stall_timeout_s;
	out->deadline_ms = cfg->request_deadline_s * 1000;
	out->retry.max_tries = (int)cfg->http_retries + 1;
	if (out->connect_timeout_ms > out->timeout_ms)
		out->connect_timeout_ms = out->timeout_ms;
}

/* The run context the stages take, from what the pipeline has. */
static struct pb_run stage_run(const struct pipeline *p)
{
	struct pb_run run = {.log = p->log, .stop = p->stop};
	return run;
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
	struct net_options http;
	pipeline_http_options(p->config, &http);
	struct pb_run run = stage_run(p);
	struct hf_day day = {0};
	pb_info(p->log, "fetching %s from %s", p->date, p->config->hf_url);
	int rc = hf_fetch_day(p->config->hf_url, &http, p->date, &day, &run, err);
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
	struct pb_run run = stage_run(p);
	int rc = translate_day(p->archive, p->date, o, report, &run, err);
	char detail[160];
	snprintf(detail, sizeof(detail), "%zu translated, %zu cached, %zu failed, %zu unfinished",
		 report->translated, report->cached, report->failed, report->unfinished);
	struct pb_err ignored = PB_ERR_INIT;
	const char *status = rc ? run_status(rc) : translate_report_is_partial(report) ? "partial" : "ok";
	if (archive_run_finish(p->archive, run_id, status, rc ? err->msg : detail, &ignored))
		pb_warn(p->log, "could not record the run: %s", ignored.msg);
	return rc;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* -v shows where render time goes. */
static void lap(const struct pipeline *p, const char *what, double *t)
{
	double now = now_s();
	pb_debug(p->log, "render %s: %.3f s", what, now - *t);
	*t = now;
}

static char *out_path(const struct pipeline *p, const char *fmt_dir, const char *suffix)
{
	char *name = xasprintf("%s/%s%s", fmt_dir, p->date, suffix);
	char *path = path_join(p->out_dir, name);
	free(name);
	return path;
}

static int render_wordcloud(const struct day_insights *d, const char *path, size_t *placed,
			    struct pb_err *err)
{
	size_t n = d->keywords.n < WORDCLOUD_MAX_WORDS ? d->keywords.n : WORDCLOUD_MAX_WORDS;
	struct cloud_word *words = xcalloc(n + 1, sizeof(*words));
	for (size_t i = 0; i < n; i++) {
		words[i].text = d->keywords.items[i].word;
		words[i].weight = (double)d->keywords.items[i].count;
	}
	int rc = wordcloud_render_png(words, n, path, placed, err);
	free(words);
	return rc;
}

/* Papers by upvotes, best first; equal upvotes keep the day's order. */
static int render_poster(const struct pipeline *p, const struct insights *in,
			 const struct paper_list *papers, const struct day_insights *d,
			 const char *hot_topics, const char *path, struct pb_err *err)
{
	size_t *order = xcalloc(papers->n + 1, sizeof(*order));
	for (size_t i = 0; i < papers->n; i++) {
		size_t j = i;
		while (j > 0 && papers->items[order[j - 1]].upvotes < papers->items[i].upvotes) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = i;
	}
	size_t n = papers->n < POSTER_MAX_CARDS ? papers->n : POSTER_MAX_CARDS;
	struct poster_paper *cards = xcalloc(n + 1, sizeof(*cards));
	char **topics = xcalloc(n + 1, sizeof(*topics));
	for (size_t k = 0; k < n; k++) {
		const struct paper *paper = &papers->items[order[k]];
		topics[k] = insights_area_names(in, d->paper_areas[order[k]], POSTER_TOPICS);
		cards[k].title = paper->title_zh ? paper->title_zh : paper->title;
		/* Untranslated: the API's own one-line summary, in English, is still a summary. */
		cards[k].summary = paper->summary_zh ? paper->summary_zh : paper->ai_summary;
		cards[k].upvotes = paper->upvotes;
		cards[k].topics = topics[k];
	}
	struct poster poster = {p->date, papers->n, cards, n, hot_topics};
	int rc = poster_render_png(&poster, path, err);
	for (size_t k = 0; k < n; k++)
		free(topics[k]);
	free(topics);
	free(cards);
	free(order);
	return rc;
}

static int write_newsletter(const struct pipeline *p, const struct paper_list *papers,
			    const char *hot, struct newsletter_paths *out, struct pb_err *err)
{
	char *audio = out_path(p, "audio", "_daily_papers.mp3");
	struct edition ed = {
		.date = p->date, .papers = papers, .hot_topics = hot,
		.channels = p->config->channels, .n_channels = p->config->n_channels,
		.has_audio = fs_is_file(audio),
	};
	free(audio);
	return newsletter_write(&ed, p->out_dir, out, err);
}

int pipeline_render_newsletter(struct pipeline *p, struct pb_err *err)
{
	struct paper_list papers = {0};
	struct insights *in = NULL;
	struct day_insights d = {0};
	struct newsletter_paths out = {0};
	char *hot = NULL;
	int rc = archive_load_day(p->archive, p->date, &papers, err);
	if (!rc)
		rc = insights_new(&in, err);
	if (!rc) {
		insights_day(in, &papers, &d);
		hot = insights_hot_topics(in, &d, HOT_TOPICS_SHOWN);
		rc = write_newsletter(p, &papers, hot, &out, err);
	}
	newsletter_paths_release(&out);
	free(hot);
	day_insights_release(&d);
	insights_free(in);
	paper_list_release(&papers);
	return rc;
}

int pipeline_speak(struct pipeline *p, const struct speak_options *o, struct speak_result *r,
		   struct pb_err *err)
{
	long long run_id;
	if (archive_run_begin(p->archive, "speak", p->date, &run_id, err))
		return PB_ERR_DB;
	struct pb_run run = stage_run(p);
	int rc = speak_day(p->archive, p->date, p->out_dir, o, r, &run, err);
	char detail[160];
	snprintf(detail, sizeof(detail), "%.1f min of audio, %zu chapters, %lld bytes",
		 r->duration_ms / 60000.0, r->chapters, r->bytes);
	finish_run(p, run_id, rc, detail, err);
	return rc;
}

/* What a day's feed item says: its 热门领域-free list of titles, short. */
static char *feed_description(struct pipeline *p, const char *date, size_t *n_papers)
{
	struct paper_list papers = {0};
	struct pb_err ignored = PB_ERR_INIT;
	struct buf b;
	buf_init(&b, BUF_LIMIT_NONE);
	*n_papers = 0;
	if (!archive_load_day(p->archive, date, &papers, &ignored)) {
		*n_papers = papers.n;
		sb_addf(&b, "今日 %zu 篇论文：", papers.n);
		for (size_t i = 0; i < papers.n && i < 10; i++) {
			const struct paper *paper = &papers.items[i];
			sb_addf(&b, "%s%zu. %s", i ? "；" : "", i + 1, paper->title_zh ? paper->title_zh : paper->title);
		}
		if (papers.n > 10)
			sb_addf(&b, "；另有 %zu 篇。", papers.n - 10);
		else
			sb_adds(&b, "。");
	}
	paper_list_release(&papers);
	return buf_detach(&b);
}

int pipeline_feed(struct pipeline *p, char **path, struct pb_err *err)
{
	*path = NULL;
	const struct pb_config *cfg = p->config;
	if (!cfg->feed_base_url) {
		pb_info(p->log, "no podcast feed: set [feed] base_url to where %s is published", p->out_dir);
		return 0;
	}
	struct audio_record *records = NULL;
	size_t n = 0;
	int rc = archive_list_audio(p->archive, &records, &n, err);
	if (rc)
		return rc;
	struct feed_item *items = xcalloc(n + 1, sizeof(*items));
	char **texts = xcalloc(3 * n + 1, sizeof(*texts));
	for (size_t i = 0; i < n; i++) {
		size_t papers;
		texts[3 * i] = xasprintf("Hugging Face %s 论文日报", records[i].date);
		texts[3 * i + 1] = feed_description(p, records[i].date, &papers);
		texts[3 * i + 2] = xasprintf("newsletters/%s_daily_paper.html", records[i].date);
		items[i] = (struct feed_item){records[i].date, texts[3 * i], texts[3 * i + 1],
					      records[i].path, records[i].bytes,
					      (long)((records[i].duration_ms + 500) / 1000), texts[3 * i + 2]};
	}
	char *image = n ? xasprintf("posters/%s_poster.png", records[0].date) : NULL;
	struct feed_channel channel = {
		cfg->feed_title, cfg->feed_base_url,
		"每天早上，Hugging Face Daily Papers 的中文标题、摘要与语音解读。", cfg->feed_author, "zh-cn",
		image,
	};
	*path = path_join(p->out_dir, "feed/podcast.xml");
	rc = feed_write_podcast(&channel, items, n, *path, err);
	if (rc) {
		free(*path);
		*path = NULL;
	}
	free(image);
	for (size_t i = 0; i < 3 * n; i++)
		free(texts[i]);
	free(texts);
	free(items);
	audio_records_free(records, n);
	return rc;
}

int pipeline_render(struct pipeline *p, struct newsletter_paths *paths,
		    struct render_summary *summary, struct pb_err *err)
{
	long long run_id;
	if (archive_run_begin(p->archive, "render", p->date, &run_id, err))
		return PB_ERR_DB;
	struct paper_list papers = {0};
	struct insights *in = NULL;
	struct day_insights d = {0};
	struct day_count window[TREND_DAYS];
	struct newsletter_paths out = {0};
	char *hot = NULL;
	size_t untranslated = 0, placed = 0;
	double t = now_s();
	int rc = archive_load_day(p->archive, p->date, &papers, err);
	if (!rc)
		rc = insights_new(&in, err);
	if (!rc) {
		for (size_t i = 0; i < papers.n; i++)
			untranslated += papers.items[i].title_zh == NULL;
		if (untranslated)
			pb_info(p->log, "%zu of %zu papers have no translation yet; they appear in English",
				untranslated, papers.n);
		insights_day(in, &papers, &d);
		hot = insights_hot_topics(in, &d, HOT_TOPICS_SHOWN);
		lap(p, "insights", &t);
		rc = write_newsletter(p, &papers, hot, &out, err);
		lap(p, "newsletter", &t);
	}
	if (!rc) {
		out.wordcloud = out_path(p, "images", "_keywords_wordcloud.png");
		rc = render_wordcloud(&d, out.wordcloud, &placed, err);
		lap(p, "word cloud", &t);
	}
	if (!rc)
		rc = archive_day_counts(p->archive, p->date, TREND_DAYS, window, err);
	if (!rc) {
		out.chart = out_path(p, "images", "_daily_papers.png");
		rc = chart_render_png(window, TREND_DAYS, out.chart, err);
		lap(p, "chart", &t);
	}
	if (!rc) {
		out.poster = out_path(p, "posters", "_poster.png");
		rc = render_poster(p, in, &papers, &d, hot, out.poster, err);
		lap(p, "poster", &t);
	}
	if (!rc) {
		out.stats = out_path(p, "stats", "_stats.json");
		struct day_stats st = {p->date, papers.n, in, &d, STATS_KEYWORDS, window, TREND_DAYS};
		rc = stats_write_json(&st, out.stats, err);
	}
	char detail[160];
	snprintf(detail, sizeof(detail), "%zu papers, %zu untranslated, %zu cloud words", papers.n,
		 untranslated, placed);
	if (summary) {
		summary->papers = papers.n;
		summary->untranslated = untranslated;
		summary->cloud_words = placed;
		summary->hot_topics = hot;
		hot = NULL;
	}
	if (!rc && paths)
		*paths = out;
	else
		newsletter_paths_release(&out);
	free(hot);
	day_insights_release(&d);
	insights_free(in);
	paper_list_release(&papers);
	finish_run(p, run_id, rc, detail, err);
	return rc;
}

void window_summary_release(struct window_summary *w)
{
	free(w->areas);
	free(w->json_path);
	free(w->chart_path);
	keyword_list_release(&w->keywords);
	memset(w, 0, sizeof(*w));
}

int pipeline_window_stats(struct pipeline *p, size_t days, size_t top, struct window_summary *out,
			  struct pb_err *err)
{
	memset(out, 0, sizeof(*out));
	struct insights *in;
	if (insights_new(&in, err))
		return PB_ERR;
	struct day_count *window = xcalloc(days, sizeof(*window));
	struct keyword_counter *counter = keyword_counter_new();
	size_t area_papers[INSIGHTS_MAX_AREAS] = {0};
	int rc = archive_day_counts(p->archive, p->date, days, window, err);
	for (size_t i = 0; i < days && !rc; i++) {
		if (!window[i].known)
			continue;
		struct paper_list papers = {0};
		rc = archive_load_day(p->archive, window[i].date, &papers, err);
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
			   days, p->date);
		pb_err_hint(err, "fetch or import some days first");
		rc = PB_ERR_NO_PAPERS;
	}
	if (!rc) {
		struct day_insights d = {0};
		insights_rank_areas(in, area_papers, &d);
		out->areas = insights_hot_topics(in, &d, insights_area_count(in));
		keyword_counter_sorted(counter, top, &d.keywords);
		char suffix[48];
		snprintf(suffix, sizeof(suffix), "_last_%zud.json", days);
		out->json_path = out_path(p, "stats", suffix);
		struct day_stats st = {p->date, out->papers, in, &d, top, window, days};
		rc = stats_write_json(&st, out->json_path, err);
		snprintf(suffix, sizeof(suffix), "_last_%zud_papers.png", days);
		out->chart_path = out_path(p, "images", suffix);
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
