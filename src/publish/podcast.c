/* podcast.c - the podcast feed from the archive's broadcasts. */
#include "core/common.h"

#include "publish/podcast.h"
#include "core/buf.h"
#include "core/fsutil.h"
#include "core/layout.h"
#include "lang/lang.h"
#include "render/cover.h"
#include "publish/feed.h"

#include <stdio.h>
#include <stdlib.h>

#define FEED_TITLES_LISTED 10

/* What a day's feed item says: its list of titles, short. */
static char *feed_description(struct archive *a, const struct ui_strings *ui, const char *date)
{
	struct paper_list papers = {0};
	struct pb_err ignored = PB_ERR_INIT;
	struct buf b;
	buf_init(&b, BUF_LIMIT_NONE);
	if (!archive_load_day(a, date, NULL, &papers, &ignored)) {
		char count[24], index[24];
		snprintf(count, sizeof(count), "%zu", papers.n);
		char *intro = ui_format(ui, "feed.description", (const struct tmpl_var[]){{"count", count}}, 1);
		sb_adds(&b, intro);
		free(intro);
		for (size_t i = 0; i < papers.n && i < FEED_TITLES_LISTED; i++) {
			const struct paper *paper = &papers.items[i];
			snprintf(index, sizeof(index), "%zu", i + 1);
			char *item = ui_format(ui, "feed.item", (const struct tmpl_var[]){
				{"index", index}, {"title", paper->title_zh ? paper->title_zh : paper->title}}, 2);
			sb_addf(&b, "%s%s", i ? ui_get(ui, "feed.item_separator") : "", item);
			free(item);
		}
		if (papers.n > FEED_TITLES_LISTED) {
			snprintf(count, sizeof(count), "%zu", papers.n - FEED_TITLES_LISTED);
			char *more = ui_format(ui, "feed.more", (const struct tmpl_var[]){{"count", count}}, 1);
			sb_adds(&b, more);
			free(more);
		} else {
			sb_adds(&b, ui_get(ui, "feed.end"));
		}
	}
	paper_list_release(&papers);
	return buf_detach(&b);
}

int podcast_render(struct archive *a, const struct pb_config *cfg, const struct podcast_target *t,
		   struct buf *out, struct pb_err *err)
{
	struct ui_strings *ui;
	if (ui_strings_load(lang_default(), &ui, err))
		return PB_ERR;
	struct audio_record *records = NULL;
	size_t n = 0;
	int rc = archive_list_audio(a, &records, &n, err);
	if (rc) {
		ui_strings_free(ui);
		return rc;
	}
	struct feed_item *items = xcalloc(n + 1, sizeof(*items));
	char **texts = xcalloc(4 * n + 1, sizeof(*texts));
	for (size_t i = 0; i < n; i++) {
		texts[3 * n + i] = layout_relpath(ART_POSTER, records[i].date, NULL);
		texts[3 * i] = ui_format(ui, "feed.item_title",
					 (const struct tmpl_var[]){{"date", records[i].date}}, 1);
		texts[3 * i + 1] = feed_description(a, ui, records[i].date);
		texts[3 * i + 2] = t->site_pages ? layout_site_day(records[i].date, NULL)
						 : layout_relpath(ART_EDITION_HTML, records[i].date, NULL);
		items[i] = (struct feed_item){records[i].date, texts[3 * i], texts[3 * i + 1],
					      records[i].path, records[i].bytes,
					      (long)((records[i].duration_ms + 500) / 1000), texts[3 * i + 2],
					      texts[3 * n + i]};
	}
	/* The channel's image is the show's square cover, the same every day (the speak stage
	 * draws it); each episode carries its day's poster. */
	char *image = xstrdup(PODCAST_COVER_PATH);
	char *self = xstrdup(t->self_path);
	struct feed_channel channel = {
		cfg->feed_title, t->base_url, ui_get(ui, "feed.channel_description"),
		config_feed_author(cfg),
		lang_default()->feed_lang, image, cfg->feed_email, cfg->feed_category, self,
	};
	rc = feed_render_podcast(&channel, items, n, out, err);
	free(image);
	free(self);
	for (size_t i = 0; i < 4 * n; i++)
		free(texts[i]);
	free(texts);
	free(items);
	audio_records_free(records, n);
	ui_strings_free(ui);
	return rc;
}

int podcast_write(struct archive *a, const struct pb_config *cfg, const struct pb_run *run,
		  char **path, struct pb_err *err)
{
	*path = NULL;
	if (!cfg->feed_base_url) {
		pb_info(run->log, "no podcast feed: set [feed] base_url to where %s is published",
			run->layout->out_dir);
		return 0;
	}
	char *self = layout_relpath(ART_PODCAST_FEED, NULL, NULL);
	const struct podcast_target t = {cfg->feed_base_url, self, false};
	struct buf out;
	buf_init(&out, BUF_LIMIT_NONE);
	int rc = podcast_render(a, cfg, &t, &out, err);
	free(self);
	if (!rc) {
		*path = layout_path(run->layout, ART_PODCAST_FEED, NULL, NULL);
		rc = fs_write_atomic(*path, out.data, out.len, err);
		if (rc) {
			free(*path);
			*path = NULL;
		}
	}
	buf_release(&out);
	return rc;
}
