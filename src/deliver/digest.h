/*
 * digest.h - what a delivery says about one edition: the day's count, its
 * hot areas and, per paper, the title, the one-line summary (一句话总结) and a
 * link, in the edition's language. Every channel (mail, the six chat
 * platforms) formats the same digest in its own markup; nothing here knows
 * any markup, and every string is plain text exactly as the API or the LLM
 * gave it (so each formatter escapes it for its own platform).
 *
 *     struct digest *d;
 *     digest_load(archive, cfg, &run, "2025-12-26", "zh-CN", &d, &err);
 *     ... d->heading, d->papers[i].title, d->papers[i].url ...
 *     digest_free(d);
 *
 * Links: the site's day page and paper anchors when [site] base_url is set,
 * else the Hugging Face pages (https://huggingface.co/papers/ID and
 * https://huggingface.co/papers/date/D). The poster has a URL only on the
 * site (poster_url); its file on disk is poster_path either way.
 */
#ifndef PB_DELIVER_DIGEST_H
#define PB_DELIVER_DIGEST_H

#include "core/common.h"
#include "core/err.h"

struct archive;
struct pb_config;
struct pb_run;
struct ui_strings;

struct digest_paper {
	char *id;       /* arXiv id, "2512.21218" */
	char *title;    /* in the edition's language; the English title while untranslated */
	char *title_en; /* the English title */
	char *summary;  /* 一句话总结 in the edition's language; NULL while untranslated */
	char *areas;    /* "强化学习 · 多模态"; "" when none */
	char *url;      /* the paper's anchor on the site, or its Hugging Face page */
	long upvotes;
};

struct digest {
	char date[11];               /* YYYY-MM-DD */
	char *lang;                  /* "zh-CN" */
	const struct ui_strings *ui; /* the edition language's UI strings (section [deliver]); borrowed */
	char *title;                 /* "Hugging Face 论文日报 2025-12-26 · 7 篇": subjects, headers */
	char *hot_areas;             /* "强化学习(2)、多模态(2)"; the none string when none */
	struct digest_paper *papers; /* rank order, as in the edition */
	size_t n_papers;
	char *edition_url;           /* the day on the site, or on Hugging Face */
	char *poster_url;            /* absolute URL of the poster on the site; NULL: none */
	char *poster_path;           /* the poster file under OUT; NULL when not drawn */
	char *html_path;             /* the HTML edition under OUT (mail's HTML part) */
	char *out_dir;               /* OUT, where the HTML edition's relative links start from */
	char *site_base_url;         /* [site] base_url ending in '/', or NULL */
};

/*
 * The digest of (date, lang) from the archive and OUT. PB_ERR_NO_PAPERS when
 * the day has no papers; PB_ERR naming the file when the edition was not
 * rendered yet (hint: paperboy run --date D). ui stays owned by the caller and
 * must outlive the digest.
 */
int digest_load(struct archive *a, const struct pb_config *cfg, const struct pb_run *run,
		const char *date, const char *lang, const struct ui_strings *ui, struct digest **out,
		struct pb_err *err);
void digest_free(struct digest *d);

#endif
