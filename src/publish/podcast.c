/* podcast.c - the podcast feed from the archive's broadcasts. */
#include "core/common.h"

#include "publish/podcast.h"
#include "core/buf.h"
#include "core/layout.h"
#include "publish/feed.h"

#include <stdlib.h>

#define FEED_TITLES_LISTED 10

/* What a day's feed item says: its list of titles, short. */
static char *feed_description(struct archive *a, const char *date)
{
	struct paper_list papers = {0};
	struct pb_err ignored = PB_ERR_INIT;
	struct buf b;
	buf_init(&b, BUF_LIMIT_NONE);
	if (!archive_load_day(a, date, NULL, &papers, &ignored)) {
		sb_addf(&b, "今日 %zu 篇论文：", papers.n);
		for (size_t i = 0; i < papers.n && i < FEED_TITLES_LISTED; i++) {
			const struct paper *paper = &papers.items[i];
			sb_addf(&b, "%s%zu. %s", i ? "；" : "", i + 1,
				paper->title_zh ? paper->title_zh : paper->title);
		}
		if (papers.n > FEED_TITLES_LISTED)
			sb_addf(&b, "；另有 %zu 篇。", papers.n - FEED_TITLES_LISTED);
		else
			sb_adds(&b, "。");
	}
	paper_list_release(&papers);
	return buf_detach(&b);
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
	struct audio_record *records = NULL;
	size_t n = 0;
	int rc = archive_list_audio(a, &records, &n, err);
	if (rc)
		return rc;
	struct feed_item *items = xcalloc(n + 1, sizeof(*items));
	char **texts = xcalloc(3 * n + 1, sizeof(*texts));
	for (size_t i = 0; i < n; i++) {
		texts[3 * i] = xasprintf("Hugging Face %s 论文日报", records[i].date);
		texts[3 * i + 1] = feed_description(a, records[i].date);
		texts[3 * i + 2] = layout_relpath(ART_EDITION_HTML, records[i].date, NULL);
		items[i] = (struct feed_item){records[i].date, texts[3 * i], texts[3 * i + 1],
					      records[i].path, records[i].bytes,
					      (long)((records[i].duration_ms + 500) / 1000), texts[3 * i + 2]};
	}
	char *image = n ? layout_relpath(ART_POSTER, records[0].date, NULL) : NULL;
	struct feed_channel channel = {
		cfg->feed_title, cfg->feed_base_url,
		"每天早上，Hugging Face Daily Papers 的中文标题、摘要与语音解读。", cfg->feed_author, "zh-cn",
		image,
	};
	*path = layout_path(run->layout, ART_PODCAST_FEED, NULL, NULL);
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
