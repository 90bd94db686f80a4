/*
 * site.h - the site stage: a static site from the archive (`paperboy site`,
 * and the last local stage of `run` and `backfill` when [site] dir is set).
 *
 * Owns: the site's pages and their layout (documented in the README):
 *
 *     index.html archive.html search.html search.json feed.xml   per language
 *     days/D.html (each paper anchored by its arXiv id) topics/index.html topics/SLUG.html
 *     404.html robots.txt sitemap.xml (with [site] base_url) podcast.xml assets/   once
 *     images/ posters/ audio/ feed/cover.png                     the media, copied from OUT
 *
 * zh-CN at the root, every other language under its code (zh-TW/). Links are
 * relative everywhere but in sitemap.xml and, with [site] base_url, the
 * feeds, so the folder works from any base path or from disk. Nothing else
 * of OUT (the archive, the run reports) is copied.
 *
 * Incremental: every page is rendered in memory from the archive (stored
 * insights, never a new segmentation) and written only when its bytes
 * differ; media are copied only when their size or mtime differ (the copy
 * keeps the source's mtime). So a rebuild after one new day rewrites only
 * what that day changes, and unchanged files keep their bytes and mtimes.
 */
#ifndef PB_SITE_H
#define PB_SITE_H

#include "archive/archive.h"
#include "core/config.h"
#include "core/err.h"
#include "core/run.h"

struct site_options {
	const char *dir;                 /* the site folder */
	const char *const *langs;        /* the editions; langs[0] is the root's (zh-CN) */
	size_t n_langs;
};

struct site_summary {
	size_t days;          /* editions per language */
	size_t pages;         /* pages and data files the site has */
	size_t written;       /* of which rewritten by this build */
	size_t media;         /* media files the pages use */
	size_t copied;        /* of which copied by this build */
	long long bytes;      /* the site's size, all files */
};

int site_build(struct archive *a, const struct pb_config *cfg, const struct site_options *o,
	       const struct pb_run *run, struct site_summary *summary, struct pb_err *err);

#endif
