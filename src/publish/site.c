/* site.c - the static site: pages from the archive, written only when they change. */
#include "core/common.h"

#include "publish/site.h"
#include "core/buf.h"
#include "core/data.h"
#include "core/date.h"
#include "core/fsutil.h"
#include "core/layout.h"
#include "core/template.h"
#include "core/text.h"
#include "insights/insights.h"
#include "lang/lang.h"
#include "publish/atom.h"
#include "publish/podcast.h"
#include "render/cover.h"
#include "render/newsletter.h"
#include "render/pictures.h"
#include "translate/convert.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SITE_RECENT_DAYS 14   /* the front page's list */
#define SITE_TOP_TITLES 3     /* titles per day in that list */
#define SITE_FEED_ENTRIES 30  /* editions in feed.xml */
/* Every edition is published at 08:00 in Asia/Shanghai: the feeds' time of day, never the clock. */
#define SITE_TIME_OF_DAY "T08:00:00+08:00"

struct site_day {
	char date[PB_DATE_LEN + 1];
	struct paper_list papers; /* in the language (untranslated papers in English) */
	uint64_t *areas;          /* per paper, a bit per taxonomy area (stored insights) */
	char *hot_topics;         /* 热门领域 as the edition prints it */
	bool has_audio, has_poster, has_pictures;
	char *article;            /* the edition's article as the day page shows it */
};

struct site_lang {
	const char *code;
	const struct language *language;
	struct ui_strings *ui;
	char *root;               /* "" or "zh-TW/" */
	struct site_day *days;    /* newest first */
	size_t n_days;
};

struct site {
	struct archive *a;
	const struct pb_config *cfg;
	const struct pb_run *run;
	const char *dir;
	char *base;               /* [site] base_url ending in '/', or NULL */
	struct insights *in;
	char **slugs;             /* per taxonomy area */
	struct site_lang *langs;
	size_t n_langs;
	char *favicon;
	bool has_podcast;         /* podcast.xml is written: every page's <head> links it */
	struct buf sitemap;
	struct site_summary *sum;
};

/* ---- small helpers ---------------------------------------------------------------------- */

/*
 * The strings one page is assembled from (a dozen escaped UI strings and
 * links), freed together once it is written instead of one free() each.
 */
struct strings {
	char **items;
	size_t n, cap;
};

static char *keep(struct strings *S, char *s)
{
	GROW(S->items, S->cap, S->n + 1);
	S->items[S->n++] = s;
	return s;
}

static void strings_release(struct strings *S)
{
	for (size_t i = 0; i < S->n; i++)
		free(S->items[i]);
	free(S->items);
	memset(S, 0, sizeof(*S));
}

/* A UI string, its {{name}}s filled, HTML-escaped. */
static char *ui_html(const struct site_lang *L, const char *key, const struct tmpl_var *vars, size_t n)
{
	char *text = ui_format(L->ui, key, vars, n);
	char *html = html_escaped(text);
	free(text);
	return html;
}

static char *count_str(long long n)
{
	return xasprintf("%lld", n);
}

/* "../" once per folder of relpath: from the page back to the site's root. */
static char *up_to_root(const char *relpath)
{
	struct buf b;
	buf_init(&b, BUF_LIMIT_NONE);
	sb_adds(&b, "");
	for (const char *c = relpath; *c; c++)
		if (*c == '/')
			sb_adds(&b, "../");
	return buf_detach(&b);
}

/* The absolute URL of a site path (base_url set), else NULL. */
static char *absolute(const struct site *s, const char *relpath)
{
	return s->base ? url_join(s->base, relpath) : NULL;
}

/* Does the file at path hold exactly these bytes? */
static bool same_bytes(const char *path, const char *data, size_t len)
{
	if (fs_file_size(path) != (long long)len)
		return false;
	struct buf old;
	buf_init(&old, len + 1);
	struct pb_err ignored = PB_ERR_INIT;
	bool same = !fs_read_file(path, &old, &ignored) && old.len == len &&
		    !memcmp(old.data, data, len);
	buf_release(&old);
	return same;
}

/* Write a page or data file of the site, unless it already holds these bytes. */
static int put_file(struct site *s, const char *relpath, const char *data, size_t len,
		    struct pb_err *err)
{
	char *path = path_join(s->dir, relpath);
	int rc = 0;
	s->sum->pages++;
	s->sum->bytes += (long long)len;
	if (!same_bytes(path, data, len)) {
		rc = fs_write_atomic(path, data, len, err);
		if (!rc)
			s->sum->written++;
	} else {
		fs_remove_stale_temps(path);
	}
	free(path);
	return rc;
}

/*
 * Copy a medium from OUT into the site unless the copy there has its size
 * and mtime (the copy is given the source's mtime): an MP3 is not read again
 * on every build. Written atomically, as every output (fs_write_atomic).
 */
static int copy_medium(struct site *s, const char *relpath, struct pb_err *err)
{
	char *src = path_join(s->run->layout->out_dir, relpath);
	char *dst = path_join(s->dir, relpath);
	struct stat from, to;
	int rc = 0;
	if (stat(src, &from)) {
		rc = pb_err_set(err, PB_ERR_IO, "cannot read %s: %s", src, strerror(errno));
		goto done;
	}
	s->sum->media++;
	s->sum->bytes += from.st_size;
	if (!lstat(dst, &to) && S_ISREG(to.st_mode) && to.st_size == from.st_size &&
	    to.st_mtim.tv_sec == from.st_mtim.tv_sec && to.st_mtim.tv_nsec == from.st_mtim.tv_nsec) {
		fs_remove_stale_temps(dst);
		goto done;
	}
	struct buf data;
	buf_init(&data, BUF_LIMIT_NONE);
	rc = fs_read_file(src, &data, err);
	if (!rc)
		rc = fs_write_atomic(dst, data.data, data.len, err);
	buf_release(&data);
	if (!rc) {
		const struct timespec times[2] = {from.st_atim, from.st_mtim};
		if (utimensat(AT_FDCWD, dst, times, AT_SYMLINK_NOFOLLOW))
			rc = pb_err_set(err, PB_ERR_IO, "cannot set the time of %s: %s", dst, strerror(errno));
	}
	if (!rc)
		s->sum->copied++;
done:
	free(src);
	free(dst);
	return rc;
}

/* Does the archive record this artefact, and is its file still under OUT? */
static int recorded_file(struct site *s, const char *date, const char *lang, enum artefact kind,
			 bool *has, struct pb_err *err)
{
	char *rel = NULL;
	int rc = archive_get_artefact(s->a, date, lang, layout_kind_name(kind), &rel, has, err);
	if (!rc && *has) {
		char *path = path_join(s->run->layout->out_dir, rel);
		*has = fs_is_file(path);
		free(path);
	}
	free(rel);
	return rc;
}

