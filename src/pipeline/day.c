/* day.c - the stage table, and one day run through it. */
#include "core/common.h"

#include "pipeline/pipeline.h"
#include "pipeline/daylock.h"
#include "core/layout.h"
#include "lang/lang.h"
#include "translate/convert.h"
#include "pipeline/report.h"
#include "publish/podcast.h"
#include "translate/options.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What one stage gets: the day, its edition when the stage runs per edition, and the report. */
struct stage_ctx {
	struct archive *a;
	const struct pipeline_options *o;
	const struct pb_run *run;
	struct day_report *r;
	struct day_edition ed;
	size_t lang_index;
	char detail[256];        /* recorded with the run */
	const char *status;      /* "ok" unless the stage says otherwise */
	struct pb_err err;
};

enum stage_scope {
	SCOPE_DAY,      /* once per day */
	SCOPE_EDITION,  /* once per language */
	SCOPE_ARCHIVE   /* once per run, over the whole archive */
};

/* A stage returns 0, or an error in c->err; how the error weighs on the day is its `on_error`. */
enum stage_failure {
	FAIL_DAY,      /* the day stops here: nothing after it can be right */
	FAIL_PARTIAL   /* the day goes on without it (a missing broadcast) */
};

struct stage {
	enum pipeline_stage id;
	const char *name;
	enum stage_scope scope;
	enum stage_failure on_error;
	int (*run)(struct stage_ctx *c);
	const char *failure_note; /* FAIL_PARTIAL: what the warning says is missing */
};

static void note_written(struct day_report *r, char *path)
{
	if (!path)
		return;
	GROW(r->written, r->cap_written, r->n_written + 1);
	r->written[r->n_written++] = path;
}

/* ---- the stages ------------------------------------------------------------------------ */

static int stage_fetch(struct stage_ctx *c)
{
	struct fetch_options fo;
	fetch_options_from_config(c->o->config, &fo);
	struct fetch_summary *s = &c->r->fetch;
	int rc = fetch_day(c->a, c->r->date, &fo, c->run, s, &c->err);
	if (!rc) {
		snprintf(c->detail, sizeof(c->detail), "%zu papers, %zu new, %zu skipped", s->papers,
			 s->n_new, s->skipped);
		pb_info(c->run->log, "%s: %zu papers, %zu new, %zu invalid skipped; %zu in the day's list",
			c->r->date, s->papers, s->n_new, s->skipped, s->total);
	}
	return rc;
}

static void warn_translate(const struct stage_ctx *c, const struct translate_options *to)
{
	const struct translate_report *tr = &c->r->translate;
	for (size_t i = 0; i < tr->n_warnings; i++)
		pb_warn(c->run->log, "%s kept with %s", tr->warnings[i].paper_id, tr->warnings[i].detail);
	if (tr->llm.budget_hit)
		pb_warn(c->run->log, "budget reached: %zu papers left untranslated (they appear in English)",
			tr->unfinished);
	if (tr->llm.deadline_hit)
		pb_warn(c->run->log, "deadline of %.0f s reached: %zu papers left untranslated",
			to->deadline_s, tr->unfinished);
}

static int stage_translate(struct stage_ctx *c)
{
	if (c->lang_index > 0) {
		/* The other languages are converted from the zh-CN translation: no LLM call. */
		size_t n = 0;
		int rc = convert_day(c->a, &c->ed, c->o->config->glossary, c->run, &n, &c->err);
		c->r->converted += n;
		snprintf(c->detail, sizeof(c->detail), "%zu converted from %s", n, LAYOUT_DEFAULT_LANG);
		return rc;
	}
	struct translate_options to;
	int rc = translate_check_key(c->o->config, c->o->api_key, false, &c->err);
	if (!rc)
		rc = translate_options_from_config(c->o->config, c->o->api_key, c->o->key_source,
						   c->o->force, &to, &c->err);
	if (rc)
		return rc;
	to.on_progress = c->o->on_translate_progress;
	to.progress_userdata = c->o->progress_userdata;
	struct translate_report *tr = &c->r->translate;
	rc = translate_day(c->a, c->r->date, &to, tr, c->run, &c->err);
	snprintf(c->detail, sizeof(c->detail), "%zu translated, %zu cached, %zu failed, %zu unfinished",
		 tr->translated, tr->cached, tr->failed, tr->unfinished);
	if (rc)
		return rc;
	warn_translate(c, &to);
	c->r->translate_partial = tr->failed || tr->unfinished;
	if (c->r->translate_partial)
		c->status = "partial";
	return 0;
}

