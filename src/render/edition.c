/* edition.c - the edition stage: the newsletter from the archive, linking the recorded broadcast. */
#include "core/common.h"

#include "render/edition.h"
#include "core/date.h"
#include "core/layout.h"
#include "insights/insights.h"
#include "render/newsletter.h"
#include "render/pictures.h"

#include <stdlib.h>
#include <string.h>


void edition_summary_release(struct edition_summary *s)
{
	free(s->markdown);
	free(s->html);
	memset(s, 0, sizeof(*s));
}

/* Does the archive record a broadcast of the day? (Not: is there a file on disk.) */
static int day_has_audio(struct archive *a, const char *date, bool *has, struct pb_err *err)
{
	char *path = NULL;
	int rc = archive_get_artefact(a, date, NULL, layout_kind_name(ART_AUDIO), &path, has, err);
	free(path);
	return rc;
}

/* Does the archive record this artefact of the edition? */
static int has_artefact(struct archive *a, const char *date, const char *lang, enum artefact kind,
			bool *has, struct pb_err *err)
{
	char *path = NULL;
	int rc = archive_get_artefact(a, date, lang, layout_kind_name(kind), &path, has, err);
	free(path);
	return rc;
}

#define NEIGHBOUR_DAYS 31 /* how far the previous/next links look for an edition */

/*
 * The nearest edition in this language before (step -1) or after (+1) the
 * day, as the archive records its HTML page; out is "" when there is none
 * within NEIGHBOUR_DAYS.
 */
static int neighbour_edition(struct archive *a, const struct day_edition *ed, int step,
			     char out[PB_DATE_LEN + 1], struct pb_err *err)
{
	out[0] = '\0';
	struct pb_date day;
	if (date_parse(ed->date, &day, err))
		return PB_ERR;
	for (int i = 1; i <= NEIGHBOUR_DAYS; i++) {
		struct pb_date d;
		char text[PB_DATE_LEN + 1];
		bool has = false;
		date_add_days(&day, i * step, &d);
		date_format(&d, text);
		int rc = has_artefact(a, text, ed->lang, ART_EDITION_HTML, &has, err);
		if (rc)
			return rc;
		if (has) {
			memcpy(out, text, sizeof(text));
			return 0;
		}
	}
	return 0;
}

/*
 * 热门领域: from the areas the pictures stage stored for the day, so the text
 * is not segmented again; computed afresh only for a day it never ran on.
 */
static int hot_topics(struct archive *a, const struct day_edition *ed, const struct insights *in,
		      const struct paper_list *source, char **out, struct pb_err *err)
{
	bool known = false;
	struct day_insights d = {0};
	int rc = archive_day_insights_known(a, ed->date, LAYOUT_DEFAULT_LANG, &known, err);
	if (!rc && known)
		rc = pictures_load_areas(a, in, ed->date, 1, &d, err);
	else if (!rc)
		insights_day(in, source, &d);
	if (!rc)
		*out = insights_hot_topics(in, ed->ui, &d, PICTURES_HOT_TOPICS);
	day_insights_release(&d);
	return rc;
}

int render_edition(struct archive *a, const struct day_edition *ed, const struct pb_config *cfg,
		   const struct pb_run *run, struct edition_summary *summary, struct pb_err *err)
{
	memset(summary, 0, sizeof(*summary));
	struct paper_list papers = {0}, source = {0};
	struct insights *in = NULL;
	char *hot = NULL;
	bool is_source = layout_lang_is_default(ed->lang);
	int rc = archive_load_day(a, ed->date, ed->lang, &papers, err);
	if (!rc && !is_source)
		rc = archive_load_day(a, ed->date, NULL, &source, err);
	if (!rc)
		rc = day_has_audio(a, ed->date, &summary->has_audio, err);
	bool has_poster = false;
	char prev[PB_DATE_LEN + 1] = "", next[PB_DATE_LEN + 1] = "";
	if (!rc)
		rc = has_artefact(a, ed->date, ed->lang, ART_POSTER, &has_poster, err);
	if (!rc)
		rc = neighbour_edition(a, ed, -1, prev, err);
	if (!rc)
		rc = neighbour_edition(a, ed, +1, next, err);
	if (!rc)
		rc = insights_new(&in, err);
	if (!rc) {
		/* The areas come from the zh-CN translation, named in the edition's language. */
		rc = hot_topics(a, ed, in, is_source ? &papers : &source, &hot, err);
	}
	if (!rc) {
		struct edition e = {
			.date = ed->date, .lang = ed->lang, .ui = ed->ui, .papers = &papers, .hot_topics = hot,
			.channels = cfg->channels, .n_channels = cfg->n_channels,
			.has_audio = summary->has_audio, .has_poster = has_poster,
			.prev_date = *prev ? prev : NULL, .next_date = *next ? next : NULL,
			.base_url = cfg->feed_base_url,
		};
		struct newsletter_paths out = {0};
		rc = newsletter_write(&e, run->layout->out_dir, &out, err);
		if (!rc) {
			pb_debug(run->log, "wrote %s and %s", out.markdown, out.html);
			rc = archive_record_artefact(a, run->layout, ART_EDITION_MD, ed->date, ed->lang, err);
			if (!rc)
				rc = archive_record_artefact(a, run->layout, ART_EDITION_HTML, ed->date,
							     ed->lang, err);
			summary->markdown = out.markdown;
			summary->html = out.html;
		} else {
			newsletter_paths_release(&out);
		}
		summary->papers = papers.n;
	}
	free(hot);
	insights_free(in);
	paper_list_release(&source);
	paper_list_release(&papers);
	return rc;
}
