/*
 * archive.h - the SQLite archive every stage reads from and writes to.
 *
 * Owns: the schema and its migrations (PRAGMA user_version), papers, daily
 * lists (date -> ranked paper ids), raw API responses (kept for audit and
 * re-parsing), runs per stage, day and language, translations keyed by
 * (paper, abstract hash, model, prompt version) and their variants in other
 * languages, the insights computed for each day, and the artefacts each
 * stage wrote.
 *
 *     struct archive *a;
 *     if (archive_open(path, &a, &err)) ...
 *     archive_store_day(a, "2025-12-26", &papers, pages, n, &merge, &err);
 *     archive_load_day(a, "2025-12-26", NULL, &papers, &err);       zh-CN
 *     archive_load_day(a, "2025-12-26", "zh-TW", &papers, &err);    its variant
 *     archive_close(a);
 *
 * Languages are codes ("zh-CN", "zh-TW"); the archive knows only that zh-CN
 * (ARCHIVE_SOURCE_LANG, also spelled NULL) is the LLM's own text and every
 * other language a variant derived from it.
 *
 * Every write is one transaction (BEGIN IMMEDIATE), so a failure leaves the
 * archive as it was. WAL plus a busy timeout lets two processes share one
 * archive: the second waits instead of failing or corrupting it.
 * Strings passed in are copied by SQLite; results are owned by the caller.
 */
#ifndef PB_ARCHIVE_H
#define PB_ARCHIVE_H

#include "core/buf.h"
#include "core/err.h"
#include "core/layout.h"
#include "core/paper.h"

#define ARCHIVE_SCHEMA_VERSION 6

/* The language translations are written in; NULL means this language too. */
#define ARCHIVE_SOURCE_LANG "zh-CN"

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

/*
 * Refuse (PB_ERR_USAGE) a path SQLite would not keep as a file: ":memory:",
 * "" (a temporary database) and anything starting with "file:" (a URI, which
 * can say mode=memory). archive_open checks this itself; the CLI calls it
 * first so that a command refuses such a --db before doing anything.
 */
int archive_check_path(const char *path, struct pb_err *err);
/* Open (creating and migrating) the archive at path; see archive_check_path. */
int archive_open(const char *path, struct archive **out, struct pb_err *err);
void archive_close(struct archive *a);
/* The path it was opened with (e.g. to name files beside it, as the day lock does). */
const char *archive_path(const struct archive *a);

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
 * Load a day's papers in rank order (appended to out, which the caller
 * releases), each with the newest translation that matches its current
 * abstract: translation_id is its row (0 when none matches). With lang NULL
 * or ARCHIVE_SOURCE_LANG, title_zh, abstract_zh and summary_zh are that
 * translation's text; with another language they are its variant in that
 * language, NULL while no variant exists (translation_id is still set, so the
 * caller knows what to convert). PB_ERR_NO_PAPERS when the day is not in the
 * archive.
 */
int archive_load_day(struct archive *a, const char *date, const char *lang,
		     struct paper_list *out, struct pb_err *err);

/*
 * The papers per day for the n consecutive days ending at last_date
 * (out[n-1] is last_date). A day is known once it was fetched: stored (its
 * paper count), or found empty by a fetch run (status "no-papers", count 0);
 * only days never fetched have known = false.
 */
int archive_day_counts(struct archive *a, const char *last_date, size_t n, struct day_count *out,
		       struct pb_err *err);

