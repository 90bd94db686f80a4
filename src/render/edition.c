/* edition.c - the edition stage: the newsletter from the archive, linking the recorded broadcast. */
#include "core/common.h"

#include "render/edition.h"
#include "core/layout.h"
#include "insights/insights.h"
#include "render/newsletter.h"

#include <stdlib.h>
#include <string.h>

#define HOT_TOPICS_SHOWN 5 /* areas in 热门领域 */

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

int render_edition(struct archive *a, const struct day_edition *ed, const struct pb_config *cfg,
		   const struct pb_run *run, struct edition_summary *summary, struct pb_err *err)
{
	memset(summary, 0, sizeof(*summary));
	struct paper_list papers = {0}, source = {0};
	struct insights *in = NULL;
	struct day_insights d = {0};
	char *hot = NULL;
	bool is_source = layout_lang_is_default(ed->lang);
	int rc = archive_load_day(a, ed->date, ed->lang, &papers, err);
	if (!rc && !is_source)
		rc = archive_load_day(a, ed->date, NULL, &source, err);
	if (!rc)
		rc = day_has_audio(a, ed->date, &summary->has_audio, err);
	if (!rc)
		rc = insights_new(&in, err);
	if (!rc) {
		/* The areas come from the zh-CN translation, named in the edition's language. */
		insights_day(in, is_source ? &papers : &source, &d);
		hot = insights_hot_topics(in, ed->ui, &d, HOT_TOPICS_SHOWN);
		struct edition e = {
			.date = ed->date, .lang = ed->lang, .ui = ed->ui, .papers = &papers, .hot_topics = hot,
			.channels = cfg->channels, .n_channels = cfg->n_channels,
			.has_audio = summary->has_audio,
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
	day_insights_release(&d);
	insights_free(in);
	paper_list_release(&source);
	paper_list_release(&papers);
	return rc;
}
