/*
 * translate.h - the translation stage: every paper of a day without a
 * translation for the current (model, prompt version, abstract hash) gets
 * one through an OpenAI-compatible chat API (llm.h), checked before it is
 * kept (answer.h, fidelity.h) and committed to the archive the moment it
 * arrives, so a killed run resumes without paying twice.
 *
 *     struct translate_options o;
 *     translate_options_default(&o);
 *     o.llm_url = ...; o.model = ...; o.api_key = ...;
 *     struct translate_report r;
 *     translate_day(archive, "2025-12-26", &o, &r, run, &err);   run: log and stop flag
 *     ... r.failed, r.warnings ...
 *     translate_report_release(&r);
 *
 * Papers that fail keep no translation (the edition shows them in English);
 * the report lists them and the run is partial.
 */
#ifndef PB_TRANSLATE_H
#define PB_TRANSLATE_H

#include "archive/archive.h"
#include "core/err.h"
#include "core/run.h"
#include "llm/llm.h"

struct translate_options {
	const char *llm_url;
	const char *model;
	const char *api_key;     /* NULL: none (local servers) */
	const char *key_source;  /* where the key came from, for messages */
	const char *glossary_path; /* NULL: the shipped glossary */
	int jobs;
	double rpm;
	int max_tries;
	long timeout_ms;
	long connect_timeout_ms;
	double deadline_s;
	long long budget_tokens;
	double budget_cost;
	double price_in, price_out; /* per million tokens */
	bool prices_known;
	bool force;              /* retranslate papers that have a translation */
	/* Progress as jobs finish (for a TTY display); may be NULL. */
	void (*on_progress)(void *userdata, const struct llm_stats *stats, size_t cached);
	void *progress_userdata;
};

void translate_options_default(struct translate_options *o);

struct paper_issue {
	char *paper_id;
	char *detail;
};

struct translate_report {
	char prompt_version[32];
	size_t papers, cached, translated, failed, unfinished;
	struct paper_issue *failures;  /* failed papers and why */
	size_t n_failures, cap_failures;
	struct paper_issue *warnings;  /* kept translations with missing numbers */
	size_t n_warnings, cap_warnings;
	struct llm_stats llm;
	double cost;
	bool cost_known;
	double wall_s;
};

void translate_report_release(struct translate_report *r);

/*
 * Translate the day's papers. Returns 0 when the stage ran (check
 * r->failed/unfinished for partial results), or an error for what stopped it
 * altogether (no such day, a refused key, an unreachable server, the archive).
 * On a stop (run->stop) no new request starts; answers in flight are awaited
 * and committed, and r->llm.stopped is set. run gives the log too.
 */
int translate_day(struct archive *a, const char *date, const struct translate_options *o,
		  struct translate_report *r, const struct pb_run *run, struct pb_err *err);

#endif
