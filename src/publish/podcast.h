/*
 * podcast.h - the feed stage: OUT/feed/podcast.xml over every broadcast the
 * archive records (archive-wide: `run` writes it after its day, `backfill`
 * once at the end of its range).
 */
#ifndef PB_PODCAST_H
#define PB_PODCAST_H

#include "archive/archive.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/err.h"
#include "core/run.h"

/* Where a podcast feed is published, and what its episodes link. */
struct podcast_target {
	const char *base_url;  /* absolute: the folder holding audio/, posters/, feed/cover.png */
	const char *self_path; /* the feed's own path under it: "feed/podcast.xml", "podcast.xml" */
	bool site_pages;       /* episodes link the site's days/D.html, not OUT's newsletters/ */
};

/* Append the feed over every broadcast the archive records to out. */
int podcast_render(struct archive *a, const struct pb_config *cfg, const struct podcast_target *t,
		   struct buf *out, struct pb_err *err);

/* *path (caller frees) is NULL when [feed] base_url is unset: no feed, said at info level. */
int podcast_write(struct archive *a, const struct pb_config *cfg, const struct pb_run *run,
		  char **path, struct pb_err *err);

#endif