/* ---- the archive, per language ---------------------------------------------------------- */

static void site_day_release(struct site_day *d)
{
	paper_list_release(&d->papers);
	free(d->areas);
	free(d->hot_topics);
	free(d->article);
}

/* The areas stored for a day, as bits per paper of its list. */
static int load_areas(struct site *s, struct site_day *d, struct pb_err *err)
{
	struct archive_paper_area_list rows = {0};
	d->areas = xcalloc(d->papers.n ? d->papers.n : 1, sizeof(*d->areas));
	int rc = archive_day_paper_areas(s->a, d->date, &rows, err);
	for (size_t i = 0; i < rows.n && !rc; i++) {
		long paper = paper_list_find(&d->papers, rows.items[i].paper_id);
		long area = insights_area_find(s->in, rows.items[i].area);
		if (paper >= 0 && area >= 0)
			d->areas[paper] |= UINT64_C(1) << area;
	}
	archive_paper_area_list_release(&rows);
	return rc;
}

static char *day_hot_topics(const struct site *s, const struct site_lang *L, const struct site_day *d)
{
	size_t n_areas = insights_area_count(s->in);
	size_t *counts = xcalloc(n_areas ? n_areas : 1, sizeof(*counts));
	for (size_t p = 0; p < d->papers.n; p++)
		for (size_t i = 0; i < n_areas; i++)
			counts[i] += (d->areas[p] >> i) & 1;
	struct day_insights di = {0};
	insights_rank_areas(s->in, counts, &di);
	char *hot = insights_hot_topics(s->in, L->ui, &di, PICTURES_HOT_TOPICS);
	day_insights_release(&di);
	free(counts);
	return hot;
}

/* A paper with a translation but no variant in this language yet: convert the day (no LLM). */
static bool needs_conversion(const struct paper_list *papers)
{
	for (size_t i = 0; i < papers->n; i++)
		if (papers->items[i].translation_id && !papers->items[i].title_zh)
			return true;
	return false;
}

static int load_day(struct site *s, struct site_lang *L, struct site_day *d, struct pb_err *err)
{
	int rc = archive_load_day(s->a, d->date, L->code, &d->papers, err);
	if (!rc && L->language->opencc_config && needs_conversion(&d->papers)) {
		const struct day_edition ed = {d->date, L->code, L->language, L->ui};
		size_t converted = 0;
		paper_list_release(&d->papers);
		rc = convert_day(s->a, &ed, s->cfg->glossary, s->run, &converted, err);
		if (!rc)
			rc = archive_load_day(s->a, d->date, L->code, &d->papers, err);
	}
	if (!rc)
		rc = load_areas(s, d, err);
	if (!rc)
		d->hot_topics = day_hot_topics(s, L, d);
	bool wordcloud = false, chart = false;
	if (!rc)
		rc = recorded_file(s, d->date, NULL, ART_AUDIO, &d->has_audio, err);
	if (!rc)
		rc = recorded_file(s, d->date, L->code, ART_POSTER, &d->has_poster, err);
	if (!rc)
		rc = recorded_file(s, d->date, L->code, ART_WORDCLOUD, &wordcloud, err);
	if (!rc)
		rc = recorded_file(s, d->date, L->code, ART_CHART, &chart, err);
	d->has_pictures = wordcloud && chart;
	return rc;
}

static int load_lang(struct site *s, struct site_lang *L, const struct archive_day_list *days,
		     struct pb_err *err)
{
	L->days = xcalloc(days->n ? days->n : 1, sizeof(*L->days));
	int rc = 0;
	for (size_t i = 0; i < days->n && !rc; i++) {
		if (pb_run_stopped(s->run))
			return pb_err_set(err, PB_ERR, "the site build was interrupted");
		struct site_day *d = &L->days[L->n_days++];
		memcpy(d->date, days->items[i].date, sizeof(d->date));
		rc = load_day(s, L, d, err);
	}
	return rc;
}

/* ---- pages ------------------------------------------------------------------------------ */

enum nav_item { NAV_NONE, NAV_HOME, NAV_ARCHIVE, NAV_TOPICS, NAV_SEARCH };

struct page {
	const char *relpath;     /* under the site, with the language's folder */
	const char *title;       /* plain text */
	const char *description; /* plain text */
	const char *body;        /* HTML */
	const char *page_class;
	const char *og_type;     /* "website", "article" */
	const char *head;        /* extra HTML in <head> (og:image), or NULL */
	enum nav_item current;
	bool in_sitemap;
};

/* The same page in another language: its path there (relpath without our root, under theirs). */
static char *counterpart(const struct site_lang *from, const struct site_lang *to, const char *relpath)
{
	return xasprintf("%s%s", to->root, relpath + strlen(from->root));
}

static char *nav_links(const struct site *s, const struct site_lang *L, const struct page *p,
		       const char *root, const char *home)
{
	static const struct {
		enum nav_item item;
		const char *key, *href;
	} items[] = {
		{NAV_HOME, "site.nav_home", "index.html"},     {NAV_ARCHIVE, "site.nav_archive", "archive.html"},
		{NAV_TOPICS, "site.nav_topics", "topics/index.html"},
		{NAV_SEARCH, "site.nav_search", "search.html"}, {NAV_NONE, "site.nav_feed", "feed.xml"},
	};
	struct buf b;
	buf_init(&b, BUF_LIMIT_NONE);
	for (size_t i = 0; i < PB_ARRAY_LEN(items); i++) {
		char *label = html_escaped(ui_get(L->ui, items[i].key));
		sb_addf(&b, "<a href=\"%s%s\"%s>%s</a>", home, items[i].href,
			items[i].item != NAV_NONE && items[i].item == p->current ? " aria-current=\"page\"" : "",
			label);
		free(label);
	}
	for (size_t i = 0; i < s->n_langs; i++) {
		const struct site_lang *M = &s->langs[i];
		if (M == L)
			continue;
		char *there = counterpart(L, M, p->relpath);
		char *name = html_escaped(ui_get(M->ui, "site.lang_name"));
		char *hreflang = html_escaped(M->language->html_lang);
		sb_addf(&b, "<a class=\"lang\" hreflang=\"%s\" lang=\"%s\" href=\"%s%s\">%s</a>", hreflang,
			hreflang, root, there, name);
		free(there);
		free(name);
		free(hreflang);
	}
	return buf_detach(&b);
}

