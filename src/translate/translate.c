/* translate.c - the translation stage over the archive and the LLM batch client. */
#include "core/common.h"

#include "translate/translate.h"
#include "core/buf.h"
#include "translate/answer.h"
#include "translate/fidelity.h"
#include "translate/prompt.h"
#include "core/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Below this share of CJK among letters an abstract is not a Chinese translation. */
#define MIN_ABSTRACT_CJK_RATIO 0.3

void translate_options_default(struct translate_options *o)
{
	/* The settings' defaults live in data/paperboy.ini; translate_options_from_config fills them. */
	memset(o, 0, sizeof(*o));
}

static void issue_free(struct paper_issue *items, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(items[i].paper_id);
		free(items[i].detail);
	}
	free(items);
}

void translate_report_release(struct translate_report *r)
{
	issue_free(r->failures, r->n_failures);
	issue_free(r->warnings, r->n_warnings);
	memset(r, 0, sizeof(*r));
}

static void add_issue(struct paper_issue **items, size_t *n, size_t *cap, const char *id,
		      const char *detail)
{
	GROW(*items, *cap, *n + 1);
	(*items)[*n].paper_id = xstrdup(id);
	(*items)[*n].detail = xstrdup(detail);
	(*n)++;
}

/* One paper being translated: what was asked and the best answer so far. */
struct pending {
	const struct paper *paper;
	char hash[65];
	char **numbers;          /* of the English abstract */
	bool asked_for_numbers;  /* the one number retry is used */
	size_t best_missing;     /* missing numbers of the stored answer; SIZE_MAX: none */
	char *best_warning;
};

struct stage {
	struct archive *archive;
	const struct translate_options *opts;
	const struct prompt *prompt;
	struct translate_report *report;
	struct llm_batch *batch;
	struct pending *pending;
	const struct pb_log *log;
	struct pb_err *err;        /* set when the archive fails: the stage stops */
	bool archive_failed;
	bool archive_full;         /* ... for want of disk space */
	size_t lost;               /* answers that came but could not be stored */
	char why[512];             /* the reason handed back to the batch */
};

static void log_answer(struct stage *s, struct pending *p, const struct llm_answer *ans,
		       const char *verdict)
{
	struct answer_log entry = {
		.paper_id = p->paper->id, .model = s->opts->model,
		.prompt_version = s->prompt->version, .attempt = ans->attempt,
		.verdict = verdict, .finish_reason = ans->finish_reason,
		.content = ans->content, .tokens_in = ans->tokens_in, .tokens_out = ans->tokens_out,
	};
	if (!s->archive_failed && archive_log_answer(s->archive, &entry, s->err)) {
		s->archive_failed = true;
		s->archive_full = archive_was_full(s->archive);
	}
}

static enum llm_verdict reject(struct stage *s, struct pending *p, const struct llm_answer *ans,
			       const char *why, const char **out_why)
{
	snprintf(s->why, sizeof(s->why), "%.400s", why);
	char verdict[256];
	snprintf(verdict, sizeof(verdict), "retry: %.240s", why);
	log_answer(s, p, ans, verdict);
	*out_why = s->why;
	return LLM_RETRY;
}

