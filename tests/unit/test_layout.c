/* Unit tests for core/layout: every artefact's name, per language, and the links between them. */
#include "core/common.h"

#include "core/layout.h"
#include "harness.h"

#include <stdlib.h>
#include <string.h>

static void check_rel(enum artefact kind, const char *lang, const char *expected)
{
	char *p = layout_relpath(kind, "2025-12-26", lang);
	CHECK_STR(p, expected);
	free(p);
}

static void check_link(enum artefact from, enum artefact to, const char *lang, const char *expected)
{
	char *l = layout_link(from, to, "2025-12-26", lang);
	CHECK_STR(l, expected);
	free(l);
}

int main(void)
{
	/* zh-CN keeps the names of the edition we replace, with or without an explicit code. */
	const char *zh_cn[] = {NULL, "zh-CN", ""};
	for (size_t i = 0; i < PB_ARRAY_LEN(zh_cn); i++) {
		check_rel(ART_EDITION_MD, zh_cn[i], "newsletters/2025-12-26_daily_paper.md");
		check_rel(ART_EDITION_HTML, zh_cn[i], "newsletters/2025-12-26_daily_paper.html");
		check_rel(ART_WORDCLOUD, zh_cn[i], "images/2025-12-26_keywords_wordcloud.png");
		check_rel(ART_CHART, zh_cn[i], "images/2025-12-26_daily_papers.png");
		check_rel(ART_POSTER, zh_cn[i], "posters/2025-12-26_poster.png");
		check_rel(ART_STATS, zh_cn[i], "stats/2025-12-26_stats.json");
	}
	/* Another language: its code before the extension. */
	check_rel(ART_EDITION_MD, "zh-TW", "newsletters/2025-12-26_daily_paper.zh-TW.md");
	check_rel(ART_EDITION_HTML, "zh-TW", "newsletters/2025-12-26_daily_paper.zh-TW.html");
	check_rel(ART_WORDCLOUD, "zh-TW", "images/2025-12-26_keywords_wordcloud.zh-TW.png");
	check_rel(ART_CHART, "zh-TW", "images/2025-12-26_daily_papers.zh-TW.png");
	check_rel(ART_POSTER, "zh-TW", "posters/2025-12-26_poster.zh-TW.png");
	check_rel(ART_STATS, "zh-TW", "stats/2025-12-26_stats.zh-TW.json");
	/* Day-wide and archive-wide artefacts ignore the language. */
	check_rel(ART_AUDIO, "zh-TW", "audio/2025-12-26_daily_papers.mp3");
	check_rel(ART_RUN_REPORT, "zh-TW", "reports/2025-12-26_run.json");
	check_rel(ART_PODCAST_FEED, "zh-TW", "feed/podcast.xml");
	check_rel(ART_ARCHIVE, NULL, "paperboy.db");
	CHECK(layout_has_lang(ART_POSTER));
	CHECK(!layout_has_lang(ART_AUDIO));
	CHECK(layout_lang_is_default(NULL) && layout_lang_is_default("zh-CN"));
	CHECK(!layout_lang_is_default("zh-TW"));

	/* Links from the edition: up one folder, the same folder by bare name. */
	check_link(ART_EDITION_HTML, ART_WORDCLOUD, NULL, "../images/2025-12-26_keywords_wordcloud.png");
	check_link(ART_EDITION_MD, ART_AUDIO, "zh-TW", "../audio/2025-12-26_daily_papers.mp3");
	check_link(ART_EDITION_HTML, ART_POSTER, "zh-TW", "../posters/2025-12-26_poster.zh-TW.png");
	check_link(ART_EDITION_HTML, ART_EDITION_MD, "zh-TW", "2025-12-26_daily_paper.zh-TW.md");
	check_link(ART_ARCHIVE, ART_AUDIO, NULL, "audio/2025-12-26_daily_papers.mp3");

	struct layout lay = {"out/dir"};
	char *p = layout_path(&lay, ART_POSTER, "2025-12-26", "zh-TW");
	CHECK_STR(p, "out/dir/posters/2025-12-26_poster.zh-TW.png");
	free(p);
	p = layout_window_stats_path(&lay, "2025-12-26", 30);
	CHECK_STR(p, "out/dir/stats/2025-12-26_last_30d.json");
	free(p);
	p = layout_window_chart_path(&lay, "2025-12-26", 7);
	CHECK_STR(p, "out/dir/images/2025-12-26_last_7d_papers.png");
	free(p);
	/* Each kind has its own name in the archive. */
	for (int a = 0; a < ART_COUNT; a++)
		for (int b = a + 1; b < ART_COUNT; b++)
			CHECK(strcmp(layout_kind_name((enum artefact)a), layout_kind_name((enum artefact)b)));
	return test_report("test_layout");
}