static int put_page(struct site *s, const struct site_lang *L, const struct page *p, struct pb_err *err)
{
	struct strings S = {0};
	const char *tmpl = data_get("data/site/page.html", NULL);
	if (!tmpl)
		return pb_err_set(err, PB_ERR, "template 'data/site/page.html' is missing from this build");
	char *root = keep(&S, up_to_root(p->relpath));
	/* From the page to its language's root: the root's "../"s less the language's folder. */
	char *home = keep(&S, xstrdup(root + (*L->root && strlen(root) >= 3 ? 3 : 0)));
	char *links = keep(&S, nav_links(s, L, p, root, home));
	char *title = keep(&S, html_escaped(p->title));
	char *description = keep(&S, html_escaped(p->description));
	char *feed_title = keep(&S, html_escaped(ui_get(L->ui, "site.feed_title")));
	char *nav_label = keep(&S, html_escaped(ui_get(L->ui, "site.nav_label")));
	char *site_name = keep(&S, html_escaped(ui_get(L->ui, "site.name")));
	char *colophon = keep(&S, html_escaped(ui_get(L->ui, "newsletter.html_colophon")));
	char *skip = keep(&S, html_escaped(ui_get(L->ui, "site.skip")));
	char *lang = keep(&S, html_escaped(L->language->html_lang));
	const char *podcast = NULL;
	if (s->has_podcast) {
		char *ptitle = keep(&S, html_escaped(ui_get(L->ui, "site.podcast_title")));
		podcast = keep(&S, xasprintf("<link rel=\"alternate\" type=\"application/rss+xml\" "
					     "title=\"%s\" href=\"%spodcast.xml\">\n", ptitle, root));
	}
	/*
	 * No canonical or og:url: links stay relative so the folder works from any base
	 * path. The one absolute URL on a page is og:image, which link previews need.
	 */
	char *page_class = keep(&S, html_escaped(p->page_class));
	const struct tmpl_var vars[] = {
		{"lang", lang},         {"title", title},           {"description", description},
		{"og_type", p->og_type}, {"head", p->head ? p->head : ""},       {"favicon", s->favicon},
		{"root", root},         {"home", home},             {"feed_title", feed_title},
		{"podcast_link", podcast ? podcast : ""},           {"page_class", page_class},
		{"skip", skip},         {"nav_label", nav_label},   {"site_name", site_name},
		{"nav_links", links},   {"body", p->body},          {"colophon", colophon},
	};
	struct buf out;
	buf_init(&out, BUF_LIMIT_NONE);
	int rc = template_expand(&out, tmpl, "data/site/page.html", vars, PB_ARRAY_LEN(vars), err);
	if (!rc)
		rc = put_file(s, p->relpath, out.data, out.len, err);
	if (!rc && p->in_sitemap && s->base) {
		char *url = keep(&S, absolute(s, p->relpath));
		sb_adds(&s->sitemap, "  <url><loc>");
		xml_escape(&s->sitemap, url);
		sb_adds(&s->sitemap, "</loc></url>\n");
	}
	buf_release(&out);
	strings_release(&S);
	return rc;
}

/* The edition of a day as HTML, with its links as seen from a page at page_relpath. */
static int render_article(const struct site *s, const struct site_lang *L, const struct site_day *d,
			  size_t index, const char *page_relpath, const char *days_link,
			  struct buf *out, struct pb_err *err)
{
	char *root = up_to_root(page_relpath);
	const struct edition_place place = {root, days_link, !d->has_pictures};
	/* The neighbours in the site's list (newest first), wherever they are in time. */
	const char *prev = index + 1 < L->n_days ? L->days[index + 1].date : NULL;
	const char *next = index > 0 ? L->days[index - 1].date : NULL;
	const struct edition ed = {
		.date = d->date, .lang = L->code, .ui = L->ui, .papers = &d->papers,
		.hot_topics = d->hot_topics, .channels = s->cfg->channels, .n_channels = s->cfg->n_channels,
		.has_audio = d->has_audio, .has_poster = d->has_poster, .prev_date = prev, .next_date = next,
		.base_url = s->base, .place = &place,
	};
	struct buf md;
	buf_init(&md, BUF_LIMIT_NONE);
	int rc = newsletter_markdown(&ed, &md, err);
	if (!rc)
		rc = newsletter_article(&ed, md.data, out, err);
	buf_release(&md);
	free(root);
	return rc;
}

static char *og_image(const struct site *s, const struct site_lang *L, const struct site_day *d,
		      const char *page_relpath)
{
	char *root = up_to_root(page_relpath);
	const struct edition_place place = {root, "", !d->has_pictures};
	const struct edition ed = {.date = d->date, .lang = L->code, .ui = L->ui, .papers = &d->papers,
				   .has_poster = d->has_poster, .base_url = s->base, .place = &place};
	char *html = newsletter_og_image(&ed);
	free(root);
	return html;
}

static int day_pages(struct site *s, struct site_lang *L, struct pb_err *err)
{
	struct strings S = {0};
	int rc = 0;
	for (size_t i = 0; i < L->n_days && !rc; i++) {
		struct site_day *d = &L->days[i];
		char *rel = keep(&S, layout_site_day(d->date, L->code));
		struct buf article;
		buf_init(&article, BUF_LIMIT_NONE);
		rc = render_article(s, L, d, i, rel, "", &article, err);
		if (!rc) {
			char *count = keep(&S, count_str((long long)d->papers.n));
			const struct tmpl_var vars[] = {{"date", d->date}, {"count", count}};
			char *title = keep(&S, ui_format(L->ui, "newsletter.html_title", vars, 1));
			char *description = keep(&S, ui_format(L->ui, "newsletter.html_description", vars, 2));
			char *head = keep(&S, og_image(s, L, d, rel));
			const struct page p = {rel, title, description, article.data, "day", "article", head,
					       NAV_NONE, true};
			rc = put_page(s, L, &p, err);
			d->article = buf_detach(&article);
		}
		buf_release(&article);
	}
	strings_release(&S);
	return rc;
}

/* A day in a list: its date, count and hot areas, and its first titles. */
static void day_card(struct buf *b, const struct site_lang *L, const struct site_day *d, const char *days)
{
	struct strings S = {0};
	char *count = keep(&S, count_str((long long)d->papers.n));
	char *link = keep(&S, ui_html(L, "site.day_link", (const struct tmpl_var[]){{"date", d->date}}, 1));
	char *n = keep(&S, ui_html(L, "site.day_papers", (const struct tmpl_var[]){{"count", count}}, 1));
	char *hot = keep(&S, html_escaped(d->hot_topics));
	sb_addf(b, "<li class=\"day-card\">\n<h3><a href=\"%s%s.html\">%s</a></h3>\n"
		   "<p class=\"meta\">%s · %s</p>\n<ol>\n", days, d->date, link, n, hot);
	for (size_t i = 0; i < d->papers.n && i < SITE_TOP_TITLES; i++) {
		const struct paper *p = &d->papers.items[i];
		char *title = keep(&S, html_escaped(p->title_zh ? p->title_zh : p->title));
		char *id = keep(&S, html_escaped(p->id));
		sb_addf(b, "<li><a href=\"%s%s.html#%s\">%s</a></li>\n", days, d->date, id, title);
	}
	sb_adds(b, "</ol>\n");
	if (d->papers.n > SITE_TOP_TITLES) {
		char *text = keep(&S, ui_html(L, "site.more_papers", (const struct tmpl_var[]){{"count", count}}, 1));
		sb_addf(b, "<p class=\"more\"><a href=\"%s%s.html\">%s</a></p>\n", days, d->date, text);
	}
	sb_adds(b, "</li>\n");
	strings_release(&S);
}