/* The first and last day stored in the archive; *any = false when it holds none. */
int archive_day_range(struct archive *a, char first[11], char last[11], bool *any,
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

/* Record (or replace) a day's broadcast, and its "audio" artefact (lang ''). One transaction. */
int archive_put_audio(struct archive *a, const struct audio_record *r, struct pb_err *err);
/*
 * The speech API's answers (schema 5), keyed by everything that changes the
 * sound. archive_tts_get sets *found and fills audio (the answer's bytes);
 * archive_tts_put stores one answer in its own transaction, so answers
 * already paid for survive an interrupted run.
 */
struct tts_key {
	const char *text, *voice, *model, *format;
	double speed; /* 0: the server's default */
};
int archive_tts_get(struct archive *a, const struct tts_key *k, struct buf *audio, bool *found,
		    struct pb_err *err);
int archive_tts_put(struct archive *a, const struct tts_key *k, const void *audio, size_t len,
		    struct pb_err *err);

/* Every recorded broadcast, newest first; caller frees with audio_records_free. */
int archive_list_audio(struct archive *a, struct audio_record **out, size_t *n, struct pb_err *err);
void audio_records_free(struct audio_record *r, size_t n);

/* Does the archive hold this paper? */
int archive_has_paper(struct archive *a, const char *paper_id, bool *has, struct pb_err *err);

/* Did the archive's last failed write fail for want of disk space (SQLITE_FULL, ENOSPC)?
 * Callers that paid for what they could not store say so, and that a rerun needs room. */
bool archive_was_full(const struct archive *a);

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

/* One translation's text in another language; strings are borrowed. */
struct archive_variant {
	long long translation_id; /* translations row, as archive_load_day reports it */
	const char *title;
	const char *abstract;
	const char *summary;      /* may be NULL */
};

/*
 * Store (or replace) the variant in lang of one translation. converter names
 * what derived it ("opencc:s2twp.json"). lang must not be the source language.
 * An unknown translation_id violates the foreign key (PB_ERR_DB).
 */
int archive_put_variant(struct archive *a, long long translation_id, const char *lang,
			const char *converter, const char *title, const char *abstract,
			const char *summary, struct pb_err *err);
/* The same for n variants (a whole day) in one transaction: all or none are stored. */
int archive_put_variants(struct archive *a, const char *lang, const char *converter,
			 const struct archive_variant *v, size_t n, struct pb_err *err);

/* Append one paid answer to the log (autocommit: durable when this returns). */
int archive_log_answer(struct archive *a, const struct answer_log *entry, struct pb_err *err);

/* The hash archive_load_day matches translations with (of the normalised abstract). */
void archive_abstract_hash(const char *abstract, char out[65]);

/*
 * Record a run of a stage (command) for a date (NULL: not about one day) and
 * language (NULL for day-wide stages such as fetch and speak; the edition's
 * code for per-edition ones); finish it with its status ("ok", "partial",
 * "failed", "no-papers") and a detail line.
 */
int archive_run_begin(struct archive *a, const char *command, const char *date,
		      const char *lang, long long *run_id, struct pb_err *err);
int archive_run_finish(struct archive *a, long long run_id, const char *status,
		       const char *detail, struct pb_err *err);
/*
 * The status of the newest finished run of command for exactly this date and
 * lang (NULL matches only runs recorded with NULL; runs from before schema 4
 * have NULL). *found is false, and status "", when there is none; runs still
 * going (or killed before finishing) do not count.
 */
int archive_last_run(struct archive *a, const char *command, const char *date, const char *lang,
		     char status[16], bool *found, struct pb_err *err);

/*
 * Insights, as the pictures stage computed them, so `stats` and topic pages
 * read tables instead of segmenting text again.
 *
 * A day's insights in a language are "known" from archive_put_day_insights
 * until what they were computed from changes: storing a different day list,
 * a change to a listed paper's title, abstract or ai_keywords, a new
 * translation of a listed paper, or a new variant in that language forgets
 * them (schema triggers), so a known day is never stale. Areas are
 * language-independent (matched on the English text and the zh-CN
 * translation): they are stored with, and forgotten with, the zh-CN insights.
 */
struct archive_paper_area {
	const char *paper_id;
	const char *area; /* the taxonomy's zh-CN area name */
};

struct archive_keyword {
	const char *word;
	long count;
};

/*
 * Replace the insights of (date, lang) in one transaction: papers is how
 * many papers they were computed over; keywords are the day's list, most
 * frequent first (store it whole: window sums only see what was stored).
 * areas (one row per paper and area) are stored when lang is the source
 * language and must be empty (n_areas 0) otherwise. Strings are copied.
 */
int archive_put_day_insights(struct archive *a, const char *date, const char *lang,
			     size_t papers, const struct archive_paper_area *areas,
			     size_t n_areas, const struct archive_keyword *keywords,
			     size_t n_keywords, struct pb_err *err);
/* Are the insights of (date, lang) stored and current? */
int archive_day_insights_known(struct archive *a, const char *date, const char *lang,
			       bool *known, struct pb_err *err);

struct archive_keyword_count {
	char *word;
	long count;
};

struct archive_keyword_list {
	struct archive_keyword_count *items; /* most frequent first; ties by word (bytes) */
	size_t n, cap;
};

struct archive_area_count {
	char *area;
	long papers;
};

struct archive_area_list {
	struct archive_area_count *items; /* most papers first; ties by area name (bytes) */
	size_t n, cap;
};

struct archive_date_list {
	struct archive_date { char date[11]; } *items; /* oldest first */
	size_t n, cap;
};

/*
 * The days in the `days` days ending at last_date that the archive holds but
 * whose insights in lang are not known: compute and store these before
 * reading the window. Appended to out; caller releases.
 */
int archive_window_missing_insights(struct archive *a, const char *last_date, size_t days,
				    const char *lang, struct archive_date_list *out,
				    struct pb_err *err);
/*
 * Keyword counts in lang summed over the known days of the window, at most
 * max (0: all), appended to out; caller releases.
 */
int archive_window_keywords(struct archive *a, const char *last_date, size_t days,
			    const char *lang, size_t max, struct archive_keyword_list *out,
			    struct pb_err *err);
/*
 * Papers per area over the window's days with known zh-CN insights (a paper
 * listed on two days counts twice, as in each day's count); appended to out,
 * caller releases.
 */
int archive_window_areas(struct archive *a, const char *last_date, size_t days,
			 struct archive_area_list *out, struct pb_err *err);

void archive_keyword_list_release(struct archive_keyword_list *l);
void archive_area_list_release(struct archive_area_list *l);
void archive_date_list_release(struct archive_date_list *l);

/* The days the archive holds papers for, newest first (the site's list of editions). */
struct archive_day {
	char date[11];
	long long papers;
};
struct archive_day_list {
	struct archive_day *items;
	size_t n, cap;
};
int archive_list_days(struct archive *a, struct archive_day_list *out, struct pb_err *err);
void archive_day_list_release(struct archive_day_list *l);

/* The stored (paper, area) rows of a day, appended to out (strings owned); caller releases. */
struct archive_paper_area_list {
	struct { char *paper_id; char *area; } *items;
	size_t n, cap;
};
int archive_day_paper_areas(struct archive *a, const char *date, struct archive_paper_area_list *out,
			    struct pb_err *err);
void archive_paper_area_list_release(struct archive_paper_area_list *l);

/*
 * Artefacts: what each stage wrote, so later stages read their inputs from
 * the archive. kind names the artefact ("poster", "edition_md", "audio", …);
 * lang NULL or "" for day-wide ones. relpath is relative to the output
 * directory. archive_put_audio records the "audio" artefact itself.
 */
int archive_put_artefact(struct archive *a, const char *date, const char *lang, const char *kind,
			 const char *relpath, long long bytes, struct pb_err *err);
/* *relpath (caller frees) is NULL and *found false when none is recorded. */
int archive_get_artefact(struct archive *a, const char *date, const char *lang, const char *kind,
			 char **relpath, bool *found, struct pb_err *err);

/* Record the file the layout names for (kind, date, lang) as written, with its size now. */
int archive_record_artefact(struct archive *a, const struct layout *lay, enum artefact kind,
			    const char *date, const char *lang, struct pb_err *err);

/*
 * Deliveries: one row per message of an edition to a channel and recipient
 * (recipient "" for a chat channel; part numbers a split day's messages).
 * begin records "sending" durably before the message goes out; finish
 * records "sent" (with the platform's message id, may be NULL) or "failed"
 * (detail says why; never a secret).
 */
struct delivery_ref {
	const char *date, *lang, *channel, *recipient;
	int part;
};

enum delivery_status { DELIVERY_NONE, DELIVERY_SENDING, DELIVERY_SENT, DELIVERY_FAILED };

int archive_delivery_status(struct archive *a, const struct delivery_ref *ref,
			    enum delivery_status *status, struct pb_err *err);
int archive_delivery_begin(struct archive *a, const struct delivery_ref *ref, const char *kind,
			   const char *payload_hash, struct pb_err *err);
int archive_delivery_finish(struct archive *a, const struct delivery_ref *ref, bool sent,
			    const char *message_id, const char *detail, struct pb_err *err);

struct archive_delivery {
	char *date, *lang, *channel, *kind, *recipient, *status, *message_id, *detail, *updated_at;
	int part;
};
struct archive_delivery_list {
	struct archive_delivery *items;
	size_t n, cap;
};
/* Every delivery of the days from first_date on, by date, channel, recipient, part. */
int archive_list_deliveries(struct archive *a, const char *first_date,
			    struct archive_delivery_list *out, struct pb_err *err);
void archive_delivery_list_release(struct archive_delivery_list *l);

/* Alerts: has this problem been alerted? Record that it was. */
int archive_alert_seen(struct archive *a, const char *problem, bool *seen, struct pb_err *err);
int archive_alert_put(struct archive *a, const char *problem, const char *channel, const char *text,
		      struct pb_err *err);

/* A run of the runs table, for `paperboy health`. */
struct archive_run {
	long long id;
	char *command, *date, *lang, *status, *detail, *started_at, *finished_at;
};
struct archive_run_list {
	struct archive_run *items;
	size_t n, cap;
};
/* The runs started at or after since (a UTC timestamp "2025-12-26T00:00:00Z"), oldest first. */
int archive_list_runs(struct archive *a, const char *since, struct archive_run_list *out,
		      struct pb_err *err);
void archive_run_list_release(struct archive_run_list *l);

void raw_page_release(struct raw_page *p);

#endif
