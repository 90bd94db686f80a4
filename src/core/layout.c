/* layout.c - artefact names under the output directory, and links between them. */
#include "core/common.h"

#include "core/layout.h"
#include "core/fsutil.h"

#include <stdlib.h>
#include <string.h>

struct artefact_name {
	const char *kind;   /* as recorded in the archive */
	const char *dir;    /* folder under OUT ("" for OUT itself) */
	const char *suffix; /* after the date, before the language and extension */
	const char *ext;
	bool per_lang;
	bool per_date;
};

static const struct artefact_name names[ART_COUNT] = {
	[ART_EDITION_MD] = {"edition_md", "newsletters", "_daily_paper", ".md", true, true},
	[ART_EDITION_HTML] = {"edition_html", "newsletters", "_daily_paper", ".html", true, true},
	[ART_WORDCLOUD] = {"wordcloud", "images", "_keywords_wordcloud", ".png", true, true},
	[ART_CHART] = {"chart", "images", "_daily_papers", ".png", true, true},
	[ART_POSTER] = {"poster", "posters", "_poster", ".png", true, true},
	[ART_STATS] = {"stats", "stats", "_stats", ".json", true, true},
	[ART_AUDIO] = {"audio", "audio", "_daily_papers", ".mp3", false, true},
	[ART_RUN_REPORT] = {"run_report", "reports", "_run", ".json", false, true},
	[ART_PODCAST_FEED] = {"podcast_feed", "feed", "podcast", ".xml", false, false},
	[ART_ARCHIVE] = {"archive", "", "paperboy", ".db", false, false},
};

const char *layout_kind_name(enum artefact kind)
{
	return names[kind].kind;
}

bool layout_has_lang(enum artefact kind)
{
	return names[kind].per_lang;
}

bool layout_lang_is_default(const char *lang)
{
	return !lang || !*lang || !strcmp(lang, LAYOUT_DEFAULT_LANG);
}

char *layout_relpath(enum artefact kind, const char *date, const char *lang)
{
	const struct artefact_name *n = &names[kind];
	bool tagged = n->per_lang && !layout_lang_is_default(lang);
	return xasprintf("%s%s%s%s%s%s%s", n->dir, *n->dir ? "/" : "", n->per_date ? date : "",
			 n->suffix, tagged ? "." : "", tagged ? lang : "", n->ext);
}

char *layout_path(const struct layout *lay, enum artefact kind, const char *date, const char *lang)
{
	char *rel = layout_relpath(kind, date, lang);
	char *path = path_join(lay->out_dir, rel);
	free(rel);
	return path;
}

char *layout_link(enum artefact from, enum artefact to, const char *date, const char *lang)
{
	char *rel = layout_relpath(to, date, lang);
	const char *from_dir = names[from].dir;
	if (!strcmp(from_dir, names[to].dir)) {
		/* Same folder: the bare file name. */
		const char *slash = strrchr(rel, '/');
		char *link = xstrdup(slash ? slash + 1 : rel);
		free(rel);
		return link;
	}
	/* Every folder is one level under OUT. */
	char *link = xasprintf("%s%s", *from_dir ? "../" : "", rel);
	free(rel);
	return link;
}

char *layout_site_root(const char *lang)
{
	return layout_lang_is_default(lang) ? xstrdup("") : xasprintf("%s/", lang);
}

char *layout_site_day(const char *date, const char *lang)
{
	char *root = layout_site_root(lang);
	char *path = xasprintf("%sdays/%s.html", root, date);
	free(root);
	return path;
}

char *layout_window_stats_path(const struct layout *lay, const char *date, size_t days)
{
	char *rel = xasprintf("stats/%s_last_%zud.json", date, days);
	char *path = path_join(lay->out_dir, rel);
	free(rel);
	return path;
}

char *layout_window_chart_path(const struct layout *lay, const char *date, size_t days)
{
	char *rel = xasprintf("images/%s_last_%zud_papers.png", date, days);
	char *path = path_join(lay->out_dir, rel);
	free(rel);
	return path;
}