static int index_page(struct site *s, struct site_lang *L, struct pb_err *err)
{
	struct strings S = {0};
	char *rel = keep(&S, xasprintf("%sindex.html", L->root));
	struct buf body;
	buf_init(&body, BUF_LIMIT_NONE);
	int rc = 0;
	char *site_name = keep(&S, html_escaped(ui_get(L->ui, "site.name")));
	if (!L->n_days) {
		char *text = keep(&S, html_escaped(ui_get(L->ui, "chart.no_data")));
		sb_addf(&body, "<h1 class=\"page-title\">%s</h1>\n<p class=\"lede\">%s</p>\n", site_name, text);
	} else {
		char *latest = keep(&S, html_escaped(ui_get(L->ui, "site.latest")));
		sb_addf(&body, "<p class=\"latest-label\">%s</p>\n", latest);
		rc = render_article(s, L, &L->days[0], 0, rel, "days/", &body, err);
		size_t n = L->n_days < SITE_RECENT_DAYS ? L->n_days : SITE_RECENT_DAYS;
		char *count = keep(&S, count_str((long long)n));
		char *recent = keep(&S, ui_html(L, "site.recent", (const struct tmpl_var[]){{"count", count}}, 1));
		sb_addf(&body, "<section class=\"recent\">\n<h2>%s</h2>\n<ul class=\"day-list\">\n", recent);
		for (size_t i = 0; i < n; i++)
			day_card(&body, L, &L->days[i], "days/");
		char *archive = keep(&S, html_escaped(ui_get(L->ui, "site.archive_title")));
		sb_addf(&body, "</ul>\n<p><a href=\"archive.html\">%s →</a></p>\n</section>\n", archive);
	}
	if (!rc) {
		const struct page p = {rel, ui_get(L->ui, "site.name"), ui_get(L->ui, "site.description"),
				       body.data, "home", "website",
				       L->n_days ? og_image(s, L, &L->days[0], rel) : NULL, NAV_HOME, true};
		rc = put_page(s, L, &p, err);
		free((char *)p.head);
	}
	buf_release(&body);
	strings_release(&S);
	return rc;
}

static int archive_page(struct site *s, struct site_lang *L, struct pb_err *err)
{
	struct strings S = {0};
	char *rel = keep(&S, xasprintf("%sarchive.html", L->root));
	struct buf body;
	buf_init(&body, BUF_LIMIT_NONE);
	long long papers = 0;
	for (size_t i = 0; i < L->n_days; i++)
		papers += (long long)L->days[i].papers.n;
	char *title = keep(&S, html_escaped(ui_get(L->ui, "site.archive_title")));
	char *n_days = keep(&S, count_str((long long)L->n_days));
	char *n_papers = keep(&S, count_str(papers));
	char *intro = keep(&S, ui_html(L, "site.archive_intro",
			      (const struct tmpl_var[]){{"days", n_days}, {"papers", n_papers}}, 2));
	sb_addf(&body, "<h1 class=\"page-title\">%s</h1>\n<p class=\"lede\">%s</p>\n<ol class=\"months\">\n",
		title, intro);
	for (size_t i = 0; i < L->n_days;) {
		size_t j = i;
		long long month_papers = 0;
		while (j < L->n_days && !strncmp(L->days[j].date, L->days[i].date, 7))
			month_papers += (long long)L->days[j++].papers.n;
		char year[5], month[3];
		snprintf(year, sizeof(year), "%.4s", L->days[i].date);
		snprintf(month, sizeof(month), "%.2s", L->days[i].date + 5);
		char *heading = keep(&S, ui_html(L, "site.archive_month",
					(const struct tmpl_var[]){{"year", year}, {"month", month}}, 2));
		char *total_n = keep(&S, count_str(month_papers));
		char *total = keep(&S, ui_html(L, "site.archive_month_total",
				      (const struct tmpl_var[]){{"count", total_n}}, 1));
		sb_addf(&body, "<li class=\"month\" id=\"m%.7s\">\n<h2>%s <span class=\"total\">%s</span></h2>\n<ul>\n",
			L->days[i].date, heading, total);
		for (size_t k = i; k < j; k++) {
			char *c = keep(&S, count_str((long long)L->days[k].papers.n));
			char *n = keep(&S, ui_html(L, "site.topic_papers", (const struct tmpl_var[]){{"count", c}}, 1));
			sb_addf(&body, "<li><a href=\"days/%s.html\"><span>%s</span> <span class=\"n\">%s</span></a></li>\n",
				L->days[k].date, L->days[k].date + 5, n);
		}
		sb_adds(&body, "</ul>\n</li>\n");
		i = j;
	}
	sb_adds(&body, "</ol>\n");
	char *plain_intro = keep(&S, ui_format(L->ui, "site.archive_intro",
				      (const struct tmpl_var[]){{"days", n_days}, {"papers", n_papers}}, 2));
	const struct page p = {rel, ui_get(L->ui, "site.archive_title"), plain_intro, body.data,
			       "archive", "website", NULL, NAV_ARCHIVE, true};
	int rc = put_page(s, L, &p, err);
	buf_release(&body);
	strings_release(&S);
	return rc;
}

/* ---- topics ----------------------------------------------------------------------------- */

/* One line of data/site/topics.tsv: area<TAB>slug. */
static int add_slug(void *userdata, char *line, int line_no)
{
	(void)line_no;
	struct site *s = userdata;
	char *tab = strchr(line, '\t');
	if (!tab)
		return -1;
	*tab = '\0';
	long i = insights_area_find(s->in, line);
	if (i >= 0 && !s->slugs[i])
		s->slugs[i] = xstrdup(tab + 1);
	return 0;
}