static enum llm_verdict on_answer(void *userdata, size_t job, const struct llm_answer *ans,
				  const char **why)
{
	struct stage *s = userdata;
	struct pending *p = &s->pending[job];
	if (s->archive_failed) {
		*why = "the archive failed";
		return LLM_GIVE_UP;
	}
	if (ans->finish_reason && !strcmp(ans->finish_reason, "length"))
		return reject(s, p, ans, "truncated answer (finish_reason: length)", why);
	struct answer a;
	struct pb_err perr = PB_ERR_INIT;
	if (answer_parse(ans->content, &a, &perr))
		return reject(s, p, ans, *ans->content ? perr.msg : "empty answer", why);
	if (!has_cjk(a.title_zh) || cjk_ratio(a.abstract_zh) < MIN_ABSTRACT_CJK_RATIO) {
		answer_release(&a);
		return reject(s, p, ans, "the answer is not Chinese", why);
	}

	struct buf missing;
	buf_init(&missing, BUF_LIMIT_NONE);
	size_t n_missing = numbers_missing(p->numbers, a.abstract_zh, &missing);
	char *warning = n_missing ? xasprintf("missing numbers: %s", missing.data) : NULL;
	enum llm_verdict verdict = LLM_ACCEPT;
	/* Keep this answer if it is the best so far; commit it now, so it is never paid twice. */
	if (n_missing < p->best_missing) {
		struct translation t = {
			.paper_id = p->paper->id, .abstract_hash = p->hash, .model = s->opts->model,
			.prompt_version = s->prompt->version, .title_zh = a.title_zh,
			.abstract_zh = a.abstract_zh, .summary_zh = a.summary_zh, .raw = ans->content,
			.tokens_in = ans->tokens_in, .tokens_out = ans->tokens_out, .warnings = warning,
		};
		if (archive_put_translation(s->archive, &t, true, NULL, s->err)) {
			s->archive_failed = true;
			s->archive_full = archive_was_full(s->archive);
			s->lost++;
			verdict = LLM_GIVE_UP;
			*why = "the archive failed";
		} else {
			/* Only a stored answer counts as kept: one the disk refused is lost. */
			p->best_missing = n_missing;
			free(p->best_warning);
			p->best_warning = xstrdup_or_null(warning);
		}
	}
	if (verdict == LLM_ACCEPT && n_missing && !p->asked_for_numbers) {
		/* One more try with the dropped numbers named; the stored answer stays if it is not better. */
		p->asked_for_numbers = true;
		char *user = prompt_user_retry_numbers(p->paper->title, p->paper->abstract, missing.data);
		char *body = llm_chat_body(s->opts->model, s->prompt->system, user, 0.2);
		llm_batch_set_body(s->batch, job, body);
		free(user);
		free(body);
		snprintf(s->why, sizeof(s->why), "%.400s", warning);
		*why = s->why;
		verdict = LLM_RESEND;
	}
	log_answer(s, p, ans, verdict == LLM_ACCEPT ? "accepted"
			      : verdict == LLM_RESEND ? "kept; asked again for missing numbers"
						      : "rejected: archive failed");
	if (verdict == LLM_ACCEPT)
		pb_debug(s->log, "translated %s (try %d)", p->paper->id, ans->attempt);
	free(warning);
	buf_release(&missing);
	answer_release(&a);
	return verdict;
}

static void on_failure(void *userdata, size_t job, const char *why)
{
	struct stage *s = userdata;
	struct pending *p = &s->pending[job];
	/* A paper with a stored answer (missing numbers) is kept, with its warning. */
	if (p->best_missing != SIZE_MAX)
		return;
	pb_warn(s->log, "could not translate %s: %s", p->paper->id, why);
	add_issue(&s->report->failures, &s->report->n_failures, &s->report->cap_failures,
		  p->paper->id, why);
}

/* An archive that cannot store answers ends the batch: every request after it is paid for nothing. */
static bool abort_batch(void *userdata)
{
	const struct stage *s = userdata;
	return s->archive_failed;
}

static void on_progress(void *userdata, const struct llm_stats *stats)
{
	struct stage *s = userdata;
	if (s->opts->on_progress)
		s->opts->on_progress(s->opts->progress_userdata, stats, s->report->cached);
}

int translate_day(struct archive *a, const char *date, const struct translate_options *o,
		  struct translate_report *r, const struct pb_run *run, struct pb_err *err)
{
	const struct pb_log *log = run ? run->log : NULL;
	memset(r, 0, sizeof(*r));
	double started = pb_monotonic_s();
	struct prompt prompt;
	if (prompt_load(&prompt, o->glossary_path, err))
		return PB_ERR_USAGE;
	snprintf(r->prompt_version, sizeof(r->prompt_version), "%s", prompt.version);
	struct paper_list papers = {0};
	int rc = archive_load_day(a, date, NULL, &papers, err);
	if (rc) {
		prompt_release(&prompt);
		return rc;
	}
	r->papers = papers.n;

