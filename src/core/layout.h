/*
 * layout.h - where every artefact lives under the output directory, and the
 * relative link from one artefact to another. Nothing else builds output
 * paths: the site, the feeds and the delivery stages ask here too.
 *
 * Names carry the edition's date and language. The default language (zh-CN)
 * keeps the names of the edition we replace; any other language gets its
 * code before the extension:
 *
 *     newsletters/2025-12-26_daily_paper.md        (zh-CN)
 *     newsletters/2025-12-26_daily_paper.zh-TW.md  (zh-TW)
 *
 * Day-wide artefacts (the broadcast, the run report) and archive-wide ones
 * (the podcast feed, the archive itself) ignore the language.
 *
 *     struct layout lay = {.out_dir = "out"};
 *     char *p = layout_path(&lay, ART_POSTER, "2025-12-26", "zh-TW");
 *         -> "out/posters/2025-12-26_poster.zh-TW.png"
 *     char *l = layout_link(ART_EDITION_HTML, ART_AUDIO, "2025-12-26", "zh-TW");
 *         -> "../audio/2025-12-26_daily_papers.mp3"
 */
#ifndef PB_LAYOUT_H
#define PB_LAYOUT_H

#include "core/common.h"

#define LAYOUT_DEFAULT_LANG "zh-CN"

enum artefact {
	ART_EDITION_MD,   /* newsletters/D_daily_paper[.L].md */
	ART_EDITION_HTML, /* newsletters/D_daily_paper[.L].html */
	ART_WORDCLOUD,    /* images/D_keywords_wordcloud[.L].png */
	ART_CHART,        /* images/D_daily_papers[.L].png */
	ART_POSTER,       /* posters/D_poster[.L].png */
	ART_STATS,        /* stats/D_stats[.L].json */
	ART_AUDIO,        /* audio/D_daily_papers.mp3 (one per day) */
	ART_RUN_REPORT,   /* reports/D_run.json (one per day) */
	ART_PODCAST_FEED, /* feed/podcast.xml (archive-wide; date ignored) */
	ART_ARCHIVE,      /* paperboy.db (archive-wide) */
	ART_COUNT
};

struct layout {
	const char *out_dir; /* borrowed */
};

/* The artefact's name in the archive's artefacts table: "poster", "edition_md", "audio", … */
const char *layout_kind_name(enum artefact kind);

/* Does this kind of artefact carry the edition's language in its name? */
bool layout_has_lang(enum artefact kind);
/* Is lang the default language, whose names carry no code? (NULL counts as default.) */
bool layout_lang_is_default(const char *lang);

/* The artefact's path relative to the output directory. Caller frees. */
char *layout_relpath(enum artefact kind, const char *date, const char *lang);
/* The artefact's path under lay->out_dir. Caller frees. */
char *layout_path(const struct layout *lay, enum artefact kind, const char *date, const char *lang);
/* The relative link from artefact `from` to artefact `to` ("../images/…"). Caller frees. */
char *layout_link(enum artefact from, enum artefact to, const char *date, const char *lang);

/* The window statistics of `paperboy stats`: stats/D_last_Nd.json and images/D_last_Nd_papers.png. */
char *layout_window_stats_path(const struct layout *lay, const char *date, size_t days);
char *layout_window_chart_path(const struct layout *lay, const char *date, size_t days);

/*
 * The static site (`paperboy site`): the default language at its root, every
 * other under its code ("zh-TW/"); media keep the names above, at the site's
 * root, shared by every language.
 *
 *     layout_site_root("zh-TW")             -> "zh-TW/"   ("" for zh-CN)
 *     layout_site_day("2025-12-26", "zh-TW") -> "zh-TW/days/2025-12-26.html"
 */
char *layout_site_root(const char *lang);
char *layout_site_day(const char *date, const char *lang);

#endif