/* data/site/topics.tsv: area -> slug, for every area of the taxonomy. */
static int load_slugs(struct site *s, struct pb_err *err)
{
	size_t n = insights_area_count(s->in);
	s->slugs = xcalloc(n ? n : 1, sizeof(*s->slugs));
	if (data_each_line("data/site/topics.tsv", add_slug, s, err))
		return PB_ERR;
	for (size_t i = 0; i < n; i++) {
		const char *slug = s->slugs[i];
		if (!slug || !*slug || strspn(slug, "abcdefghijklmnopqrstuvwxyz0123456789-") != strlen(slug))
			return pb_err_set(err, PB_ERR, "data/site/topics.tsv: area '%s' has no slug of a-z, 0-9 and '-'",
					  insights_area_name(s->in, i));
	}
	return 0;
}

/* Papers per month as a small bar chart, oldest month on the left; inline SVG, no script. */
static void month_chart(struct buf *b, const struct site_lang *L, const char (*months)[8],
			const long *counts, size_t n)
{
	long max = 1;
	for (size_t i = 0; i < n; i++)
		max = counts[i] > max ? counts[i] : max;
	const double bar = 24, gap = 6, height = 80;
	/* At least a year's width: two months of data stay two slim bars, not two walls. */
	size_t slots = n < 12 ? 12 : n;
	double width = slots * (bar + gap) + gap;
	char *caption = html_escaped(ui_get(L->ui, "site.topic_chart"));
	/* Drawn from the left, on a baseline: a young area's few bars line up with the text. */
	sb_addf(b, "<figure class=\"chart\">\n<svg viewBox=\"0 0 %.0f %.0f\" preserveAspectRatio=\"xMinYMax meet\" "
		   "role=\"img\" aria-label=\"%s\">\n<line class=\"base\" x1=\"0\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\"/>\n",
		width, height + 16, caption, height, width, height);
	for (size_t i = 0; i < n; i++) {
		double h = counts[i] * (height - 12) / (double)max;
		double x = gap + i * (bar + gap);
		sb_addf(b, "<g><title>%s: %ld</title><rect class=\"bar\" x=\"%.0f\" y=\"%.1f\" width=\"%.0f\" "
			   "height=\"%.1f\" rx=\"2\"/>"
			   "<text class=\"axis\" x=\"%.0f\" y=\"%.1f\" text-anchor=\"middle\">%ld</text>"
			   "<text class=\"axis\" x=\"%.0f\" y=\"%.0f\" text-anchor=\"middle\">%.2s</text></g>\n",
			months[i], counts[i], x, height - h, bar, h, x + bar / 2, height - h - 2, counts[i],
			x + bar / 2, height + 13, months[i] + 5);
	}
	sb_addf(b, "</svg>\n<figcaption>%s · %s — %s</figcaption>\n</figure>\n", caption,
		n ? months[0] : "", n ? months[n - 1] : "");
	free(caption);
}

static int topic_page(struct site *s, struct site_lang *L, size_t area, size_t total, struct pb_err *err)
{
	struct strings S = {0};
	uint64_t bit = UINT64_C(1) << area;
	char *rel = keep(&S, xasprintf("%stopics/%s.html", L->root, s->slugs[area]));
	char *name = keep(&S, insights_area_names(s->in, L->ui, bit, 1));
	/* Months from the first this area appears in to the newest day, oldest first. */
	char (*months)[8] = NULL;
	long *counts = NULL;
	size_t n_months = 0, days_with = 0;
	for (size_t i = L->n_days; i-- > 0;) {
		const struct site_day *d = &L->days[i];
		long here = 0;
		for (size_t p = 0; p < d->papers.n; p++)
			here += (d->areas[p] & bit) != 0;
		if (!here && !n_months)
			continue;
		days_with += here > 0;
		if (!n_months || strncmp(months[n_months - 1], d->date, 7)) {
			months = xrealloc(months, (n_months + 1) * sizeof(*months));
			counts = xrealloc(counts, (n_months + 1) * sizeof(*counts));
			snprintf(months[n_months], sizeof(months[n_months]), "%.7s", d->date);
			counts[n_months++] = 0;
		}
		counts[n_months - 1] += here;
	}
	char *count = keep(&S, count_str((long long)total));
	char *days = keep(&S, count_str((long long)days_with));
	const struct tmpl_var vars[] = {{"area", name}, {"count", count}, {"days", days}};
	char *title = keep(&S, ui_format(L->ui, "site.topic_title", vars, 1));
	char *intro = keep(&S, ui_format(L->ui, "site.topic_intro", vars + 1, 2));
	char *title_html = keep(&S, html_escaped(title));
	char *intro_html = keep(&S, html_escaped(intro));
	struct buf body;
	buf_init(&body, BUF_LIMIT_NONE);
	sb_addf(&body, "<h1 class=\"page-title\">%s</h1>\n<p class=\"lede\">%s</p>\n", title_html, intro_html);
	month_chart(&body, L, (const char (*)[8])months, counts, n_months);
	sb_adds(&body, "<ol class=\"paper-list\" reversed>\n");
	for (size_t i = 0; i < L->n_days; i++) {
		const struct site_day *d = &L->days[i];
		for (size_t p = 0; p < d->papers.n; p++) {
			if (!(d->areas[p] & bit))
				continue;
			const struct paper *paper = &d->papers.items[p];
			char *t = keep(&S, html_escaped(paper->title_zh ? paper->title_zh : paper->title));
			char *en = keep(&S, html_escaped(paper->title));
			char *id = keep(&S, html_escaped(paper->id));
			sb_addf(&body, "<li><span class=\"date\">%s</span><a href=\"../days/%s.html#%s\">%s</a>",
				d->date, d->date, id, t);
			if (paper->title_zh)
				sb_addf(&body, "<span class=\"en\" lang=\"en\">%s</span>", en);
			sb_adds(&body, "</li>\n");
		}
	}
	sb_adds(&body, "</ol>\n");
	const struct page p = {rel, title, intro, body.data, "topic", "website", NULL, NAV_TOPICS, true};
	int rc = put_page(s, L, &p, err);
	buf_release(&body);
	free(months);
	free(counts);
	strings_release(&S);
	return rc;
}