static int stage_pictures(struct stage_ctx *c)
{
	struct pictures_summary *s = &c->r->pictures[c->lang_index];
	int rc = render_pictures(c->a, &c->ed, c->o->config, c->run, s, &c->err);
	if (rc)
		return rc;
	if (s->untranslated)
		pb_info(c->run->log, "%zu of %zu papers have no translation yet; they appear in English",
			s->untranslated, s->papers);
	pb_info(c->run->log, "%s: hot areas %s; %zu words in the cloud", c->r->date, s->hot_topics,
		s->cloud_words);
	snprintf(c->detail, sizeof(c->detail), "%zu papers, %zu untranslated, %zu cloud words",
		 s->papers, s->untranslated, s->cloud_words);
	return 0;
}

static int stage_speak(struct stage_ctx *c)
{
	struct speak_options so;
	speak_options_from_config(c->o->config, c->o->api_key, c->o->key_source, &so);
	so.ui = c->ed.ui;
	struct speak_result *s = &c->r->speak;
	int rc = speak_day(c->a, c->r->date, c->run->layout->out_dir, &so, s, c->run, &c->err);
	if (rc)
		return rc;
	pb_info(c->run->log, "audio: %.1f min, %zu chapters, %lld KB (%s) in %.1f s",
		s->duration_ms / 60000.0, s->chapters, s->bytes / 1024, s->voice, s->wall_s);
	if (s->http)
		pb_info(c->run->log, "speech API: %zu requests, %lld characters, %zu pieces cached%s",
			s->tts.requests, s->tts.chars, s->tts.cached, s->cost_known ? "" : ", cost unknown");
	snprintf(c->detail, sizeof(c->detail), "%.1f min of audio, %zu chapters, %lld bytes",
		 s->duration_ms / 60000.0, s->chapters, s->bytes);
	return 0;
}

static int stage_edition(struct stage_ctx *c)
{
	struct edition_summary *s = &c->r->editions[c->lang_index];
	int rc = render_edition(c->a, &c->ed, c->o->config, c->run, s, &c->err);
	if (!rc)
		snprintf(c->detail, sizeof(c->detail), "%zu papers%s", s->papers,
			 s->has_audio ? ", with the broadcast" : "");
	return rc;
}

static int stage_feed(struct stage_ctx *c)
{
	return podcast_write(c->a, c->o->config, c->run, &c->r->feed_path, &c->err);
}

static int stage_site(struct stage_ctx *c)
{
	const struct site_options so = {c->o->site_dir, c->o->langs, c->o->n_langs};
	struct site_summary *s = &c->r->site;
	int rc = site_build(c->a, c->o->config, &so, c->run, s, &c->err);
	if (!rc) {
		snprintf(c->detail, sizeof(c->detail), "%zu days, %zu of %zu files written", s->days,
			 s->written + s->copied, s->pages + s->media);
		pb_info(c->run->log, "site: %s, %zu days; %zu pages (%zu rewritten), %zu media (%zu copied), "
			"%.1f MB", c->o->site_dir, s->days, s->pages, s->written, s->media, s->copied,
			s->bytes / 1e6);
	}
	return rc;
}

static int stage_send(struct stage_ctx *c)
{
	struct send_report *s = &c->r->send;
	int rc = send_day(c->a, c->o->config, c->o->send, c->r->date, c->run, s, &c->err);
	snprintf(c->detail, sizeof(c->detail), "%zu sent, %zu already delivered, %zu failed", s->sent,
		 s->already, s->failed);
	if (!rc || rc == PB_ERR_STOPPED)
		return rc;
	c->r->send_err = c->err;
	return rc;
}