	struct llm_options lo;
	llm_options_default(&lo);
	lo.base_url = o->llm_url;
	lo.api_key = o->api_key;
	lo.key_source = o->key_source;
	lo.max_jobs = o->jobs;
	lo.rpm = o->rpm;
	lo.max_tries = o->max_tries;
	lo.timeout_ms = o->timeout_ms;
	lo.connect_timeout_ms = o->connect_timeout_ms;
	lo.deadline_s = o->deadline_s;
	lo.budget_tokens = o->budget_tokens;
	lo.budget_cost = o->budget_cost;
	lo.price_in = o->price_in;
	lo.price_out = o->price_out;
	struct llm_batch *batch = llm_batch_new(&lo, err);
	if (!batch) {
		paper_list_release(&papers);
		prompt_release(&prompt);
		return PB_ERR_NET;
	}
	struct pending *pending = xcalloc(papers.n, sizeof(*pending));
	struct stage s = {a, o, &prompt, r, batch, pending, log, err, false, false, 0, ""};

	for (size_t i = 0; i < papers.n && !rc; i++) {
		struct paper *paper = &papers.items[i];
		char hash[65];
		archive_abstract_hash(paper->abstract, hash);
		bool cached = false;
		if (!o->force)
			rc = archive_has_translation(a, paper->id, hash, o->model, prompt.version, &cached, err);
		if (rc || cached) {
			r->cached += cached;
			continue;
		}
		size_t job = llm_batch_add(batch, "", paper->id);
		struct pending *p = &pending[job];
		p->paper = paper;
		memcpy(p->hash, hash, sizeof(hash));
		p->numbers = numbers_extract(paper->abstract);
		p->best_missing = SIZE_MAX;
		char *user = prompt_user_message(paper->title, paper->abstract);
		char *body = llm_chat_body(o->model, prompt.system, user, 0.2);
		llm_batch_set_body(batch, job, body);
		free(user);
		free(body);
	}
	size_t n_jobs = llm_batch_stats(batch)->jobs;
	if (!rc && n_jobs) {
		char *shown = url_for_display(o->llm_url);
		pb_info(log, "translating %zu of %zu papers with %s at %s (%d at a time, prompt %s)",
			n_jobs, papers.n, o->model, shown, o->jobs, prompt.version);
		free(shown);
		struct llm_callbacks cb = {&s, on_answer, on_failure, on_progress, abort_batch};
		rc = llm_batch_run(batch, &cb, run, err);
		if (!rc && s.archive_failed)
			rc = PB_ERR_DB;
	} else if (!rc) {
		pb_info(log, "all %zu papers of %s already translated with %s (prompt %s): no requests",
			papers.n, date, o->model, prompt.version);
	}

	const struct llm_stats *st = llm_batch_stats(batch);
	r->llm = *st;
	for (size_t j = 0; j < n_jobs; j++) {
		struct pending *p = &pending[j];
		if (p->best_missing != SIZE_MAX) {
			r->translated++;
			if (p->best_missing)
				add_issue(&r->warnings, &r->n_warnings, &r->cap_warnings, p->paper->id,
					  p->best_warning);
		}
		numbers_free(p->numbers);
		free(p->best_warning);
	}
	r->failed = r->n_failures;
	r->unfinished = n_jobs - r->translated - r->failed;
	if (s.archive_failed) {
		/* The archive's own hint ("nothing was lost") is true of a rolled-back write, not of
		 * a batch that had paid for answers: say what the money bought and what was lost. */
		size_t lost = s.lost + st->abandoned;
		size_t kept = r->cached + r->translated;
		pb_err_hint(err, "%s: %zu paid %s lost (%zu that could not be stored, %zu in flight "
				 "abandoned); %zu of %zu papers are kept; %s and run again: the rerun asks "
				 "only for the %zu not kept",
			    s.archive_full ? "the disk is full" : "the archive cannot store answers", lost,
			    lost == 1 ? "answer was" : "answers were", s.lost, st->abandoned, kept, papers.n,
			    s.archive_full ? "free space" : "fix the cause above", papers.n - kept);
	}
	r->cost_known = o->prices_known;
	r->cost = st->cost;
	r->wall_s = pb_monotonic_s() - started;
	free(pending);
	llm_batch_free(batch);
	paper_list_release(&papers);
	prompt_release(&prompt);
	return rc;
}