static int topic_pages(struct site *s, struct site_lang *L, struct pb_err *err)
{
	struct strings S = {0};
	size_t n_areas = insights_area_count(s->in);
	size_t *totals = xcalloc(n_areas ? n_areas : 1, sizeof(*totals));
	for (size_t i = 0; i < L->n_days; i++)
		for (size_t p = 0; p < L->days[i].papers.n; p++)
			for (size_t k = 0; k < n_areas; k++)
				totals[k] += (L->days[i].areas[p] >> k) & 1;
	char *rel = keep(&S, xasprintf("%stopics/index.html", L->root));
	char *title = keep(&S, html_escaped(ui_get(L->ui, "site.topics_title")));
	char *intro = keep(&S, html_escaped(ui_get(L->ui, "site.topics_intro")));
	struct buf body;
	buf_init(&body, BUF_LIMIT_NONE);
	sb_addf(&body, "<h1 class=\"page-title\">%s</h1>\n<p class=\"lede\">%s</p>\n<ul class=\"topic-list\">\n",
		title, intro);
	int rc = 0;
	/* Listed by papers, most first (ties in taxonomy order); every area's page is written,
	 * also with no papers yet, so its link never breaks. */
	size_t *order = xcalloc(n_areas ? n_areas : 1, sizeof(*order));
	for (size_t k = 0; k < n_areas; k++) {
		size_t at = k;
		while (at > 0 && totals[order[at - 1]] < totals[k]) {
			order[at] = order[at - 1];
			at--;
		}
		order[at] = k;
	}
	for (size_t i = 0; i < n_areas && !rc; i++) {
		size_t k = order[i];
		char *name = keep(&S, insights_area_names(s->in, L->ui, UINT64_C(1) << k, 1));
		char *name_html = keep(&S, html_escaped(name));
		char *c = keep(&S, count_str((long long)totals[k]));
		char *n = keep(&S, ui_html(L, "site.topic_papers", (const struct tmpl_var[]){{"count", c}}, 1));
		sb_addf(&body, "<li><a href=\"%s.html\"><span>%s</span> <span class=\"n\">%s</span></a></li>\n",
			s->slugs[k], name_html, n);
		rc = topic_page(s, L, k, totals[k], err);
	}
	free(order);
	sb_adds(&body, "</ul>\n");
	if (!rc) {
		const struct page p = {rel, ui_get(L->ui, "site.topics_title"), ui_get(L->ui, "site.topics_intro"),
				       body.data, "topics", "website", NULL, NAV_TOPICS, true};
		rc = put_page(s, L, &p, err);
	}
	buf_release(&body);
	free(totals);
	strings_release(&S);
	return rc;
}

/* ---- search ------------------------------------------------------------------------------ */

/*
 * The names of a JSON array joined by sep: strings, or objects' "name" (the
 * API's authors are {"name": …}); "" when the text is no array.
 */
static char *json_names(const char *json, const char *sep)
{
	json_t *arr = json ? json_loads(json, 0, NULL) : NULL;
	struct buf b;
	buf_init(&b, BUF_LIMIT_NONE);
	sb_adds(&b, "");
	size_t i;
	json_t *v;
	if (json_is_array(arr))
		json_array_foreach(arr, i, v) {
			const char *name = json_is_string(v) ? json_string_value(v)
					 : json_string_value(json_object_get(v, "name"));
			if (name)
				sb_addf(&b, "%s%s", b.len ? sep : "", name);
		}
	json_decref(arr);
	return buf_detach(&b);
}

static int search_index(struct site *s, struct site_lang *L, struct pb_err *err)
{
	json_t *papers = json_array();
	for (size_t i = 0; i < L->n_days; i++) {
		const struct site_day *d = &L->days[i];
		for (size_t p = 0; p < d->papers.n; p++) {
			const struct paper *paper = &d->papers.items[p];
			char *areas = insights_area_names(s->in, L->ui, d->areas[p], INSIGHTS_MAX_AREAS);
			char *authors = json_names(paper->authors, ", ");
			char *keywords = json_names(paper->ai_keywords, " ");
			const char *summary = paper->summary_zh ? paper->summary_zh
					    : paper->ai_summary ? paper->ai_summary : "";
			json_array_append_new(papers, json_pack("[sssssss s]", paper->id, d->date,
				paper->title_zh ? paper->title_zh : paper->title, paper->title, summary,
				keywords, areas, authors));
			free(areas);
			free(authors);
			free(keywords);
		}
	}
	json_t *doc = json_pack("{s:i, s:s, s:[ssssssss], s:o}", "version", 1, "lang", L->code, "fields",
				"id", "date", "title", "title_en", "summary", "keywords", "areas", "authors",
				"papers", papers);
	/* Compact UTF-8 (no \u escapes for Chinese): the index is the search page's biggest download. */
	char *text = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
	json_decref(doc);
	if (!text)
		return pb_err_set(err, PB_ERR, "could not build the search index of %s", L->code);
	char *rel = xasprintf("%ssearch.json", L->root);
	char *with_newline = xasprintf("%s\n", text);
	int rc = put_file(s, rel, with_newline, strlen(with_newline), err);
	free(with_newline);
	free(text);
	free(rel);
	return rc;
}

static int search_page(struct site *s, struct site_lang *L, struct pb_err *err)
{
	struct strings S = {0};
	char *rel = keep(&S, xasprintf("%ssearch.html", L->root));
	char *root = keep(&S, up_to_root(rel));
	struct buf body;
	buf_init(&body, BUF_LIMIT_NONE);
	char *title = keep(&S, html_escaped(ui_get(L->ui, "site.search_title")));
	char *placeholder = keep(&S, html_escaped(ui_get(L->ui, "site.search_placeholder")));
	char *label = keep(&S, html_escaped(ui_get(L->ui, "site.search_label")));
	char *button = keep(&S, html_escaped(ui_get(L->ui, "site.search_button")));
	char *noscript = keep(&S, html_escaped(ui_get(L->ui, "site.search_noscript")));
	char *archive = keep(&S, html_escaped(ui_get(L->ui, "site.nav_archive")));
	char *topics = keep(&S, html_escaped(ui_get(L->ui, "site.nav_topics")));
	sb_addf(&body, "<h1 class=\"page-title\">%s</h1>\n"
		       "<form id=\"search-form\" role=\"search\" action=\"search.html\" method=\"get\">\n"
		       "<input id=\"q\" name=\"q\" type=\"search\" autocomplete=\"off\" placeholder=\"%s\" "
		       "aria-label=\"%s\">\n<button type=\"submit\">%s</button>\n</form>\n"
		       "<p id=\"search-status\" aria-live=\"polite\"",
		title, placeholder, label, button);
	static const struct {
		const char *attr, *key;
	} statuses[] = {
		{"loading", "site.search_loading"}, {"empty", "site.search_empty"},
		{"none", "site.search_none"},       {"found", "site.search_found"},
		{"more", "site.search_more"},       {"error", "site.search_error"},
	};
	for (size_t i = 0; i < PB_ARRAY_LEN(statuses); i++) {
		char *v = keep(&S, html_escaped(ui_get(L->ui, statuses[i].key)));
		sb_addf(&body, " data-%s=\"%s\"", statuses[i].attr, v);
	}
	sb_addf(&body, "></p>\n<ol id=\"results\" class=\"results\"></ol>\n"
		       "<noscript><p>%s <a href=\"archive.html\">%s</a> · <a href=\"topics/index.html\">%s</a></p></noscript>\n"
		       "<script src=\"%sassets/search.js\" data-index=\"search.json\" defer></script>\n",
		noscript, archive, topics, root);
	const struct page p = {rel, ui_get(L->ui, "site.search_title"), ui_get(L->ui, "site.description"),
			       body.data, "search", "website", NULL, NAV_SEARCH, true};
	int rc = put_page(s, L, &p, err);
	buf_release(&body);
	strings_release(&S);
	return rc;
}

