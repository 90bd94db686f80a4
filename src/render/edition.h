/*
 * edition.h - the edition stage: the newsletter (Markdown + HTML) of one
 * edition from the archive, written once per run, after the broadcast, so
 * it links the audio exactly when the archive records one for the day.
 */
#ifndef PB_RENDER_EDITION_H
#define PB_RENDER_EDITION_H

#include "archive/archive.h"
#include "core/config.h"
#include "core/err.h"
#include "core/run.h"
#include "lang/lang.h"

struct edition_summary {
	size_t papers;
	bool has_audio;
	char *markdown; /* OUT/newsletters/D_daily_paper[.L].md; caller frees */
	char *html;
};

void edition_summary_release(struct edition_summary *s);

int render_edition(struct archive *a, const struct day_edition *ed, const struct pb_config *cfg,
		   const struct pb_run *run, struct edition_summary *summary, struct pb_err *err);

#endif