/* The one place the order of a day is written down. */
static const struct stage stages[] = {
	{STAGE_FETCH, "fetch", SCOPE_DAY, FAIL_DAY, stage_fetch, NULL},
	{STAGE_TRANSLATE, "translate", SCOPE_EDITION, FAIL_DAY, stage_translate, NULL},
	{STAGE_PICTURES, "pictures", SCOPE_EDITION, FAIL_DAY, stage_pictures, NULL},
	{STAGE_SPEAK, "speak", SCOPE_DAY, FAIL_PARTIAL, stage_speak, "no audio for"}, /* its cover is the poster */
	{STAGE_EDITION, "edition", SCOPE_EDITION, FAIL_DAY, stage_edition, NULL}, /* links the broadcast */
	{STAGE_FEED, "feed", SCOPE_ARCHIVE, FAIL_PARTIAL, stage_feed, "podcast feed not written after"},
	{STAGE_SITE, "site", SCOPE_ARCHIVE, FAIL_PARTIAL, stage_site, "site not built after"},
	/* Last: what goes out links the edition, the site and the broadcast made above. */
	{STAGE_SEND, "send", SCOPE_DAY, FAIL_PARTIAL, stage_send, "not every delivery went out for"},
};

const char *pipeline_stage_name(enum pipeline_stage s)
{
	for (size_t i = 0; i < PB_ARRAY_LEN(stages); i++)
		if (stages[i].id == s)
			return stages[i].name;
	return "?";
}

const char *day_outcome_name(enum day_outcome o)
{
	static const char *const names[] = {"ok", "partial", "no-papers", "failed", "interrupted",
					    "skipped"};
	return names[o];
}

void pipeline_options_init(struct pipeline_options *o, const struct pb_config *cfg)
{
	memset(o, 0, sizeof(*o));
	o->config = cfg;
	o->langs[0] = LAYOUT_DEFAULT_LANG;
	o->n_langs = 1;
	o->stages = STAGES_ALL;
	o->llm = true;
	o->command = "run";
}

int pipeline_set_langs(struct pipeline_options *o, const char *list, struct pb_err *err)
{
	o->langs[0] = LAYOUT_DEFAULT_LANG;
	o->n_langs = 1;
	char *copy = xstrdup(list);
	char *save = NULL;
	int rc = 0;
	for (char *tok = strtok_r(copy, ", ", &save); tok && !rc; tok = strtok_r(NULL, ", ", &save)) {
		const struct language *l = lang_find(tok);
		if (!l) {
			rc = pb_err_set(err, PB_ERR_USAGE, "no edition language '%s'", tok);
			pb_err_hint(err, "the languages are %s", lang_codes());
			break;
		}
		const char *code = l->code;
		bool seen = false;
		for (size_t i = 0; i < o->n_langs; i++)
			seen |= !strcmp(o->langs[i], code);
		if (!seen && o->n_langs < PIPELINE_MAX_LANGS)
			o->langs[o->n_langs++] = code;
	}
	free(copy);
	return rc;
}

void day_report_release(struct day_report *r)
{
	translate_report_release(&r->translate);
	for (size_t i = 0; i < PIPELINE_MAX_LANGS; i++) {
		pictures_summary_release(&r->pictures[i]);
		edition_summary_release(&r->editions[i]);
	}
	speak_result_release(&r->speak);
	send_report_release(&r->send);
	free(r->feed_path);
	free(r->written);
	free(r->report_path);
	memset(r, 0, sizeof(*r));
}

/*
 * The zh-CN translate stage asks the LLM: it runs only when the command may pay.
 * The site is built only where the user said; the send stage runs when a command asks
 * for it and a channel is configured.
 */
static bool skipped(const struct pipeline_options *o, const struct stage *st, size_t lang_index)
{
	return (st->id == STAGE_TRANSLATE && lang_index == 0 && !o->llm) ||
	       (st->id == STAGE_SITE && !o->site_dir) ||
	       (st->id == STAGE_SEND && (!o->send || !send_configured(o->config)));
}

/*
 * The stages that spend money or send something out: the zh-CN translation when it may
 * ask the LLM, the broadcast (a speech API bills by the character) and the deliveries.
 * Two runs at once must not both do them for one day, so the first of them takes the
 * day's lock (daylock.h). Fetching, rendering and the site are free and idempotent:
 * `render` and `site` run beside a translating run without waiting for it.
 */