/* ---- feeds ------------------------------------------------------------------------------ */

static int atom_feed(struct site *s, struct site_lang *L, struct pb_err *err)
{
	struct strings S = {0};
	size_t n = L->n_days < SITE_FEED_ENTRIES ? L->n_days : SITE_FEED_ENTRIES;
	struct atom_entry *entries = xcalloc(n ? n : 1, sizeof(*entries));
	for (size_t i = 0; i < n; i++) {
		const struct site_day *d = &L->days[i];
		char *page = keep(&S, layout_site_day(d->date, L->code));
		char *abs_page = keep(&S, absolute(s, page));
		/* Relative to the feed, which sits at the language's root. */
		char *link = keep(&S, abs_page ? xstrdup(abs_page) : xasprintf("days/%s.html", d->date));
		char *name = keep(&S, xasprintf("paperboy edition %s %s", L->code, d->date));
		char *id = keep(&S, abs_page ? xstrdup(abs_page) : atom_uuid_urn(name));
		char *count = keep(&S, count_str((long long)d->papers.n));
		char *title = keep(&S, ui_format(L->ui, "site.feed_entry_title",
					(const struct tmpl_var[]){{"date", d->date}, {"count", count}}, 2));
		char *updated = keep(&S, xasprintf("%s%s", d->date, SITE_TIME_OF_DAY));
		entries[i] = (struct atom_entry){id, title, link, updated, d->hot_topics, d->article, link};
	}
	char *self_rel = keep(&S, xasprintf("%sfeed.xml", L->root));
	char *self = keep(&S, s->base ? absolute(s, self_rel) : xstrdup("feed.xml"));
	char *home = keep(&S, s->base ? absolute(s, L->root) : xstrdup("index.html"));
	char *feed_name = keep(&S, xasprintf("paperboy site %s", L->code));
	char *feed_id = keep(&S, s->base ? absolute(s, L->root) : atom_uuid_urn(feed_name));
	const char *updated = n ? entries[0].updated : "2000-01-01T08:00:00+08:00";
	const struct atom_feed feed = {
		feed_id, ui_get(L->ui, "site.name"), ui_get(L->ui, "site.description"),
		L->language->html_lang, self, home,
		config_feed_author(s->cfg), updated,
	};
	struct buf out;
	buf_init(&out, BUF_LIMIT_NONE);
	atom_render(&feed, entries, n, &out);
	int rc = put_file(s, self_rel, out.data, out.len, err);
	buf_release(&out);
	free(entries);
	strings_release(&S);
	return rc;
}

/*
 * podcast.xml: the podcast feed of the site's own pages when [site] base_url
 * says where it is published; without it, OUT's feed/podcast.xml as the audio
 * stage wrote it (its URLs are [feed] base_url's), or none.
 */
static int podcast_feed(struct site *s, struct pb_err *err)
{
	struct audio_record *records = NULL;
	size_t n = 0;
	int rc = archive_list_audio(s->a, &records, &n, err);
	audio_records_free(records, n);
	if (rc || !n)
		return rc; /* no broadcast: no podcast */
	struct buf out;
	buf_init(&out, BUF_LIMIT_NONE);
	if (s->base) {
		const struct podcast_target t = {s->base, "podcast.xml", true};
		rc = podcast_render(s->a, s->cfg, &t, &out, err);
		s->has_podcast = !rc;
	} else {
		char *path = layout_path(s->run->layout, ART_PODCAST_FEED, NULL, NULL);
		/* A feed the audio stage left unreadable is left out, as a missing one is. */
		s->has_podcast = fs_is_file(path) && !fs_read_file(path, &out, err);
		if (!s->has_podcast)
			pb_err_clear(err);
		free(path);
	}
	if (s->has_podcast)
		rc = put_file(s, "podcast.xml", out.data, out.len, err);
	buf_release(&out);
	char *cover = path_join(s->run->layout->out_dir, PODCAST_COVER_PATH);
	if (!rc && s->has_podcast && fs_is_file(cover))
		rc = copy_medium(s, PODCAST_COVER_PATH, err);
	free(cover);
	return rc;
}

/* ---- the site-wide files ---------------------------------------------------------------- */

static int assets(struct site *s, struct pb_err *err)
{
	static const char *const css[] = {"data/newsletter/style.css", "data/site/site.css",
					  "data/site/search.css"};
	struct buf b;
	buf_init(&b, BUF_LIMIT_NONE);
	int rc = 0;
	for (size_t i = 0; i < PB_ARRAY_LEN(css) && !rc; i++) {
		const char *text = data_get(css[i], NULL);
		if (!text)
			rc = pb_err_set(err, PB_ERR, "'%s' is missing from this build", css[i]);
		else
			sb_addf(&b, "%s\n", text);
	}
	if (!rc)
		rc = put_file(s, "assets/site.css", b.data, b.len, err);
	const char *js = data_get("data/site/search.js", NULL);
	if (!rc && !js)
		rc = pb_err_set(err, PB_ERR, "'data/site/search.js' is missing from this build");
	if (!rc)
		rc = put_file(s, "assets/search.js", js, strlen(js), err);
	buf_release(&b);
	return rc;
}

/* 404.html is served for any missing path at any depth: absolute links with a base URL, else inline. */
static int not_found_page(struct site *s, const struct site_lang *L, struct pb_err *err)
{
	struct strings S = {0};
	char *home = keep(&S, s->base ? xstrdup(s->base) : xstrdup("index.html"));
	char *home_html = keep(&S, html_escaped(home));
	char *title = keep(&S, html_escaped(ui_get(L->ui, "site.not_found_title")));
	char *text = keep(&S, html_escaped(ui_get(L->ui, "site.not_found_text")));
	char *name = keep(&S, html_escaped(ui_get(L->ui, "site.nav_home")));
	char *archive = keep(&S, html_escaped(ui_get(L->ui, "site.nav_archive")));
	char *lang = keep(&S, html_escaped(L->language->html_lang));
	char *archive_href = keep(&S, s->base ? url_join(s->base, "archive.html") : xstrdup("archive.html"));
	char *archive_html = keep(&S, html_escaped(archive_href));
	char *page = keep(&S, xasprintf(
		"<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		"<meta name=\"color-scheme\" content=\"light dark\">\n<meta name=\"robots\" content=\"noindex\">\n"
		"<title>%s</title>\n<link rel=\"icon\" type=\"image/svg+xml\" href=\"%s\">\n"
		"<style>body{font-family:system-ui,\"Noto Sans CJK SC\",sans-serif;max-width:36rem;margin:0 auto;"
		"padding:2rem 1.2rem;line-height:1.7}a{display:inline-block;min-height:44px;line-height:44px;"
		"margin-right:1.2rem}@media(prefers-color-scheme:dark){body{background:#15171a;color:#e6e6e3}"
		"a{color:#7cb7ff}}</style>\n</head>\n<body>\n<main>\n<h1>%s</h1>\n<p>%s</p>\n"
		"<p><a href=\"%s\">%s</a><a href=\"%s\">%s</a></p>\n</main>\n</body>\n</html>\n",
		lang, title, s->favicon, title, text, home_html, name, archive_html, archive));
	int rc = put_file(s, "404.html", page, strlen(page), err);
	strings_release(&S);
	return rc;
}

