/*
 * archive.h - the SQLite archive every stage reads from and writes to.
 *
 * Owns: the schema and its migrations (PRAGMA user_version), papers, daily
 * lists (date -> ranked paper ids), raw API responses (kept for audit and
 * re-parsing), runs, and translations keyed by (paper, abstract hash, model,
 * prompt version).
 *
 *     struct archive *a;
 *     if (archive_open(path, &a, &err)) ...
 *     archive_store_day(a, "2025-12-26", &papers, pages, n, &merge, &err);
 *     archive_load_day(a, "2025-12-26", &papers, &err);
 *     archive_close(a);
 *
 * Every write is one transaction (BEGIN IMMEDIATE), so a failure leaves the
 * archive as it was. WAL plus a busy timeout lets two processes share one
 * archive: the second waits instead of failing or corrupting it.
 * Strings passed in are copied by SQLite; results are owned by the caller.
 */
#ifndef PB_ARCHIVE_H
#define PB_ARCHIVE_H

#include "core/err.h"
#include "core/paper.h"

#define ARCHIVE_SCHEMA_VERSION 3

struct archive;

/* One raw response body as received, kept verbatim. */
struct raw_page {
	char *url;
	int page;
	long status;
	char *body;
	size_t len;
};

struct day_merge {
	size_t n_new;      /* ids not in the day's list before */
	size_t n_total;    /* length of the merged list */
	size_t n_retained; /* listed before, absent from this response, kept */
	bool changed;      /* the list or a paper's data changed */
};

struct translation {
	const char *paper_id;
	const char *abstract_hash; /* sha256 of the normalised English abstract */
	const char *model;
	const char *prompt_version;
	const char *title_zh;
	const char *abstract_zh;
	const char *summary_zh; /* may be NULL */
	const char *raw;        /* the answer as received; may be NULL */
	long tokens_in, tokens_out;
	const char *warnings;   /* e.g. "missing numbers: 14.36"; NULL when none */
};

/* One paid answer, logged whatever became of it. */
struct answer_log {
	const char *paper_id;
	const char *model;
	const char *prompt_version;
	int attempt;
	const char *verdict;       /* "accepted", "retry: …", "rejected: …" */
	const char *finish_reason; /* may be NULL */
	const char *content;
	long tokens_in, tokens_out;
};

int archive_open(const char *path, struct archive **out, struct pb_err *err);
void archive_close(struct archive *a);

/*
 * Merge a day's papers (in API order) into the archive: upsert each paper,
 * make the day's list follow this order (papers listed earlier but absent
 * now are kept after them), and store the raw pages with `source` ("api",
 * or "import:<file>"). One transaction.
 */
int archive_store_day(struct archive *a, const char *date, const struct paper_list *papers,
		      const struct raw_page *pages, size_t n_pages, const char *source,
		      struct day_merge *merge, struct pb_err *err);

/*
 * Load a day's papers in rank order, each with the newest translation that
 * matches its current abstract (title_zh etc. stay NULL when none does).
 * PB_ERR_NO_PAPERS when the day is not in the archive.
 */
int archive_load_day(struct archive *a, const char *date, struct paper_list *out,
		     struct pb_err *err);

/*
 * The papers per day for the n consecutive days ending at last_date
 * (out[n-1] is last_date); days never fetched have known = false.
 */
int archive_day_counts(struct archive *a, const char *last_date, size_t n, struct day_count *out,
		       struct pb_err *err);

/* A day's broadcast as the feed needs it. */
struct audio_record {
	char date[11];
	char *path;        /* relative to the output directory */
	long long bytes;
	long long duration_ms;
	int chapters;
	char *voice;
};

/* Record (or replace) a day's broadcast. */
int archive_put_audio(struct archive *a, const struct audio_record *r, struct pb_err *err);
/* Every recorded broadcast, newest first; caller frees with audio_records_free. */
int archive_list_audio(struct archive *a, struct audio_record **out, size_t *n, struct pb_err *err);
void audio_records_free(struct audio_record *r, size_t n);

/* Does the archive hold this paper? */
int archive_has_paper(struct archive *a, const char *paper_id, bool *has, struct pb_err *err);

/*
 * Store a translation. An existing row with the same key is kept unless
 * replace is set; *inserted (optional) says whether a row was written.
 */
int archive_put_translation(struct archive *a, const struct translation *t, bool replace,
			    bool *inserted, struct pb_err *err);

/* Is there a translation for exactly this (paper, abstract hash, model, prompt version)? */
int archive_has_translation(struct archive *a, const char *paper_id, const char *abstract_hash,
			    const char *model, const char *prompt_version, bool *has,
			    struct pb_err *err);

/* Append one paid answer to the log (autocommit: durable when this returns). */
int archive_log_answer(struct archive *a, const struct answer_log *entry, struct pb_err *err);

/* The hash archive_load_day matches translations with (of the normalised abstract). */
void archive_abstract_hash(const char *abstract, char out[65]);

/* Record a run of a command for a date; finish it with its status and a detail line. */
int archive_run_begin(struct archive *a, const char *command, const char *date,
		      long long *run_id, struct pb_err *err);
int archive_run_finish(struct archive *a, long long run_id, const char *status,
		       const char *detail, struct pb_err *err);

void raw_page_release(struct raw_page *p);

#endif
