/*
 * report.h - the machine-readable record of a run: reports/D_run.json, one
 * object per stage (papers, requests, tokens, cost, warnings, wall time),
 * and the one-line human summary printed at the end of `run`.
 *
 *     struct run_report *r = run_report_new("2025-12-26", "run");
 *     run_report_fetch(r, &fetched, status, wall_s);
 *     run_report_translate(r, &translated, model, status);
 *     run_report_render(r, papers, untranslated, status, wall_s);
 *     run_report_write(r, out_dir, "partial", &path, &err);
 *     run_report_summary(r, line, sizeof(line));
 *     run_report_free(r);
 */
#ifndef PB_REPORT_H
#define PB_REPORT_H

#include "core/err.h"
#include "deliver/send.h"
#include "fetch/fetch.h"
#include "speak/speak.h"
#include "translate/translate.h"

struct run_report;

struct run_report *run_report_new(const char *date, const char *command);
void run_report_free(struct run_report *r);

void run_report_fetch(struct run_report *r, const struct fetch_summary *s, const char *status,
		      double wall_s);
void run_report_translate(struct run_report *r, const struct translate_report *t,
			  const char *model, const char *status);
/* The audio stage; why is the failure (NULL when it worked). */
void run_report_speak(struct run_report *r, const struct speak_result *s, const char *status,
		      const char *why);
void run_report_render(struct run_report *r, size_t papers, size_t untranslated,
		       const char *status, double wall_s);

/* The send stage: every message to every channel and recipient, with its outcome (no secret). */
void run_report_send(struct run_report *r, const struct send_report *s, const char *status);

/* Write OUT/reports/D_run.json atomically; *path (optional) gets its name (caller frees). */
int run_report_write(struct run_report *r, const char *out_dir, const char *status, char **path,
		     struct pb_err *err);
/* "2025-12-26: fetched 7 (0 new) · translated 5, cached 2, failed 0 · 12.3k tokens · …" */
void run_report_summary(const struct run_report *r, char *out, size_t size);

#endif
