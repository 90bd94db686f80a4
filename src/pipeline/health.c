/* health.c - the problems of the last days, each once, from the archive's records and OUT. */
#include "core/common.h"

#include "pipeline/health.h"
#include "core/date.h"
#include "core/fsutil.h"
#include "core/layout.h"
#include "core/paper.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void health_report_release(struct health_report *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->items[i].key);
		free(r->items[i].text);
	}
	free(r->items);
	memset(r, 0, sizeof(*r));
}

static void problem(struct health_report *r, const char *key, const char *fmt, ...) PB_PRINTF(3, 4);
static void problem(struct health_report *r, const char *key, const char *fmt, ...)
{
	GROW(r->items, r->cap, r->n + 1);
	struct health_problem *p = &r->items[r->n++];
	p->key = xstrdup(key);
	va_list ap;
	va_start(ap, fmt);
	p->text = xvasprintf(fmt, ap);
	va_end(ap);
}

/* "2025-12-26T08:00:00Z" as a time; -1 when it is not one. */
static time_t parse_timestamp(const char *s)
{
	char day[PB_DATE_LEN + 1];
	int h, m, sec;
	struct pb_date d;
	struct pb_err ignored = PB_ERR_INIT;
	if (!s || sscanf(s, "%10[0-9-]T%2d:%2d:%2dZ", day, &h, &m, &sec) != 4 ||
	    date_parse(day, &d, &ignored))
		return -1;
	return (time_t)date_to_days(&d) * 86400 + h * 3600 + m * 60 + sec;
}

/* Hugging Face lists papers on weekdays: Saturday and Sunday (UTC) are not late. */
static bool is_weekend(long epoch_day)
{
	long wd = ((epoch_day % 7) + 7 + 4) % 7; /* 1970-01-01 was a Thursday; 0 = Sunday */
	return wd == 0 || wd == 6;
}

/* Hours from `from` to `to` that fall on weekdays. */
static double weekday_hours(time_t from, time_t to)
{
	double hours = 0;
	for (time_t t = from; t < to;) {
		long day = (long)(t / 86400);
		time_t end = (time_t)(day + 1) * 86400;
		if (end > to)
			end = to;
		if (!is_weekend(day))
			hours += (double)(end - t) / 3600.0;
		t = end;
	}
	return hours;
}

/* Equal strings, NULL equal only to NULL: how the runs table keys a run's date and language. */
static bool same(const char *a, const char *b)
{
	return a && b ? !strcmp(a, b) : a == b;
}

/* The newest finished run of (command, date, lang) in the list; NULL when none. */
static const struct archive_run *last_run(const struct archive_run_list *runs, const char *command,
					  const char *date, const char *lang)
{
	for (size_t i = runs->n; i-- > 0;) {
		const struct archive_run *r = &runs->items[i];
		if (!strcmp(r->command, command) && same(r->date, date) && same(r->lang, lang) &&
		    r->finished_at)
			return r;
	}
	return NULL;
}

static bool run_ok(const struct archive_run *r)
{
	return r && (!strcmp(r->status, "ok") || !strcmp(r->status, "no-papers"));
}

/* Is there a later run of the same stage, day and language (it redid the work)? */
static bool superseded(const struct archive_run_list *runs, size_t i)
{
	const struct archive_run *r = &runs->items[i];
	for (size_t j = i + 1; j < runs->n; j++) {
		const struct archive_run *q = &runs->items[j];
		if (!strcmp(q->command, r->command) && same(q->date, r->date) && same(q->lang, r->lang))
			return true;
	}
	return false;
}

static void check_runs(const struct archive_run_list *runs, const char *first, const char *last,
		       time_t now, struct health_report *out)
{
	char since[32];
	snprintf(since, sizeof(since), "%sT00:00:00Z", first);
	for (size_t i = 0; i < runs->n; i++) {
		const struct archive_run *r = &runs->items[i];
		/* A day's runs by their day; archive-wide ones (feed, site) by when they ran. */
		bool in_window = r->date ? strcmp(r->date, first) >= 0 && strcmp(r->date, last) <= 0
					 : strcmp(r->started_at, since) >= 0;
		if (!in_window || superseded(runs, i))
			continue;
		bool killed = !r->finished_at && now - parse_timestamp(r->started_at) > 3600;
		bool bad = r->finished_at && (!strcmp(r->status, "failed") || !strcmp(r->status, "partial") ||
					      !strcmp(r->status, "interrupted"));
		if (!bad && !killed)
			continue;
		char key[96];
		snprintf(key, sizeof(key), "run:%lld", r->id);
		char what[96];
		snprintf(what, sizeof(what), "%s%s%s%s%s", r->command, r->date ? " " : "",
			 r->date ? r->date : "", r->lang ? " " : "", r->lang ? r->lang : "");
		if (killed)
			problem(out, key, "%s: the run started %s never finished (killed?); run it again",
				what, r->started_at);
		else
			problem(out, key, "%s: the last run was %s: %s", what, r->status,
				r->detail && *r->detail ? r->detail : "no detail");
	}
}

