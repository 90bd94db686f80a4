/* backfill.c - the day runner over a range of dates. */
#include "core/common.h"

#include "pipeline/backfill.h"
#include "core/date.h"

#include <stdlib.h>
#include <string.h>

/* A backfill of more than ten years is a typo, not a plan. */
#define BACKFILL_MAX_DAYS 3660

void backfill_report_release(struct backfill_report *b)
{
	free(b->days);
	free(b->feed_path);
	memset(b, 0, sizeof(*b));
}

/* Papers and translations of a day as the archive has them now (skipped days included). */
static void count_day(struct archive *a, const char *lang, struct backfill_day *d)
{
	struct paper_list papers = {0};
	struct pb_err ignored = PB_ERR_INIT;
	if (!archive_load_day(a, d->date, lang, &papers, &ignored)) {
		d->papers = papers.n;
		for (size_t i = 0; i < papers.n; i++)
			d->translated += papers.items[i].title_zh != NULL;
	}
	paper_list_release(&papers);
}

int pipeline_backfill(struct archive *a, const struct pipeline_options *o, const char *from,
		      const char *to, const struct pb_run *run, backfill_day_fn *on_day,
		      void *userdata, struct backfill_report *b, struct pb_err *err)
{
	memset(b, 0, sizeof(*b));
	double started = pb_monotonic_s();
	struct pb_date first, last;
	if (date_parse(from, &first, err) || date_parse(to, &last, err))
		return PB_ERR_USAGE;
	long n = date_to_days(&last) - date_to_days(&first) + 1;
	if (n < 1 || n > BACKFILL_MAX_DAYS)
		return pb_err_set(err, PB_ERR_USAGE, "a backfill covers 1 to %d days; %s..%s is %ld",
				  BACKFILL_MAX_DAYS, from, to, n);
	b->days = xcalloc((size_t)n, sizeof(*b->days));
	struct pipeline_options per_day = *o;
	per_day.stages &= ~(STAGE_BIT(STAGE_FEED) | STAGE_BIT(STAGE_SITE)); /* once at the end */
	for (long i = 0; i < n; i++) {
		if (pb_run_stopped(run)) {
			b->stopped = true;
			break;
		}
		struct pb_date day;
		date_add_days(&first, (int)i, &day);
		struct backfill_day *d = &b->days[b->n_days++];
		date_format(&day, d->date);
		struct day_report r;
		bool complete = false;
		int rc = pipeline_day_complete(a, &per_day, d->date, &complete, err);
		if (rc)
			return rc;
		if (complete) {
			memset(&r, 0, sizeof(r));
			snprintf(r.date, sizeof(r.date), "%s", d->date);
			r.outcome = DAY_SKIPPED;
			r.failed_stage = -1;
		} else {
			pipeline_run_day(a, &per_day, d->date, run, &r);
		}
		d->outcome = r.outcome;
		d->failed = r.translate.failed;
		count_day(a, o->langs[0], d);
		switch (r.outcome) {
		case DAY_OK: b->done++; break;
		case DAY_SKIPPED: b->skipped++; break;
		case DAY_NO_PAPERS: b->empty++; break;
		case DAY_PARTIAL: b->partial++; break;
		case DAY_FAILED: b->failed++; break;
		case DAY_STOPPED:
			b->stopped = true;
			snprintf(b->stopped_at, sizeof(b->stopped_at), "%s", d->date);
			break;
		}
		if (on_day)
			on_day(userdata, (size_t)i, (size_t)n, &r);
		day_report_release(&r);
		if (b->stopped)
			break;
	}
	if (!b->stopped && !pb_run_stopped(run)) {
		struct pb_err archive_err = PB_ERR_INIT;
		struct day_report r;
		if (pipeline_run_archive_stages(a, o, run, &r, &archive_err))
			pb_warn(run->log, "%s not written: %s",
				r.failed_stage == STAGE_SITE ? "the site" : "podcast feed", archive_err.msg);
		b->feed_path = r.feed_path;
		r.feed_path = NULL;
		b->site = r.site;
		day_report_release(&r);
	} else if (!b->stopped_at[0] && b->n_days) {
		b->stopped = true;
		snprintf(b->stopped_at, sizeof(b->stopped_at), "%s", b->days[b->n_days - 1].date);
	}
	b->wall_s = pb_monotonic_s() - started;
	return 0;
}

void backfill_day_line(const struct day_report *r, char *out, size_t size)
{
	switch (r->outcome) {
	case DAY_SKIPPED:
		snprintf(out, size, "%s already complete", r->date);
		break;
	case DAY_NO_PAPERS:
		snprintf(out, size, "%s no papers (a quiet day)", r->date);
		break;
	default:
		snprintf(out, size, "%s %zu papers · translated %zu, cached %zu, failed %zu · %s", r->date,
			 r->fetch.total ? r->fetch.total : r->pictures[0].papers, r->translate.translated,
			 r->translate.cached, r->translate.failed, day_outcome_name(r->outcome));
		break;
	}
}

void backfill_print_table(const struct backfill_report *b, FILE *f)
{
	fprintf(f, "date\tpapers\ttranslated\tfailed\tstatus\n");
	for (size_t i = 0; i < b->n_days; i++) {
		const struct backfill_day *d = &b->days[i];
		const char *status = d->outcome == DAY_SKIPPED ? "done" : d->outcome == DAY_NO_PAPERS
				     ? "empty" : day_outcome_name(d->outcome);
		fprintf(f, "%s\t%zu\t%zu\t%zu\t%s\n", d->date, d->papers, d->translated, d->failed, status);
	}
}