static bool pays(const struct pipeline_options *o, const struct stage *st, size_t lang_index)
{
	return (st->id == STAGE_TRANSLATE && lang_index == 0 && o->llm) || st->id == STAGE_SPEAK ||
	       st->id == STAGE_SEND;
}

/* Take the day's lock before the first stage that pays; false (the day ends) when not taken. */
static bool lock_day(struct archive *a, const char *date, const struct stage *st,
		     const struct pb_run *run, struct day_lock *lock, struct day_report *r)
{
	struct pb_err err = PB_ERR_INIT;
	if (!day_lock_take(archive_path(a), date, run, lock, &err))
		return true;
	r->err = err;
	if (err.status == PB_ERR_STOPPED) {
		r->outcome = DAY_STOPPED;
	} else {
		r->outcome = DAY_FAILED;
		r->failed_stage = (int)st->id;
	}
	return false;
}

/* Record the stage in the runs table; a failure to record never hides the stage's own error. */
static int run_stage(const struct stage *st, struct stage_ctx *c)
{
	long long run_id = 0;
	struct pb_err rec = PB_ERR_INIT;
	const char *lang = st->scope == SCOPE_EDITION ? c->ed.lang : NULL;
	const char *date = c->r->date[0] ? c->r->date : NULL; /* none for an archive-wide run */
	bool recorded = archive_run_begin(c->a, st->name, date, lang, &run_id, &rec) == 0;
	if (!recorded)
		pb_warn(c->run->log, "could not record the %s run: %s", st->name, rec.msg);
	c->status = "ok";
	c->detail[0] = '\0';
	pb_err_clear(&c->err);
	int rc = st->run(c);
	bool stopped = pb_run_stopped(c->run);
	/* An interrupted translation returns 0 with what it kept ("partial"): the history
	 * says "interrupted", as the run report does, not that the stage gave up on papers. */
	const char *status = rc == PB_ERR_NO_PAPERS ? "no-papers"
			   : rc ? (stopped ? "interrupted" : "failed")
			   : stopped && strcmp(c->status, "ok") ? "interrupted" : c->status;
	if (recorded && archive_run_finish(c->a, run_id, status, rc ? c->err.msg : c->detail, &rec))
		pb_warn(c->run->log, "could not record the %s run: %s", st->name, rec.msg);
	c->r->ran[st->id] = true;
	return rc;
}

static void collect_written(struct day_report *r, size_t n_langs)
{
	for (size_t l = 0; l < n_langs; l++) {
		note_written(r, r->editions[l].markdown);
		note_written(r, r->editions[l].html);
	}
	for (size_t l = 0; l < n_langs; l++)
		for (size_t i = 0; i < PB_ARRAY_LEN(r->pictures[l].paths); i++)
			note_written(r, r->pictures[l].paths[i]);
	note_written(r, r->speak.path);
	note_written(r, r->feed_path);
}

static void write_report(const struct pipeline_options *o, const struct pb_run *run,
			 struct day_report *r)
{
	struct run_report *rep = run_report_new(r->date, o->command);
	if (r->ran[STAGE_FETCH])
		run_report_fetch(rep, &r->fetch, r->outcome == DAY_NO_PAPERS ? "no-papers"
				 : r->failed_stage == STAGE_FETCH ? "failed" : "ok", 0);
	if (r->ran[STAGE_TRANSLATE])
		run_report_translate(rep, &r->translate, o->config->llm_model,
				     r->outcome == DAY_STOPPED ? "interrupted"
				     : r->translate_partial ? "partial" : "ok");
	if (r->ran[STAGE_PICTURES] || r->ran[STAGE_EDITION])
		run_report_render(rep, r->pictures[0].papers, r->pictures[0].untranslated,
				  r->editions[0].markdown ? "ok" : "failed", 0);
	if (r->ran[STAGE_SPEAK])
		run_report_speak(rep, &r->speak, r->speak_failed ? "failed" : "ok",
				 r->speak_failed ? r->speak_err.msg : NULL);
	if (r->ran[STAGE_SEND])
		run_report_send(rep, &r->send, r->send_err.msg[0] ? "failed" : "ok");
	struct pb_err err = PB_ERR_INIT;
	if (run_report_write(rep, run->layout->out_dir, day_outcome_name(r->outcome), &r->report_path,
			     &err))
		pb_warn(run->log, "could not write the run report: %s", err.msg);
	run_report_summary(rep, r->summary, sizeof(r->summary));
	run_report_free(rep);
}