static int robots_and_sitemap(struct site *s, struct pb_err *err)
{
	struct buf robots;
	buf_init(&robots, BUF_LIMIT_NONE);
	sb_adds(&robots, "User-agent: *\nAllow: /\n");
	int rc = 0;
	if (s->base) {
		char *map = url_join(s->base, "sitemap.xml");
		sb_addf(&robots, "Sitemap: %s\n", map);
		free(map);
		struct buf xml;
		buf_init(&xml, BUF_LIMIT_NONE);
		sb_addf(&xml, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
			      "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n%s</urlset>\n",
			s->sitemap.data ? s->sitemap.data : "");
		rc = put_file(s, "sitemap.xml", xml.data, xml.len, err);
		buf_release(&xml);
	}
	if (!rc)
		rc = put_file(s, "robots.txt", robots.data, robots.len, err);
	buf_release(&robots);
	return rc;
}

/* The media the day pages show, copied from OUT (each language's pictures, the day's MP3). */
static int media(struct site *s, const struct site_lang *L, struct pb_err *err)
{
	int rc = 0;
	for (size_t i = 0; i < L->n_days && !rc; i++) {
		const struct site_day *d = &L->days[i];
		const struct {
			bool has;
			enum artefact kind;
		} files[] = {{d->has_pictures, ART_WORDCLOUD}, {d->has_pictures, ART_CHART},
			     {d->has_poster, ART_POSTER}, {d->has_audio && L == s->langs, ART_AUDIO}};
		for (size_t k = 0; k < PB_ARRAY_LEN(files) && !rc; k++) {
			if (!files[k].has)
				continue;
			char *rel = layout_relpath(files[k].kind, d->date, L->code);
			rc = copy_medium(s, rel, err);
			free(rel);
		}
	}
	return rc;
}

/* The days the site shows: the same in every language (a missing variant is converted). */
static int build(struct site *s, const struct site_options *o, struct pb_err *err)
{
	struct archive_day_list days = {0};
	int rc = archive_list_days(s->a, &days, err);
	if (!rc && days.n) {
		struct pb_date first, last;
		rc = date_parse(days.items[days.n - 1].date, &first, err);
		if (!rc)
			rc = date_parse(days.items[0].date, &last, err);
		if (!rc)
			rc = pictures_fill_insights(s->a, s->run, s->in, days.items[0].date,
						    (size_t)(date_to_days(&last) - date_to_days(&first) + 1), err);
	}
	s->sum->days = days.n;
	s->langs = xcalloc(o->n_langs, sizeof(*s->langs));
	for (size_t l = 0; l < o->n_langs && !rc; l++) {
		struct site_lang *L = &s->langs[s->n_langs++];
		L->code = o->langs[l];
		L->language = lang_find(L->code);
		if (!L->language) {
			rc = pb_err_set(err, PB_ERR_USAGE, "no edition language '%s'", L->code);
			break;
		}
		L->code = L->language->code;
		L->root = layout_site_root(L->code);
		rc = ui_strings_load(L->language, &L->ui, err);
		if (!rc)
			rc = load_lang(s, L, &days, err);
	}
	archive_day_list_release(&days);
	if (!rc)
		rc = podcast_feed(s, err); /* first: every page's <head> links it when it exists */
	if (!rc)
		rc = assets(s, err);
	for (size_t l = 0; l < s->n_langs && !rc; l++) {
		struct site_lang *L = &s->langs[l];
		pb_info(s->run->log, "site: %s, %zu days", L->code, L->n_days);
		rc = media(s, L, err);
		if (!rc)
			rc = day_pages(s, L, err);
		if (!rc)
			rc = index_page(s, L, err);
		if (!rc)
			rc = archive_page(s, L, err);
		if (!rc)
			rc = topic_pages(s, L, err);
		if (!rc)
			rc = search_page(s, L, err);
		if (!rc)
			rc = search_index(s, L, err);
		if (!rc)
			rc = atom_feed(s, L, err);
	}
	if (!rc && s->n_langs)
		rc = not_found_page(s, &s->langs[0], err);
	if (!rc)
		rc = robots_and_sitemap(s, err);
	return rc;
}

int site_build(struct archive *a, const struct pb_config *cfg, const struct site_options *o,
	       const struct pb_run *run, struct site_summary *summary, struct pb_err *err)
{
	memset(summary, 0, sizeof(*summary));
	if (!o->n_langs)
		return pb_err_set(err, PB_ERR_USAGE, "the site needs at least one language");
	struct site s = {.a = a, .cfg = cfg, .run = run, .dir = o->dir, .sum = summary};
	buf_init(&s.sitemap, BUF_LIMIT_NONE);
	if (cfg->site_base_url) {
		size_t n = strlen(cfg->site_base_url);
		s.base = xasprintf("%s%s", cfg->site_base_url, n && cfg->site_base_url[n - 1] == '/' ? "" : "/");
	}
	s.favicon = newsletter_favicon_uri();
	int rc = fs_mkdir_p(o->dir, err);
	if (!rc)
		rc = insights_new(&s.in, err);
	if (!rc)
		rc = load_slugs(&s, err);
	if (!rc)
		rc = build(&s, o, err);
	for (size_t l = 0; l < s.n_langs; l++) {
		for (size_t i = 0; i < s.langs[l].n_days; i++)
			site_day_release(&s.langs[l].days[i]);
		free(s.langs[l].days);
		free(s.langs[l].root);
		ui_strings_free(s.langs[l].ui);
	}
	free(s.langs);
	if (s.slugs)
		for (size_t i = 0; i < insights_area_count(s.in); i++)
			free(s.slugs[i]);
	free(s.slugs);
	insights_free(s.in);
	free(s.favicon);
	free(s.base);
	buf_release(&s.sitemap);
	return rc;
}