static void check_day(struct archive *a, const struct health_options *ho,
		      const struct pb_run *run, const struct archive_run_list *runs, const char *date,
		      struct health_report *out)
{
	char key[128];
	struct paper_list papers = {0};
	struct pb_err err = PB_ERR_INIT;
	size_t untranslated = 0, n = 0;
	if (archive_load_day(a, date, NULL, &papers, &err) == 0) {
		n = papers.n;
		for (size_t i = 0; i < papers.n; i++)
			untranslated += papers.items[i].translation_id == 0;
	}
	paper_list_release(&papers);
	if (untranslated) {
		snprintf(key, sizeof(key), "untranslated:%s", date);
		problem(out, key, "%s: %zu of %zu papers fetched but not translated "
			"(paperboy run --date %s)", date, untranslated, n, date);
	}
	/* Each later check only where the one before passed: one line says what to do next. */
	if (n == 0 || untranslated == n)
		return;
	bool editions = true;
	for (size_t l = 0; l < ho->n_langs; l++) {
		const char *lang = ho->langs[l];
		char *html = layout_path(run->layout, ART_EDITION_HTML, date, lang);
		if (!run_ok(last_run(runs, "edition", date, lang)) || !fs_is_file(html)) {
			editions = false;
			snprintf(key, sizeof(key), "no-edition:%s:%s", date, lang);
			problem(out, key, "%s: translated but no %s edition (paperboy run --date %s)", date,
				lang, date);
		}
		free(html);
	}
	if (ho->audio && editions) {
		char *mp3 = layout_path(run->layout, ART_AUDIO, date, NULL);
		if (!run_ok(last_run(runs, "speak", date, NULL)) || !fs_is_file(mp3)) {
			snprintf(key, sizeof(key), "no-audio:%s", date);
			problem(out, key, "%s: the edition has no broadcast (paperboy speak --date %s)", date,
				date);
		}
		free(mp3);
	}
}

static void check_channel(const char *name, const struct archive_delivery_list *dl,
			  const struct archive_day_list *days, const char *first, const char *last,
			  struct health_report *out)
{
	const char *since = NULL; /* the channel's first delivered day */
	for (size_t i = 0; i < dl->n && !since; i++)
		if (!strcmp(dl->items[i].channel, name))
			since = dl->items[i].date;
	for (size_t d = 0; d < days->n; d++) {
		const char *date = days->items[d].date;
		if (strcmp(date, first) < 0 || strcmp(date, last) > 0)
			continue;
		size_t sent = 0, unsent = 0;
		for (size_t i = 0; i < dl->n; i++) {
			const struct archive_delivery *x = &dl->items[i];
			if (strcmp(x->channel, name) || strcmp(x->date, date))
				continue;
			if (!strcmp(x->status, "sent"))
				sent++;
			else
				unsent++;
		}
		char key[128];
		snprintf(key, sizeof(key), "undelivered:%s:%s", date, name);
		if (unsent)
			problem(out, key, "%s: %zu message%s to %s not delivered (paperboy send --date %s)",
				date, unsent, unsent == 1 ? "" : "s", name, date);
		else if (!sent && since && strcmp(date, since) > 0)
			problem(out, key, "%s: nothing was sent to %s (paperboy send --date %s)", date, name,
				date);
	}
}

/*
 * Each channel of the config, and each the archive has deliveries for (a channel
 * since removed from the config still had its messages fail): is every message of
 * each day since its first delivery sent?
 */
