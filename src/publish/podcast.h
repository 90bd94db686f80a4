/*
 * podcast.h - the feed stage: OUT/feed/podcast.xml over every broadcast the
 * archive records (archive-wide: `run` writes it after its day, `backfill`
 * once at the end of its range).
 */
#ifndef PB_PODCAST_H
#define PB_PODCAST_H

#include "archive/archive.h"
#include "core/config.h"
#include "core/err.h"
#include "core/run.h"

/* *path (caller frees) is NULL when [feed] base_url is unset: no feed, said at info level. */
int podcast_write(struct archive *a, const struct pb_config *cfg, const struct pb_run *run,
		  char **path, struct pb_err *err);

#endif
