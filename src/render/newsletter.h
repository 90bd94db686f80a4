/*
 * newsletter.h - the edition as Markdown and as a self-contained HTML page.
 *
 * Owns: the newsletter layout (the data/newsletter/ .md templates keep the layout of the
 * edition we replace line for line) and the HTML page (data/newsletter/
 * page.html + style.css). Every string from the API or an LLM is escaped
 * for its context; in HTML, cmark's output is additionally filtered so only
 * the template's own logo may be raw HTML and only http(s) or ../ links
 * survive.
 *
 * The HTML page adds, after sanitising, only markup of its own: the logo as
 * inline SVG (data/newsletter/logo.svg; also the favicon, as a data: URI, so
 * nothing is loaded from another host), the paper's arXiv id as its heading's
 * id (#2512.21218: the same anchor on every page that shows it) and a
 * table of contents, each picture as a tap-to-open link that scrolls sideways
 * on a phone instead of shrinking, the poster, a player for the broadcast in
 * place of the Markdown's link, previous/next edition links and og: tags.
 *
 * An edition is a date and a language. Its words come from the UI strings
 * (newsletter.* in data/lang/<code>.ini) and the templates of its language
 * (zh-CN: data/newsletter/NAME.md, kept byte for byte; others:
 * data/newsletter/<code>/NAME.md); the papers' text is rendered as given, so a
 * zh-TW caller passes converted papers. <html lang> follows the language.
 *
 * Outputs under OUT, named by core/layout.h (pictures are per date and
 * language, so an old edition never shows today's cloud):
 *   newsletters/D_daily_paper[.L].md, newsletters/D_daily_paper[.L].html
 *   linking ../images/D_keywords_wordcloud[.L].png, ../images/D_daily_papers[.L].png,
 *   ../audio/D_daily_papers.mp3 (one broadcast a day, whatever the language)
 */
#ifndef PB_NEWSLETTER_H
#define PB_NEWSLETTER_H

#include "core/buf.h"
#include "core/config.h"
#include "core/err.h"
#include "core/paper.h"
#include "lang/lang.h"

struct edition {
	const char *date;
	const char *lang;             /* its language's code; NULL: zh-CN */
	const struct ui_strings *ui;  /* that language's UI strings (checked) */
	const struct paper_list *papers;
	const char *hot_topics; /* plain text, escaped here */
	const struct pb_channel *channels;
	size_t n_channels;
	bool has_audio; /* audio/D_daily_papers.mp3 exists: link it */
	/* The HTML page only (the Markdown keeps the old bot's layout): */
	bool has_poster;       /* posters/D_poster[.L].png exists: show it, and it is og:image */
	const char *prev_date; /* the nearest earlier edition in this language, or NULL */
	const char *next_date; /* the nearest later one, or NULL */
	const char *base_url;  /* where OUT is published ([feed] base_url), or NULL: relative og:image */
	/* Where the page is shown; NULL: OUT/newsletters/ (the links of core/layout.h). */
	const struct edition_place *place;
};

/*
 * An edition shown somewhere else than OUT/newsletters/: the site's day
 * pages (days/D.html) and front page. The media keep their names under
 * core/layout.h, in a folder reached by `media`; the other days' pages are
 * named D.html in the folder reached by `days`.
 */
struct edition_place {
	const char *media;  /* from the page to the folder of images/, posters/, audio/: "../", "" */
	const char *days;   /* from the page to the day pages: "" (days/ itself), "days/" */
	bool no_pictures;   /* the day's cloud and chart were never drawn (an imported day): leave
			     * their sections out rather than link files that are not there */
};

/* Append the Markdown edition to out. */
int newsletter_markdown(const struct edition *ed, struct buf *out, struct pb_err *err);
/*
 * Append the edition's article for that Markdown to out: what the page shows
 * inside <main> (the sanitised edition with its table of contents, figures,
 * player, poster and previous/next links), for a page of the caller's own.
 */
int newsletter_article(const struct edition *ed, const char *markdown, struct buf *out,
		       struct pb_err *err);
/* Append the HTML page for that Markdown to out. */
int newsletter_html(const struct edition *ed, const char *markdown, struct buf *out,
		    struct pb_err *err);

/* The logo as a data: URI, for a page's <link rel="icon">. Caller frees. */
char *newsletter_favicon_uri(void);
/* The og:image/twitter:card <meta> lines of the edition ("" without a poster). Caller frees. */
char *newsletter_og_image(const struct edition *ed);

struct newsletter_paths {
	char *markdown; /* OUT/newsletters/D_daily_paper.md */
	char *html;
	char *wordcloud; /* OUT/images/D_keywords_wordcloud.png */
	char *chart;     /* OUT/images/D_daily_papers.png */
	char *poster;    /* OUT/posters/D_poster.png */
	char *stats;     /* OUT/stats/D_stats.json */
};

/* Render both files and write them atomically under out_dir; paths (optional) get their names. */
int newsletter_write(const struct edition *ed, const char *out_dir, struct newsletter_paths *paths,
		     struct pb_err *err);
void newsletter_paths_release(struct newsletter_paths *paths);

#endif