static void check_deliveries(const struct pb_config *cfg, const struct archive_delivery_list *dl,
			     const struct archive_day_list *days, const char *first, const char *last,
			     struct health_report *out)
{
	for (size_t c = 0; c < cfg->n_deliveries; c++)
		check_channel(cfg->deliveries[c].name, dl, days, first, last, out);
	for (size_t i = 0; i < dl->n; i++) {
		const char *name = dl->items[i].channel;
		bool seen = config_delivery_find(cfg, name) != NULL;
		for (size_t j = 0; j < i && !seen; j++)
			seen = !strcmp(dl->items[j].channel, name);
		if (!seen)
			check_channel(name, dl, days, first, last, out);
	}
}

static time_t mtime_of(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? st.st_mtime : (time_t)-1;
}

int health_check(struct archive *a, const struct pb_config *cfg, const struct health_options *ho,
		 const struct pb_run *run, struct health_report *out, struct pb_err *err)
{
	struct pb_date today, d0;
	if (date_parse(ho->today, &today, err))
		return PB_ERR_USAGE;
	date_add_days(&today, -(int)(ho->days ? ho->days - 1 : 0), &d0);
	char first[PB_DATE_LEN + 1], last[PB_DATE_LEN + 1];
	date_format(&d0, first);
	date_format(&today, last);

	struct archive_day_list days = {0};
	struct archive_run_list runs = {0};
	struct archive_delivery_list dl = {0};
	int rc = archive_list_days(a, &days, err);
	if (!rc)
		rc = archive_list_runs(a, NULL, &runs, err);
	if (!rc)
		rc = archive_list_deliveries(a, first, &dl, err);
	if (rc)
		goto done;

	/* The archive's first day: days before it are not missing, they predate the newsletter. */
	const char *oldest = days.n ? days.items[days.n - 1].date : last;
	for (long n = date_to_days(&d0); n <= date_to_days(&today); n++) {
		struct pb_date d;
		date_add_days(&d0, (int)(n - date_to_days(&d0)), &d);
		char date[PB_DATE_LEN + 1];
		date_format(&d, date);
		bool held = false;
		for (size_t i = 0; i < days.n && !held; i++)
			held = !strcmp(days.items[i].date, date);
		if (held) {
			out->days_seen++;
			check_day(a, ho, run, &runs, date, out);
			continue;
		}
		/* Today may simply not have run yet: staleness covers it. */
		if (is_weekend(n) || strcmp(date, oldest) < 0 || !strcmp(date, last))
			continue;
		const struct archive_run *f = last_run(&runs, "fetch", date, NULL);
		if (!f || strcmp(f->status, "no-papers")) {
			char key[64];
			snprintf(key, sizeof(key), "missing:%s", date);
			problem(out, key, "%s: a weekday with no edition: never fetched%s (paperboy run "
				"--date %s)", date, f ? ", or the fetch failed" : "", date);
		}
	}
	check_deliveries(cfg, &dl, &days, first, last, out);
	check_runs(&runs, first, last, ho->now, out);

	/* Staleness, and the site, against the newest edition made. */
	const struct archive_run *newest = NULL;
	for (size_t i = runs.n; i-- > 0 && !newest;)
		if (!strcmp(runs.items[i].command, "edition") && run_ok(&runs.items[i]))
			newest = &runs.items[i];
	if (newest) {
		time_t made = parse_timestamp(newest->finished_at);
		double hours = made >= 0 ? weekday_hours(made, ho->now) : 0;
		if (hours > (double)cfg->health_max_age_h) {
			char key[64];
			snprintf(key, sizeof(key), "stale:%s", newest->finished_at);
			problem(out, key, "no new edition for %.0f weekday hours (the newest, of %s, was made "
				"%s; [health] max_age_hours = %ld)", hours, newest->date ? newest->date : "?",
				newest->finished_at, cfg->health_max_age_h);
		}
		if (ho->site_dir && newest->date) {
			char *html = layout_path(run->layout, ART_EDITION_HTML, newest->date, newest->lang);
			char *index = path_join(ho->site_dir, "index.html");
			time_t site = mtime_of(index), edition = mtime_of(html);
			if (edition >= 0 && site < edition) {
				char key[64];
				snprintf(key, sizeof(key), "site-stale:%s", newest->date);
				problem(out, key, "the site %s is older than the edition of %s (paperboy site)",
					ho->site_dir, newest->date);
			}
			free(html);
			free(index);
		}
	}
done:
	archive_day_list_release(&days);
	archive_run_list_release(&runs);
	archive_delivery_list_release(&dl);
	return rc;
}