/* What went wrong with the day, in one line, to [alerts] push, once per (day, outcome, cause). */
static void alert_day(struct archive *a, const struct pipeline_options *o, const struct pb_run *run,
		      const struct day_report *r)
{
	const char *cause = r->failed_stage >= 0 ? pipeline_stage_name(r->failed_stage)
			  : r->send_err.msg[0] ? "send"
			  : r->speak_failed ? "speak"
			  : r->translate_partial ? "translate" : "other";
	char problem[96], text[1400];
	snprintf(problem, sizeof(problem), "run:%s:%s:%s", r->date, day_outcome_name(r->outcome), cause);
	const char *why = r->outcome == DAY_FAILED ? r->err.msg
			: r->send_err.msg[0] ? r->send_err.msg
			: r->speak_failed ? r->speak_err.msg : r->summary;
	snprintf(text, sizeof(text), "paperboy %s %s: %s (%s): %s", o->command, r->date,
		 day_outcome_name(r->outcome), cause, why);
	bool sent = false;
	struct pb_err err = PB_ERR_INIT;
	const char *problems[] = {problem};
	if (send_alert(a, o->config, o->getenv, problems, 1, text, run, &sent, &err))
		pb_warn(run->log, "could not send the alert: %s", err.msg);
	else if (sent)
		pb_info(run->log, "alert sent to %s", o->config->alerts_push);
}

int pipeline_run_day(struct archive *a, const struct pipeline_options *o, const char *date,
		     const struct pb_run *run, struct day_report *r)
{
	memset(r, 0, sizeof(*r));
	snprintf(r->date, sizeof(r->date), "%s", date);
	r->err = (struct pb_err)PB_ERR_INIT;
	double started = pb_monotonic_s();
	struct stage_ctx c = {.a = a, .o = o, .run = run, .r = r};
	r->outcome = DAY_OK;
	r->failed_stage = -1;
	struct day_lock lock = DAY_LOCK_INIT; /* held from the first stage that pays to the end */
	const struct language *languages[PIPELINE_MAX_LANGS] = {0};
	struct ui_strings *ui[PIPELINE_MAX_LANGS] = {0};
	for (size_t l = 0; l < o->n_langs && r->outcome == DAY_OK; l++) {
		languages[l] = lang_find(o->langs[l]);
		if (!languages[l])
			pb_err_set(&r->err, PB_ERR_USAGE, "no edition language '%s'", o->langs[l]);
		if (!languages[l] || ui_strings_load(languages[l], &ui[l], &r->err))
			r->outcome = DAY_FAILED;
	}
	for (size_t i = 0; i < PB_ARRAY_LEN(stages) && r->outcome <= DAY_PARTIAL; i++) {
		const struct stage *st = &stages[i];
		if (!(o->stages & STAGE_BIT(st->id)))
			continue;
		size_t runs = st->scope == SCOPE_EDITION ? o->n_langs : 1;
		for (size_t l = 0; l < runs && r->outcome <= DAY_PARTIAL; l++) {
			if (pb_run_stopped(run)) {
				r->outcome = DAY_STOPPED;
				break;
			}
			if (skipped(o, st, l))
				continue;
			/* Waited for, a run finds the other's answers stored and does not pay again. */
			if (lock.fd < 0 && pays(o, st, l) && !lock_day(a, date, st, run, &lock, r))
				break;
			c.lang_index = l;
			/* Day-wide stages (fetch, speak) work in the first edition's language, zh-CN. */
			c.ed = (struct day_edition){date, o->langs[l], languages[l], ui[l]};
			int rc = run_stage(st, &c);
			if (rc == PB_ERR_NO_PAPERS && (st->id == STAGE_FETCH || st->id == STAGE_SEND)) {
				r->outcome = DAY_NO_PAPERS;
				r->err = c.err;
			} else if (rc && pb_run_stopped(run)) {
				r->outcome = DAY_STOPPED;
				r->err = c.err;
			} else if (rc && st->on_error == FAIL_PARTIAL) {
				/* The edition still goes out; it says there is no broadcast today. */
				pb_warn(run->log, "%s %s: %s", st->failure_note, date, c.err.msg);
				if (c.err.hint[0])
					pb_warn(run->log, "hint: %s", c.err.hint);
				if (st->id == STAGE_SPEAK) {
					r->speak_failed = true;
					r->speak_err = c.err;
				}
				r->outcome = DAY_PARTIAL;
			} else if (rc) {
				r->outcome = DAY_FAILED;
				r->failed_stage = (int)st->id;
				r->err = c.err;
			} else if (!strcmp(c.status, "partial")) {
				r->outcome = DAY_PARTIAL;
			}
		}
	}
	/* An interrupted translation returns normally with what it kept: the day still stops. */
	if (r->outcome <= DAY_PARTIAL && pb_run_stopped(run))
		r->outcome = DAY_STOPPED;
	for (size_t l = 0; l < o->n_langs; l++)
		ui_strings_free(ui[l]);
	r->wall_s = pb_monotonic_s() - started;
	collect_written(r, o->n_langs);
	if (o->write_report)
		write_report(o, run, r);
	if (o->alert && (r->outcome == DAY_FAILED || r->outcome == DAY_PARTIAL))
		alert_day(a, o, run, r);
	/* Held through the report, so that of two runs the one that waited writes it last. */
	day_lock_release(&lock);
	return r->outcome == DAY_FAILED || r->outcome == DAY_STOPPED ? -1 : 0;
}

