/* digest.c - an edition as every delivery channel sees it, read from the archive and OUT. */
#include "core/common.h"

#include "deliver/digest.h"
#include "archive/archive.h"
#include "core/config.h"
#include "core/fsutil.h"
#include "core/layout.h"
#include "core/run.h"
#include "core/text.h"
#include "insights/insights.h"
#include "lang/lang.h"
#include "render/pictures.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The Hugging Face pages: what a reader can open without our site. */
#define HF_PAPERS "https://huggingface.co/papers/"

void digest_free(struct digest *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n_papers; i++) {
		struct digest_paper *p = &d->papers[i];
		free(p->id);
		free(p->title);
		free(p->title_en);
		free(p->summary);
		free(p->areas);
		free(p->url);
	}
	free(d->papers);
	free(d->lang);
	free(d->title);
	free(d->hot_areas);
	free(d->edition_url);
	free(d->poster_url);
	free(d->poster_path);
	free(d->html_path);
	free(d->out_dir);
	free(d->site_base_url);
	free(d);
}

/* base with exactly one '/' at its end. */
static char *with_slash(const char *base)
{
	size_t n = strlen(base);
	return n && base[n - 1] == '/' ? xstrdup(base) : xasprintf("%s/", base);
}

static void fill_links(struct digest *d)
{
	if (d->site_base_url) {
		char *day = layout_site_day(d->date, d->lang);
		d->edition_url = url_join(d->site_base_url, day);
		free(day);
		for (size_t i = 0; i < d->n_papers; i++)
			d->papers[i].url = xasprintf("%s#%s", d->edition_url, d->papers[i].id);
		if (d->poster_path) {
			char *rel = layout_relpath(ART_POSTER, d->date, d->lang);
			d->poster_url = url_join(d->site_base_url, rel);
			free(rel);
		}
	} else {
		d->edition_url = xasprintf(HF_PAPERS "date/%s", d->date);
		for (size_t i = 0; i < d->n_papers; i++)
			d->papers[i].url = xasprintf(HF_PAPERS "%s", d->papers[i].id);
	}
}

int digest_load(struct archive *a, const struct pb_config *cfg, const struct pb_run *run,
		const char *date, const char *lang, const struct ui_strings *ui, struct digest **out,
		struct pb_err *err)
{
	*out = NULL;
	struct paper_list papers = {0};
	int rc = archive_load_day(a, date, lang, &papers, err);
	if (!rc && papers.n == 0)
		rc = pb_err_set(err, PB_ERR_NO_PAPERS, "%s has no papers: nothing to deliver", date);
	struct digest *d = xcalloc(1, sizeof(*d));
	snprintf(d->date, sizeof(d->date), "%s", date);
	d->lang = xstrdup(lang);
	d->ui = ui;
	d->out_dir = xstrdup(run->layout->out_dir);
	d->site_base_url = cfg->site_base_url ? with_slash(cfg->site_base_url) : NULL;
	if (!rc) {
		d->html_path = layout_path(run->layout, ART_EDITION_HTML, date, lang);
		if (!fs_is_file(d->html_path)) {
			rc = pb_err_set(err, PB_ERR_IO, "the %s edition of %s is not rendered: '%s' is missing",
					lang, date, d->html_path);
			pb_err_hint(err, "make it first: paperboy run --date %s --out %s", date,
				    run->layout->out_dir);
		}
	}
	struct insights *in = NULL;
	if (!rc)
		rc = insights_new(&in, err);
	if (!rc) {
		char *poster = layout_path(run->layout, ART_POSTER, date, lang);
		if (fs_is_file(poster))
			d->poster_path = poster;
		else
			free(poster);
		/* The same areas as the edition: computed from the day's papers, as it does. */
		struct day_insights di = {0};
		insights_day(in, &papers, &di);
		d->hot_areas = insights_hot_topics(in, ui, &di, PICTURES_HOT_TOPICS);
		d->papers = xcalloc(papers.n, sizeof(*d->papers));
		d->n_papers = papers.n;
		for (size_t i = 0; i < papers.n; i++) {
			const struct paper *p = &papers.items[i];
			struct digest_paper *q = &d->papers[i];
			q->id = xstrdup(p->id);
			q->title = xstrdup(p->title_zh ? p->title_zh : p->title);
			q->title_en = xstrdup(p->title);
			q->summary = p->summary_zh ? xstrdup(p->summary_zh) : NULL;
			q->areas = insights_area_names(in, ui, i < di.n_papers ? di.paper_areas[i] : 0, 2);
			q->upvotes = p->upvotes;
		}
		day_insights_release(&di);
		char count[24];
		snprintf(count, sizeof(count), "%zu", papers.n);
		d->title = ui_format(ui, "deliver.title",
				     (struct tmpl_var[]){{"date", date}, {"count", count}}, 2);
		fill_links(d);
	}
	insights_free(in);
	paper_list_release(&papers);
	if (rc) {
		digest_free(d);
		return rc;
	}
	*out = d;
	return 0;
}