int pipeline_run_archive_stages(struct archive *a, const struct pipeline_options *o,
				const struct pb_run *run, struct day_report *r, struct pb_err *err)
{
	memset(r, 0, sizeof(*r));
	r->failed_stage = -1;
	/*
	 * Through run_stage like every other stage, so each is recorded in the runs
	 * table; the run has no date, as it covers the whole archive. A failed feed
	 * does not keep the site from being built.
	 */
	struct stage_ctx c = {.a = a, .o = o, .run = run, .r = r};
	int first = 0;
	for (size_t i = 0; i < PB_ARRAY_LEN(stages) && !pb_run_stopped(run); i++) {
		const struct stage *st = &stages[i];
		if (st->scope != SCOPE_ARCHIVE || !(o->stages & STAGE_BIT(st->id)) || skipped(o, st, 0))
			continue;
		int rc = run_stage(st, &c);
		if (rc && !first) {
			first = rc;
			*err = c.err;
			r->failed_stage = (int)st->id;
		}
	}
	return first;
}

/* Did the newest finished run of this stage for (date, lang) complete? */
static int stage_complete(struct archive *a, const struct stage *st, const char *date,
			  const char *lang, bool *complete, bool *empty, struct pb_err *err)
{
	char status[16];
	bool found;
	int rc = archive_last_run(a, st->name, date, st->scope == SCOPE_EDITION ? lang : NULL, status,
				  &found, err);
	*complete = !rc && found && (!strcmp(status, "ok") || !strcmp(status, "no-papers"));
	*empty = *complete && !strcmp(status, "no-papers");
	return rc;
}

int pipeline_day_complete(struct archive *a, const struct pipeline_options *o, const char *date,
			  bool *complete, struct pb_err *err)
{
	*complete = true;
	for (size_t i = 0; i < PB_ARRAY_LEN(stages) && *complete; i++) {
		const struct stage *st = &stages[i];
		if (!(o->stages & STAGE_BIT(st->id)) || st->scope == SCOPE_ARCHIVE)
			continue;
		size_t langs = st->scope == SCOPE_EDITION ? o->n_langs : 1;
		for (size_t l = 0; l < langs && *complete; l++) {
			bool done, empty;
			if (skipped(o, st, l))
				continue;
			if (stage_complete(a, st, date, o->langs[l], &done, &empty, err))
				return PB_ERR_DB;
			if (empty)
				return 0; /* Hugging Face listed no papers: nothing after fetch to do */
			*complete = done;
		}
	}
	return 0;
}

bool pipeline_edition_recorded(struct archive *a, const char *date)
{
	char status[16];
	bool found = false;
	struct pb_err ignored = PB_ERR_INIT;
	return !archive_last_run(a, "edition", date, LAYOUT_DEFAULT_LANG, status, &found, &ignored) &&
	       found;
}
