/* archive.c - SQLite archive: migrations, day merges, translations and variants, runs, insights, artefacts. */
#include "core/common.h"

#include "archive/archive.h"
#include "core/buf.h"
#include "core/data.h"
#include "core/date.h"
#include "core/fsutil.h"
#include "core/hash.h"
#include "core/text.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* Long enough for a concurrent run's whole day merge (one transaction) to finish. */
#define ARCHIVE_BUSY_TIMEOUT_MS 30000

struct archive {
	sqlite3 *db;
	char *path;
	bool full; /* the last failure was for want of disk space (see archive_was_full) */
};

static int db_error(struct archive *a, struct pb_err *err, const char *what)
{
	int code = sqlite3_extended_errcode(a->db);
	int sys = sqlite3_system_errno(a->db);
	/* SQLite says "disk I/O error"; the system's reason (ENOSPC, EACCES) says what to do. */
	/* SQLITE_FULL says "database or disk is full"; ENOSPC says which of the two. */
	if (((code & 0xff) == SQLITE_IOERR || (code & 0xff) == SQLITE_FULL) && sys)
		pb_err_set(err, PB_ERR_DB, "archive '%s': %s: %s (%s)", a->path, what,
			   sqlite3_errmsg(a->db), strerror(sys));
	else
		pb_err_set(err, PB_ERR_DB, "archive '%s': %s: %s", a->path, what, sqlite3_errmsg(a->db));
	if (sys == ENOSPC)
		code = SQLITE_FULL;
	a->full = (code & 0xff) == SQLITE_FULL;
	if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED)
		pb_err_hint(err, "another paperboy is writing this archive; run again when it is done");
	else if ((code & 0xff) == SQLITE_FULL)
		pb_err_hint(err, "the disk is full; free space and run again (nothing was lost)");
	else if ((code & 0xff) == SQLITE_READONLY || (code & 0xff) == SQLITE_CANTOPEN)
		pb_err_hint(err, "check the path and permissions, or choose another --db");
	return PB_ERR_DB;
}

static int exec(struct archive *a, const char *sql, struct pb_err *err)
{
	if (sqlite3_exec(a->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return db_error(a, err, sql);
	return 0;
}

/*
 * Switching a new archive to WAL needs an exclusive lock, and SQLite answers
 * SQLITE_BUSY at once (without the busy handler) when another process is
 * opening the same new file: wait and retry for as long as the busy timeout.
 * tests/e2e/test_fetch.py (two processes on one archive) pins this.
 */
static int use_wal(struct archive *a, struct pb_err *err)
{
	for (int waited_ms = 0;; waited_ms += 20) {
		int rc = sqlite3_exec(a->db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL);
		if (rc == SQLITE_OK)
			return 0;
		if ((rc & 0xff) != SQLITE_BUSY || waited_ms >= ARCHIVE_BUSY_TIMEOUT_MS)
			return db_error(a, err, "PRAGMA journal_mode = WAL");
		struct timespec pause = {0, 20 * 1000000L};
		nanosleep(&pause, NULL);
	}
}

static int begin(struct archive *a, struct pb_err *err)
{
	return exec(a, "BEGIN IMMEDIATE", err);
}

static int commit(struct archive *a, struct pb_err *err)
{
	return exec(a, "COMMIT", err);
}

static void rollback(struct archive *a)
{
	if (!sqlite3_get_autocommit(a->db))
		sqlite3_exec(a->db, "ROLLBACK", NULL, NULL, NULL);
}

static sqlite3_stmt *prepare(struct archive *a, const char *sql, struct pb_err *err)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(a->db, sql, -1, &st, NULL) != SQLITE_OK) {
		db_error(a, err, "prepare");
		return NULL;
	}
	return st;
}

static void bind_text(sqlite3_stmt *st, int idx, const char *s)
{
	if (s)
		sqlite3_bind_text(st, idx, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, idx);
}

static char *column_text(sqlite3_stmt *st, int idx)
{
	const unsigned char *s = sqlite3_column_text(st, idx);
	return s ? xstrdup((const char *)s) : NULL;
}

static void now_utc(char out[21])
{
	timestamp_utc(time(NULL), out);
}

/* Is lang the language translations are written in (NULL counts as it)? */
static bool is_source_lang(const char *lang)
{
	return !lang || !strcmp(lang, ARCHIVE_SOURCE_LANG);
}

/* Run a prepared statement that returns no rows, then finalize it. */
static int step_done(struct archive *a, sqlite3_stmt *st, const char *what, struct pb_err *err)
{
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_error(a, err, what);
	sqlite3_finalize(st);
	return rc;
}

/* The first day of the `days` days ending at last_date, as YYYY-MM-DD. */
static int window_first(const char *last_date, size_t days, char first[11], struct pb_err *err)
{
	struct pb_date last, d;
	if (days == 0 || days > 100000) {
		pb_err_set(err, PB_ERR_USAGE, "a window of %zu days is out of range", days);
		pb_err_hint(err, "choose between 1 and 100000 days");
		return PB_ERR_USAGE;
	}
	if (date_parse(last_date, &last, err))
		return PB_ERR_USAGE;
	date_add_days(&last, -(int)days + 1, &d);
	date_format(&d, first);
	return 0;
}

static int migrate(struct archive *a, struct pb_err *err)
{
	sqlite3_stmt *st = prepare(a, "PRAGMA user_version", err);
	if (!st)
		return PB_ERR_DB;
	int version = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	sqlite3_finalize(st);
	if (version > ARCHIVE_SCHEMA_VERSION) {
		pb_err_set(err, PB_ERR_DB, "archive '%s' has schema version %d, newer than this paperboy's %d",
			   a->path, version, ARCHIVE_SCHEMA_VERSION);
		pb_err_hint(err, "upgrade paperboy, or use another --db");
		return PB_ERR_DB;
	}
	while (version < ARCHIVE_SCHEMA_VERSION) {
		char name[64];
		snprintf(name, sizeof(name), "data/schema/%03d.sql", version + 1);
		const char *sql = data_get(name, NULL);
		if (!sql)
			return pb_err_set(err, PB_ERR_DB, "migration '%s' is missing from this build", name);
		if (begin(a, err))
			return PB_ERR_DB;
		char bump[64];
		snprintf(bump, sizeof(bump), "PRAGMA user_version = %d", version + 1);
		/* Re-check inside the write lock: another process may have migrated first. */
		st = prepare(a, "PRAGMA user_version", err);
		int now = st && sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
		sqlite3_finalize(st);
		if (now != version) {
			rollback(a);
			if (now < 0)
				return PB_ERR_DB;
			version = now;
			continue;
		}
		if (exec(a, sql, err) || exec(a, bump, err) || commit(a, err)) {
			rollback(a);
			return PB_ERR_DB;
		}
		version++;
	}
	return 0;
}

int archive_check_path(const char *path, struct pb_err *err)
{
	/*
	 * Each of these opens a database that vanishes with the process: a run on it
	 * translates, exits 0 and keeps nothing, so the next run pays again. Not setting
	 * SQLITE_OPEN_URI is not enough, since SQLite may be built with URIs on
	 * (SQLITE_USE_URI, as Debian's is). "FILE:" is refused too: such a name is far
	 * likelier a mistyped URI than a file, and "./FILE:x" still names one.
	 */
	if (path[0] && strcmp(path, ":memory:") != 0 && strncasecmp(path, "file:", 5) != 0)
		return 0;
	pb_err_set(err, PB_ERR_USAGE,
		   "archive '%s' is not a file path: SQLite would keep nothing of it after the "
		   "run; give --db (or [paperboy] db) a file path", path);
	pb_err_hint(err, "for example --db OUT/paperboy.db; write ./file:NAME for a file whose "
			 "name starts with 'file:'");
	return PB_ERR_USAGE;
}

int archive_open(const char *path, struct archive **out, struct pb_err *err)
{
	*out = NULL;
	if (archive_check_path(path, err))
		return PB_ERR_USAGE;
	struct archive *a = xcalloc(1, sizeof(*a));
	a->path = xstrdup(path);
	/* No SQLITE_OPEN_URI: the path is a file name, never a URI (see archive_check_path). */
	int rc = sqlite3_open_v2(path, &a->db,
				 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
				 NULL);
	if (rc != SQLITE_OK) {
		if (a->db)
			db_error(a, err, "cannot open");
		else
			pb_err_set(err, PB_ERR_DB, "archive '%s': cannot open", path);
		archive_close(a);
		return PB_ERR_DB;
	}
	sqlite3_busy_timeout(a->db, ARCHIVE_BUSY_TIMEOUT_MS);
	sqlite3_extended_result_codes(a->db, 1);
	/* journal_mode answers with a row; exec ignores it. A non-database file fails here. */
	if (use_wal(a, err) || exec(a, "PRAGMA foreign_keys = ON", err) ||
	    exec(a, "PRAGMA synchronous = NORMAL", err) || migrate(a, err)) {
		archive_close(a);
		return PB_ERR_DB;
	}
	*out = a;
	return 0;
}

const char *archive_path(const struct archive *a)
{
	return a->path;
}

void archive_close(struct archive *a)
{
	if (!a)
		return;
	sqlite3_close(a->db);
	free(a->path);
	free(a);
}

void archive_abstract_hash(const char *abstract, char out[65])
{
	sha256_hex(abstract, strlen(abstract), out);
}

void raw_page_release(struct raw_page *p)
{
	free(p->url);
	free(p->body);
	memset(p, 0, sizeof(*p));
}

/* Insert or update one paper; *changed is set when a row was written. */
static int upsert_paper(struct archive *a, sqlite3_stmt *st, const struct paper *p,
			const char *now, bool *changed, struct pb_err *err)
{
	char hash[65];
	archive_abstract_hash(p->abstract, hash);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	bind_text(st, 1, p->id);
	bind_text(st, 2, p->title);
	bind_text(st, 3, p->abstract);
	bind_text(st, 4, hash);
	bind_text(st, 5, p->authors ? p->authors : "[]");
	bind_text(st, 6, p->published_at);
	bind_text(st, 7, p->submitted_on_daily_at);
	sqlite3_bind_int64(st, 8, p->upvotes);
	sqlite3_bind_int64(st, 9, p->num_comments);
	bind_text(st, 10, p->github_repo);
	sqlite3_bind_int64(st, 11, p->github_stars);
	bind_text(st, 12, p->project_page);
	bind_text(st, 13, p->ai_summary);
	bind_text(st, 14, p->ai_keywords);
	bind_text(st, 15, p->organization);
	bind_text(st, 16, now);
	if (sqlite3_step(st) != SQLITE_DONE)
		return db_error(a, err, p->id);
	if (sqlite3_changes(a->db) > 0)
		*changed = true;
	return 0;
}

/* The day's current list of ids, in rank order. */
static int load_day_ids(struct archive *a, const char *date, char ***ids, size_t *n,
			struct pb_err *err)
{
	sqlite3_stmt *st = prepare(a, "SELECT paper_id FROM day_papers WHERE date = ? ORDER BY rank", err);
	if (!st)
		return PB_ERR_DB;
	bind_text(st, 1, date);
	size_t cap = 0;
	*ids = NULL;
	*n = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		GROW(*ids, cap, *n + 1);
		(*ids)[(*n)++] = column_text(st, 0);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_error(a, err, "read day list");
}

static void free_ids(char **ids, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
}

static bool ids_contain(char *const *ids, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(ids[i], id))
			return true;
	return false;
}

static const char upsert_sql[] =
	"INSERT INTO papers (id, title, abstract, abstract_hash, authors, published_at,"
	" submitted_on_daily_at, upvotes, num_comments, github_repo, github_stars, project_page,"
	" ai_summary, ai_keywords, organization, first_seen_at, updated_at)"
	" VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?16)"
	" ON CONFLICT(id) DO UPDATE SET title=excluded.title, abstract=excluded.abstract,"
	" abstract_hash=excluded.abstract_hash, authors=excluded.authors,"
	" published_at=excluded.published_at,"
	" submitted_on_daily_at=coalesce(excluded.submitted_on_daily_at, submitted_on_daily_at),"
	" upvotes=excluded.upvotes, num_comments=excluded.num_comments,"
	" github_repo=coalesce(excluded.github_repo, github_repo),"
	" github_stars=excluded.github_stars,"
	" project_page=coalesce(excluded.project_page, project_page),"
	" ai_summary=coalesce(excluded.ai_summary, ai_summary),"
	" ai_keywords=coalesce(excluded.ai_keywords, ai_keywords),"
	" organization=coalesce(excluded.organization, organization),"
	" updated_at=excluded.updated_at"
	/* Rewrite only on a real change, so importing or fetching twice changes nothing. */
	" WHERE title IS NOT excluded.title OR abstract IS NOT excluded.abstract"
	" OR authors IS NOT excluded.authors OR published_at IS NOT excluded.published_at"
	" OR upvotes IS NOT excluded.upvotes OR num_comments IS NOT excluded.num_comments"
	" OR github_stars IS NOT excluded.github_stars"
	" OR (excluded.submitted_on_daily_at IS NOT NULL AND submitted_on_daily_at IS NOT excluded.submitted_on_daily_at)"
	" OR (excluded.github_repo IS NOT NULL AND github_repo IS NOT excluded.github_repo)"
	" OR (excluded.project_page IS NOT NULL AND project_page IS NOT excluded.project_page)"
	" OR (excluded.ai_summary IS NOT NULL AND ai_summary IS NOT excluded.ai_summary)"
	" OR (excluded.ai_keywords IS NOT NULL AND ai_keywords IS NOT excluded.ai_keywords)"
	" OR (excluded.organization IS NOT NULL AND organization IS NOT excluded.organization)";

static int store_raw_pages(struct archive *a, const char *date, const struct raw_page *pages,
			   size_t n_pages, const char *source, const char *now, bool *changed,
			   struct pb_err *err)
{
	sqlite3_stmt *st = prepare(a,
		"INSERT OR IGNORE INTO raw_responses (date, page, url, status, source, body_sha256,"
		" body, received_at) VALUES (?,?,?,?,?,?,?,?)", err);
	if (!st)
		return PB_ERR_DB;
	int rc = 0;
	for (size_t i = 0; i < n_pages && !rc; i++) {
		char hash[65];
		sha256_hex(pages[i].body, pages[i].len, hash);
		sqlite3_reset(st);
		bind_text(st, 1, date);
		sqlite3_bind_int(st, 2, pages[i].page);
		bind_text(st, 3, pages[i].url);
		sqlite3_bind_int64(st, 4, pages[i].status);
		bind_text(st, 5, source);
		bind_text(st, 6, hash);
		sqlite3_bind_blob64(st, 7, pages[i].body, pages[i].len, SQLITE_STATIC);
		bind_text(st, 8, now);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = db_error(a, err, "store raw response");
		else if (sqlite3_changes(a->db) > 0)
			*changed = true;
	}
	sqlite3_finalize(st);
	return rc;
}

static int write_day_list(struct archive *a, const char *date, char *const *order, size_t n,
			  const char *now, struct pb_err *err)
{
	sqlite3_stmt *day = prepare(a,
		"INSERT INTO days (date, paper_count, first_stored_at, updated_at) VALUES (?1,?2,?3,?3)"
		" ON CONFLICT(date) DO UPDATE SET paper_count=excluded.paper_count,"
		" updated_at=excluded.updated_at", err);
	if (!day)
		return PB_ERR_DB;
	bind_text(day, 1, date);
	sqlite3_bind_int64(day, 2, (sqlite3_int64)n);
	bind_text(day, 3, now);
	int rc = sqlite3_step(day) == SQLITE_DONE ? 0 : db_error(a, err, "store day");
	sqlite3_finalize(day);
	if (rc)
		return rc;

	sqlite3_stmt *del = prepare(a, "DELETE FROM day_papers WHERE date = ?", err);
	if (!del)
		return PB_ERR_DB;
	bind_text(del, 1, date);
	rc = sqlite3_step(del) == SQLITE_DONE ? 0 : db_error(a, err, "clear day list");
	sqlite3_finalize(del);
	if (rc)
		return rc;

	sqlite3_stmt *ins = prepare(a, "INSERT INTO day_papers (date, paper_id, rank) VALUES (?,?,?)", err);
	if (!ins)
		return PB_ERR_DB;
	for (size_t i = 0; i < n && !rc; i++) {
		sqlite3_reset(ins);
		bind_text(ins, 1, date);
		bind_text(ins, 2, order[i]);
		sqlite3_bind_int64(ins, 3, (sqlite3_int64)i + 1);
		if (sqlite3_step(ins) != SQLITE_DONE)
			rc = db_error(a, err, "store day list");
	}
	sqlite3_finalize(ins);
	return rc;
}

int archive_store_day(struct archive *a, const char *date, const struct paper_list *papers,
		      const struct raw_page *pages, size_t n_pages, const char *source,
		      struct day_merge *merge, struct pb_err *err)
{
	memset(merge, 0, sizeof(*merge));
	char now[21];
	now_utc(now);
	char **old = NULL, **order = NULL;
	size_t n_old = 0, n_order = 0, cap_order = 0;
	sqlite3_stmt *st = NULL;
	if (begin(a, err))
		return PB_ERR_DB;
	int rc = load_day_ids(a, date, &old, &n_old, err);
	if (!rc)
		st = prepare(a, upsert_sql, err);
	if (!st)
		rc = PB_ERR_DB;
	for (size_t i = 0; i < papers->n && !rc; i++) {
		const struct paper *p = &papers->items[i];
		if (ids_contain(order, n_order, p->id))
			continue; /* the API repeated a paper across pages: keep its first place */
		rc = upsert_paper(a, st, p, now, &merge->changed, err);
		GROW(order, cap_order, n_order + 1);
		order[n_order++] = p->id;
		if (!ids_contain(old, n_old, p->id))
			merge->n_new++;
	}
	sqlite3_finalize(st);
	/* Papers listed before but missing from this response stay, after the API's order. */
	for (size_t i = 0; i < n_old && !rc; i++) {
		if (!ids_contain(order, n_order, old[i])) {
			GROW(order, cap_order, n_order + 1);
			order[n_order++] = old[i];
			merge->n_retained++;
		}
	}
	bool list_changed = n_old != n_order;
	for (size_t i = 0; i < n_order && !list_changed; i++)
		list_changed = strcmp(old[i], order[i]) != 0;
	if (!rc && list_changed) {
		rc = write_day_list(a, date, order, n_order, now, err);
		merge->changed = true;
	}
	if (!rc)
		rc = store_raw_pages(a, date, pages, n_pages, source, now, &merge->changed, err);
	merge->n_total = n_order;
	free(order); /* the strings belong to papers and old */
	free_ids(old, n_old);
	if (!rc)
		rc = commit(a, err);
	if (rc)
		rollback(a);
	return rc;
}

static const char load_sql[] =
	"SELECT p.id, p.title, p.abstract, p.authors, p.published_at, p.submitted_on_daily_at,"
	" p.upvotes, p.num_comments, p.github_repo, p.github_stars, p.project_page, p.ai_summary,"
	" p.ai_keywords, p.organization,"
	/* ?2 is NULL for the source language: its text is the translation's own. */
	" CASE WHEN ?2 IS NULL THEN t.title_zh ELSE v.title END,"
	" CASE WHEN ?2 IS NULL THEN t.abstract_zh ELSE v.abstract END,"
	" CASE WHEN ?2 IS NULL THEN t.summary_zh ELSE v.summary END, t.id"
	" FROM day_papers d JOIN papers p ON p.id = d.paper_id"
	" LEFT JOIN translations t ON t.id = ("
	"   SELECT id FROM translations WHERE paper_id = p.id AND abstract_hash = p.abstract_hash"
	"   ORDER BY created_at DESC, id DESC LIMIT 1)"
	/* Keyed by the chosen translation: a retranslation's new row has no variant yet. */
	" LEFT JOIN translation_variants v ON v.translation_id = t.id AND v.lang = ?2"
	" WHERE d.date = ?1 ORDER BY d.rank";

int archive_load_day(struct archive *a, const char *date, const char *lang,
		     struct paper_list *out, struct pb_err *err)
{
	sqlite3_stmt *st = prepare(a, load_sql, err);
	if (!st)
		return PB_ERR_DB;
	bind_text(st, 1, date);
	bind_text(st, 2, is_source_lang(lang) ? NULL : lang);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct paper *p = paper_list_push(out);
		p->id = column_text(st, 0);
		p->title = column_text(st, 1);
		p->abstract = column_text(st, 2);
		p->authors = column_text(st, 3);
		p->published_at = column_text(st, 4);
		p->submitted_on_daily_at = column_text(st, 5);
		p->upvotes = (long)sqlite3_column_int64(st, 6);
		p->num_comments = (long)sqlite3_column_int64(st, 7);
		p->github_repo = column_text(st, 8);
		p->github_stars = (long)sqlite3_column_int64(st, 9);
		p->project_page = column_text(st, 10);
		p->ai_summary = column_text(st, 11);
		p->ai_keywords = column_text(st, 12);
		p->organization = column_text(st, 13);
		p->title_zh = column_text(st, 14);
		p->abstract_zh = column_text(st, 15);
		p->summary_zh = column_text(st, 16);
		p->translation_id = sqlite3_column_int64(st, 17);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_error(a, err, "load day");
	if (out->n == 0) {
		pb_err_set(err, PB_ERR_NO_PAPERS, "the archive has no papers for %s", date);
		pb_err_hint(err, "run 'paperboy fetch --date %s' first", date);
		return PB_ERR_NO_PAPERS;
	}
	return 0;
}

int archive_day_counts(struct archive *a, const char *last_date, size_t n, struct day_count *out,
		       struct pb_err *err)
{
	struct pb_date last, first;
	if (date_parse(last_date, &last, err))
		return PB_ERR_USAGE;
	date_add_days(&last, -(int)n + 1, &first);
	for (size_t i = 0; i < n; i++) {
		struct pb_date d;
		date_add_days(&first, (int)i, &d);
		date_format(&d, out[i].date);
		out[i].count = 0;
		out[i].known = false;
	}
	/* A day is known once it was fetched: stored with its papers, or a fetch that found the
	 * day empty (a quiet weekend: no days row, a 'no-papers' run). The stored count wins. */
	sqlite3_stmt *st = prepare(a,
		"SELECT date, paper_count FROM days WHERE date BETWEEN ?1 AND ?2"
		" UNION ALL SELECT DISTINCT date, 0 FROM runs WHERE command = 'fetch'"
		" AND status = 'no-papers' AND date BETWEEN ?1 AND ?2"
		" AND date NOT IN (SELECT date FROM days WHERE date BETWEEN ?1 AND ?2)", err);
	if (!st)
		return PB_ERR_DB;
	bind_text(st, 1, out[0].date);
	bind_text(st, 2, last_date);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct pb_date d;
		if (date_parse((const char *)sqlite3_column_text(st, 0), &d, NULL))
			continue;
		long index = date_to_days(&d) - date_to_days(&first);
		if (index >= 0 && (size_t)index < n) {
			out[index].count = (long)sqlite3_column_int64(st, 1);
			out[index].known = true;
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_error(a, err, "read day counts");
}

int archive_day_range(struct archive *a, char first[11], char last[11], bool *any,
		      struct pb_err *err)
{
	*any = false;
	first[0] = last[0] = '\0';
	sqlite3_stmt *st = prepare(a, "SELECT MIN(date), MAX(date) FROM days", err);
	if (!st)
		return PB_ERR_DB;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
		snprintf(first, 11, "%s", (const char *)sqlite3_column_text(st, 0));
		snprintf(last, 11, "%s", (const char *)sqlite3_column_text(st, 1));
		*any = true;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : db_error(a, err, "read the archive's days");
}

int archive_list_days(struct archive *a, struct archive_day_list *out, struct pb_err *err)
{
	sqlite3_stmt *st = prepare(a, "SELECT date, paper_count FROM days WHERE paper_count > 0"
				      " ORDER BY date DESC", err);
	if (!st)
		return PB_ERR_DB;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		GROW(out->items, out->cap, out->n + 1);
		struct archive_day *d = &out->items[out->n++];
		snprintf(d->date, sizeof(d->date), "%s", (const char *)sqlite3_column_text(st, 0));
		d->papers = sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_error(a, err, "list the archive's days");
}

void archive_day_list_release(struct archive_day_list *l)
{
	free(l->items);
	memset(l, 0, sizeof(*l));
}

int archive_day_paper_areas(struct archive *a, const char *date, struct archive_paper_area_list *out,
			    struct pb_err *err)
{
	sqlite3_stmt *st = prepare(a, "SELECT paper_id, area FROM paper_areas WHERE date = ?"
				      " ORDER BY paper_id, area", err);
	if (!st)
		return PB_ERR_DB;
	bind_text(st, 1, date);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		GROW(out->items, out->cap, out->n + 1);
		out->items[out->n].paper_id = column_text(st, 0);
		out->items[out->n++].area = column_text(st, 1);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_error(a, err, "read the day's research areas");
}

void archive_paper_area_list_release(struct archive_paper_area_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->items[i].paper_id);
		free(l->items[i].area);
	}
	free(l->items);
	memset(l, 0, sizeof(*l));
}

static int put_artefact(struct archive *a, const char *date, const char *lang, const char *kind,
			const char *relpath, long long bytes, const char *now, struct pb_err *err)
{
	sqlite3_stmt *st = prepare(a,
		"INSERT INTO artefacts (date, lang, kind, path, bytes, created_at) VALUES (?,?,?,?,?,?)"
		" ON CONFLICT(date, lang, kind) DO UPDATE SET path = excluded.path,"
		" bytes = excluded.bytes, created_at = excluded.created_at", err);
	if (!st)
		return PB_ERR_DB;
	bind_text(st, 1, date);
	bind_text(st, 2, lang ? lang : "");
	bind_text(st, 3, kind);
	bind_text(st, 4, relpath);
	sqlite3_bind_int64(st, 5, bytes);
	bind_text(st, 6, now);
	return step_done(a, st, "record artefact", err);
}

int archive_put_audio(struct archive *a, const struct audio_record *r, struct pb_err *err)
{
	char now[21];
	now_utc(now);
	if (begin(a, err))
		return PB_ERR_DB;
	sqlite3_stmt *st = prepare(a,
		"INSERT OR REPLACE INTO audio (date, path, bytes, duration_ms, chapters, voice, created_at)"
		" VALUES (?,?,?,?,?,?,?)", err);
	if (!st) {
		rollback(a);
		return PB_ERR_DB;
	}
	bind_text(st, 1, r->date);
	bind_text(st, 2, r->path);
	sqlite3_bind_int64(st, 3, r->bytes);
	sqlite3_bind_int64(st, 4, r->duration_ms);
	sqlite3_bind_int(st, 5, r->chapters);
	bind_text(st, 6, r->voice);
	bind_text(st, 7, now);
	int rc = step_done(a, st, "record audio", err);
	if (!rc)
		rc = put_artefact(a, r->date, "", "audio", r->path, r->bytes, now, err);
	if (!rc)
		rc = commit(a, err);
	if (rc)
		rollback(a);
	return rc;
}

static void bind_tts_key(sqlite3_stmt *st, const struct tts_key *k)
{
	bind_text(st, 1, k->text);
	bind_text(st, 2, k->voice ? k->voice : "");
	bind_text(st, 3, k->model ? k->model : "");
	sqlite3_bind_double(st, 4, k->speed > 0 ? k->speed : 0.0);
	bind_text(st, 5, k->format ? k->format : "");
}

int archive_tts_get(struct archive *a, const struct tts_key *k, struct buf *audio, bool *found,
		    struct pb_err *err)
{
	*found = false;
	sqlite3_stmt *st = prepare(a, "SELECT audio FROM tts_cache WHERE text = ? AND voice = ?"
				      " AND model = ? AND speed = ? AND format = ?", err);
	if (!st)
		return PB_ERR_DB;
	bind_tts_key(st, k);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const void *blob = sqlite3_column_blob(st, 0);
		int len = sqlite3_column_bytes(st, 0);
		if (blob && len > 0) {
			sb_add(audio, blob, (size_t)len);
			*found = true;
		}
		rc = 0;
	} else {
		rc = rc == SQLITE_DONE ? 0 : db_error(a, err, "read the speech cache");
	}
	sqlite3_finalize(st);
	return rc;
}

int archive_tts_put(struct archive *a, const struct tts_key *k, const void *audio, size_t len,
		    struct pb_err *err)
{
	char now[21];
	now_utc(now);
	sqlite3_stmt *st = prepare(a, "INSERT OR REPLACE INTO tts_cache (text, voice, model, speed,"
				      " format, audio, chars, created_at) VALUES (?,?,?,?,?,?,?,?)", err);
	if (!st)
		return PB_ERR_DB;
	bind_tts_key(st, k);
	sqlite3_bind_blob(st, 6, audio, (int)len, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 7, (sqlite3_int64)utf8_length(k->text));
	bind_text(st, 8, now);
	return step_done(a, st, "store speech in the cache", err);
}

int archive_list_audio(struct archive *a, struct audio_record **out, size_t *n, struct pb_err *err)
{
	sqlite3_stmt *st = prepare(a, "SELECT date, path, bytes, duration_ms, chapters, voice FROM audio"
				      " ORDER BY date DESC", err);
	if (!st)
		return PB_ERR_DB;
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		GROW(*out, cap, *n + 1);
		struct audio_record *r = &(*out)[(*n)++];
		snprintf(r->date, sizeof(r->date), "%s", (const char *)sqlite3_column_text(st, 0));
		r->path = column_text(st, 1);
		r->bytes = sqlite3_column_int64(st, 2);
		r->duration_ms = sqlite3_column_int64(st, 3);
		r->chapters = sqlite3_column_int(st, 4);
		r->voice = column_text(st, 5);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_error(a, err, "list audio");
}

void audio_records_free(struct audio_record *r, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(r[i].path);
		free(r[i].voice);
	}
	free(r);
}

int archive_has_paper(struct archive *a, const char *paper_id, bool *has, struct pb_err *err)
{
	sqlite3_stmt *st = prepare(a, "SELECT 1 FROM papers WHERE id = ?", err);
	if (!st)
		return PB_ERR_DB;
	bind_text(st, 1, paper_id);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_error(a, err, "look up paper");
	*has = rc == SQLITE_ROW;
	return 0;
}

int archive_put_translation(struct archive *a, const struct translation *t, bool replace,
			    bool *inserted, struct pb_err *err)
{
	char now[21];
	now_utc(now);
	sqlite3_stmt *st = prepare(a, replace
		? "INSERT OR REPLACE INTO translations (paper_id, abstract_hash, model, prompt_version,"
		  " title_zh, abstract_zh, summary_zh, raw, tokens_in, tokens_out, created_at, warnings)"
		  " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)"
		: "INSERT OR IGNORE INTO translations (paper_id, abstract_hash, model, prompt_version,"
		  " title_zh, abstract_zh, summary_zh, raw, tokens_in, tokens_out, created_at, warnings)"
		  " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", err);
	if (!st)
		return PB_ERR_DB;
	bind_text(st, 1, t->paper_id);
	bind_text(st, 2, t->abstract_hash);
	bind_text(st, 3, t->model);
	bind_text(st, 4, t->prompt_version);
	bind_text(st, 5, t->title_zh);
	bind_text(st, 6, t->abstract_zh);
	bind_text(st, 7, t->summary_zh);
	bind_text(st, 8, t->raw);
	sqlite3_bind_int64(st, 9, t->tokens_in);
	sqlite3_bind_int64(st, 10, t->tokens_out);
	bind_text(st, 11, now);
	bind_text(st, 12, t->warnings);
	/* Autocommit: each paid answer is durable the moment this returns. */
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_error(a, err, "store translation");
	if (!rc && inserted)
		*inserted = sqlite3_changes(a->db) > 0;
	sqlite3_finalize(st);
	return rc;
}

int archive_has_translation(struct archive *a, const char *paper_id, const char *abstract_hash,
			    const char *model, const char *prompt_version, bool *has,
			    struct pb_err *err)
{
	sqlite3_stmt *st = prepare(a, "SELECT 1 FROM translations WHERE paper_id = ? AND"
				      " abstract_hash = ? AND model = ? AND prompt_version = ?", err);
	if (!st)
		return PB_ERR_DB;
	bind_text(st, 1, paper_id);
	bind_text(st, 2, abstract_hash);
	bind_text(st, 3, model);
	bind_text(st, 4, prompt_version);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_error(a, err, "look up translation");
	*has = rc == SQLITE_ROW;
	return 0;
}

static int put_variants(struct archive *a, const char *lang, const char *converter,
			const struct archive_variant *v, size_t n, struct pb_err *err)
{
	if (is_source_lang(lang)) {
		pb_err_set(err, PB_ERR_USAGE, "a variant in %s, the language translations are written in",
			   ARCHIVE_SOURCE_LANG);
		pb_err_hint(err, "store %s text with archive_put_translation", ARCHIVE_SOURCE_LANG);
		return PB_ERR_USAGE;
	}
	char now[21];
	now_utc(now);
	if (begin(a, err))
		return PB_ERR_DB;
	sqlite3_stmt *st = prepare(a,
		"INSERT INTO translation_variants (translation_id, lang, converter, title, abstract,"
		" summary, created_at) VALUES (?,?,?,?,?,?,?)"
		" ON CONFLICT(translation_id, lang) DO UPDATE SET converter = excluded.converter,"
		" title = excluded.title, abstract = excluded.abstract, summary = excluded.summary,"
		" created_at = excluded.created_at"
		/* Unchanged text is not rewritten, so converting a day twice keeps its insights. */
		" WHERE converter IS NOT excluded.converter OR title IS NOT excluded.title"
		" OR abstract IS NOT excluded.abstract OR summary IS NOT excluded.summary", err);
	int rc = st ? 0 : PB_ERR_DB;
	for (size_t i = 0; i < n && !rc; i++) {
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, v[i].translation_id);
		bind_text(st, 2, lang);
		bind_text(st, 3, converter);
		bind_text(st, 4, v[i].title);
		bind_text(st, 5, v[i].abstract);
		bind_text(st, 6, v[i].summary);
		bind_text(st, 7, now);
		if (sqlite3_step(st) != SQLITE_DONE) {
			char what[64];
			snprintf(what, sizeof(what), "store %s variant of translation %lld", lang,
				 v[i].translation_id);
			rc = db_error(a, err, what);
		}
	}
	sqlite3_finalize(st);
	if (!rc)
		rc = commit(a, err);
	if (rc)
		rollback(a);
	return rc;
}

int archive_put_variant(struct archive *a, long long translation_id, const char *lang,
			const char *converter, const char *title, const char *abstract,
			const char *summary, struct pb_err *err)
{
	struct archive_variant v = {translation_id, title, abstract, summary};
	return put_variants(a, lang, converter, &v, 1, err);
}

int archive_put_variants(struct archive *a, const char *lang, const char *converter,
			 const struct archive_variant *v, size_t n, struct pb_err *err)
{
	return put_variants(a, lang, converter, v, n, err);
}

int archive_log_answer(struct archive *a, const struct answer_log *e, struct pb_err *err)
{
	char now[21];
	now_utc(now);
	sqlite3_stmt *st = prepare(a,
		"INSERT INTO llm_answers (paper_id, model, prompt_version, attempt, verdict,"
		" finish_reason, content, tokens_in, tokens_out, received_at)"
		" VALUES (?,?,?,?,?,?,?,?,?,?)", err);
	if (!st)
		return PB_ERR_DB;
	bind_text(st, 1, e->paper_id);
	bind_text(st, 2, e->model);
	bind_text(st, 3, e->prompt_version);
	sqlite3_bind_int(st, 4, e->attempt);
	bind_text(st, 5, e->verdict);
	bind_text(st, 6, e->finish_reason);
	bind_text(st, 7, e->content);
	sqlite3_bind_int64(st, 8, e->tokens_in);
	sqlite3_bind_int64(st, 9, e->tokens_out);
	bind_text(st, 10, now);
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_error(a, err, "log answer");
	sqlite3_finalize(st);
	return rc;
}

int archive_run_begin(struct archive *a, const char *command, const char *date,
		      const char *lang, long long *run_id, struct pb_err *err)
{
	char now[21];
	now_utc(now);
	sqlite3_stmt *st = prepare(a, "INSERT INTO runs (command, date, lang, started_at)"
				      " VALUES (?,?,?,?)", err);
	if (!st)
		return PB_ERR_DB;
	bind_text(st, 1, command);
	bind_text(st, 2, date);
	bind_text(st, 3, lang);
	bind_text(st, 4, now);
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_error(a, err, "record run");
	sqlite3_finalize(st);
	if (!rc)
		*run_id = sqlite3_last_insert_rowid(a->db);
	return rc;
}

int archive_run_finish(struct archive *a, long long run_id, const char *status,
		       const char *detail, struct pb_err *err)
{
	char now[21];
	now_utc(now);
	sqlite3_stmt *st = prepare(a, "UPDATE runs SET finished_at = ?, status = ?, detail = ? WHERE id = ?", err);
	if (!st)
		return PB_ERR_DB;
	bind_text(st, 1, now);
	bind_text(st, 2, status);
	bind_text(st, 3, detail);
	sqlite3_bind_int64(st, 4, run_id);
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_error(a, err, "record run");
	sqlite3_finalize(st);
	return rc;
}

int archive_last_run(struct archive *a, const char *command, const char *date, const char *lang,
		     char status[16], bool *found, struct pb_err *err)
{
	status[0] = '\0';
	*found = false;
	sqlite3_stmt *st = prepare(a, "SELECT status FROM runs WHERE command = ? AND date IS ?"
				      " AND lang IS ? AND finished_at IS NOT NULL"
				      " ORDER BY id DESC LIMIT 1", err);
	if (!st)
		return PB_ERR_DB;
	bind_text(st, 1, command);
	bind_text(st, 2, date);
	bind_text(st, 3, lang);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const unsigned char *s = sqlite3_column_text(st, 0);
		snprintf(status, 16, "%s", s ? (const char *)s : "");
		*found = true;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_error(a, err, "read last run");
	return 0;
}

static const char *lang_or_source(const char *lang)
{
	return lang ? lang : ARCHIVE_SOURCE_LANG;
}

int archive_put_day_insights(struct archive *a, const char *date, const char *lang,
			     size_t papers, const struct archive_paper_area *areas,
			     size_t n_areas, const struct archive_keyword *keywords,
			     size_t n_keywords, struct pb_err *err)
{
	bool source = is_source_lang(lang);
	lang = lang_or_source(lang);
	if (!source && n_areas) {
		pb_err_set(err, PB_ERR_USAGE, "areas given with the %s insights of %s", lang, date);
		pb_err_hint(err, "areas are language-independent: store them with the %s insights",
			    ARCHIVE_SOURCE_LANG);
		return PB_ERR_USAGE;
	}
	char now[21];
	now_utc(now);
	if (begin(a, err))
		return PB_ERR_DB;
	/* Deleting the row takes its keywords (foreign key) and, for zh-CN, the areas (trigger). */
	sqlite3_stmt *st = prepare(a, "DELETE FROM day_insights WHERE date = ? AND lang = ?", err);
	int rc = st ? 0 : PB_ERR_DB;
	if (!rc) {
		bind_text(st, 1, date);
		bind_text(st, 2, lang);
		rc = step_done(a, st, "clear day insights", err);
	}
	if (!rc && source) {
		/* The trigger clears the areas of an existing row; this, any without one. */
		st = prepare(a, "DELETE FROM paper_areas WHERE date = ?", err);
		rc = st ? 0 : PB_ERR_DB;
		if (!rc) {
			bind_text(st, 1, date);
			rc = step_done(a, st, "clear paper areas", err);
		}
	}
	if (!rc) {
		st = prepare(a, "INSERT INTO day_insights (date, lang, papers, computed_at)"
				" VALUES (?,?,?,?)", err);
		rc = st ? 0 : PB_ERR_DB;
	}
	if (!rc) {
		bind_text(st, 1, date);
		bind_text(st, 2, lang);
		sqlite3_bind_int64(st, 3, (sqlite3_int64)papers);
		bind_text(st, 4, now);
		rc = step_done(a, st, "store day insights", err);
	}
	if (!rc && n_areas) {
		st = prepare(a, "INSERT OR IGNORE INTO paper_areas (date, paper_id, area) VALUES (?,?,?)",
			     err);
		rc = st ? 0 : PB_ERR_DB;
		for (size_t i = 0; i < n_areas && !rc; i++) {
			sqlite3_reset(st);
			bind_text(st, 1, date);
			bind_text(st, 2, areas[i].paper_id);
			bind_text(st, 3, areas[i].area);
			if (sqlite3_step(st) != SQLITE_DONE)
				rc = db_error(a, err, "store paper areas");
		}
		sqlite3_finalize(st);
	}
	if (!rc && n_keywords) {
		st = prepare(a, "INSERT INTO day_keywords (date, lang, rank, word, count)"
				" VALUES (?,?,?,?,?)", err);
		rc = st ? 0 : PB_ERR_DB;
		for (size_t i = 0; i < n_keywords && !rc; i++) {
			sqlite3_reset(st);
			bind_text(st, 1, date);
			bind_text(st, 2, lang);
			sqlite3_bind_int64(st, 3, (sqlite3_int64)i + 1);
			bind_text(st, 4, keywords[i].word);
			sqlite3_bind_int64(st, 5, keywords[i].count);
			if (sqlite3_step(st) != SQLITE_DONE)
				rc = db_error(a, err, "store day keywords");
		}
		sqlite3_finalize(st);
	}
	if (!rc)
		rc = commit(a, err);
	if (rc)
		rollback(a);
	return rc;
}

int archive_day_insights_known(struct archive *a, const char *date, const char *lang,
			       bool *known, struct pb_err *err)
{
	sqlite3_stmt *st = prepare(a, "SELECT 1 FROM day_insights WHERE date = ? AND lang = ?", err);
	if (!st)
		return PB_ERR_DB;
	bind_text(st, 1, date);
	bind_text(st, 2, lang_or_source(lang));
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_error(a, err, "look up day insights");
	*known = rc == SQLITE_ROW;
	return 0;
}

int archive_window_missing_insights(struct archive *a, const char *last_date, size_t days,
				    const char *lang, struct archive_date_list *out,
				    struct pb_err *err)
{
	char first[11];
	if (window_first(last_date, days, first, err))
		return PB_ERR_USAGE;
	sqlite3_stmt *st = prepare(a,
		"SELECT d.date FROM days d WHERE d.date BETWEEN ?1 AND ?2 AND NOT EXISTS ("
		" SELECT 1 FROM day_insights i WHERE i.date = d.date AND i.lang = ?3) ORDER BY d.date",
		err);
	if (!st)
		return PB_ERR_DB;
	bind_text(st, 1, first);
	bind_text(st, 2, last_date);
	bind_text(st, 3, lang_or_source(lang));
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		GROW(out->items, out->cap, out->n + 1);
		snprintf(out->items[out->n++].date, sizeof(out->items[0].date), "%s",
			 (const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_error(a, err, "read days without insights");
}

int archive_window_keywords(struct archive *a, const char *last_date, size_t days,
			    const char *lang, size_t max, struct archive_keyword_list *out,
			    struct pb_err *err)
{
	char first[11];
	if (window_first(last_date, days, first, err))
		return PB_ERR_USAGE;
	/* Only known days have keywords: forgetting insights deletes their keywords too. */
	sqlite3_stmt *st = prepare(a,
		"SELECT word, sum(count) AS n FROM day_keywords WHERE date BETWEEN ?1 AND ?2"
		" AND lang = ?3 GROUP BY word ORDER BY n DESC, word LIMIT ?4", err);
	if (!st)
		return PB_ERR_DB;
	bind_text(st, 1, first);
	bind_text(st, 2, last_date);
	bind_text(st, 3, lang_or_source(lang));
	sqlite3_bind_int64(st, 4, max ? (sqlite3_int64)max : -1);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		GROW(out->items, out->cap, out->n + 1);
		struct archive_keyword_count *k = &out->items[out->n++];
		k->word = column_text(st, 0);
		k->count = (long)sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_error(a, err, "read window keywords");
}

int archive_window_areas(struct archive *a, const char *last_date, size_t days,
			 struct archive_area_list *out, struct pb_err *err)
{
	char first[11];
	if (window_first(last_date, days, first, err))
		return PB_ERR_USAGE;
	sqlite3_stmt *st = prepare(a,
		"SELECT area, count(*) AS n FROM paper_areas WHERE date BETWEEN ?1 AND ?2"
		" GROUP BY area ORDER BY n DESC, area", err);
	if (!st)
		return PB_ERR_DB;
	bind_text(st, 1, first);
	bind_text(st, 2, last_date);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		GROW(out->items, out->cap, out->n + 1);
		struct archive_area_count *c = &out->items[out->n++];
		c->area = column_text(st, 0);
		c->papers = (long)sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_error(a, err, "read window areas");
}

void archive_keyword_list_release(struct archive_keyword_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->items[i].word);
	free(l->items);
	memset(l, 0, sizeof(*l));
}

void archive_area_list_release(struct archive_area_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->items[i].area);
	free(l->items);
	memset(l, 0, sizeof(*l));
}

void archive_date_list_release(struct archive_date_list *l)
{
	free(l->items);
	memset(l, 0, sizeof(*l));
}

int archive_put_artefact(struct archive *a, const char *date, const char *lang, const char *kind,
			 const char *relpath, long long bytes, struct pb_err *err)
{
	char now[21];
	now_utc(now);
	return put_artefact(a, date, lang, kind, relpath, bytes, now, err);
}

int archive_get_artefact(struct archive *a, const char *date, const char *lang, const char *kind,
			 char **relpath, bool *found, struct pb_err *err)
{
	*relpath = NULL;
	*found = false;
	sqlite3_stmt *st = prepare(a, "SELECT path FROM artefacts WHERE date = ? AND lang = ?"
				      " AND kind = ?", err);
	if (!st)
		return PB_ERR_DB;
	bind_text(st, 1, date);
	bind_text(st, 2, lang ? lang : "");
	bind_text(st, 3, kind);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*relpath = column_text(st, 0);
		*found = true;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_error(a, err, "look up artefact");
	return 0;
}

int archive_record_artefact(struct archive *a, const struct layout *lay, enum artefact kind,
			    const char *date, const char *lang, struct pb_err *err)
{
	char *rel = layout_relpath(kind, date, lang);
	char *path = layout_path(lay, kind, date, lang);
	long long bytes = fs_file_size(path);
	int rc = bytes < 0 ? pb_err_set(err, PB_ERR_IO, "'%s' was not written", path)
			   : archive_put_artefact(a, date, layout_has_lang(kind) ? lang : NULL,
						  layout_kind_name(kind), rel, bytes, err);
	free(rel);
	free(path);
	return rc;
}

/* ---- deliveries and alerts -------------------------------------------------------------- */

static void bind_ref(sqlite3_stmt *st, int first, const struct delivery_ref *ref)
{
	bind_text(st, first, ref->date);
	bind_text(st, first + 1, ref->lang);
	bind_text(st, first + 2, ref->channel);
	bind_text(st, first + 3, ref->recipient ? ref->recipient : "");
	sqlite3_bind_int(st, first + 4, ref->part);
}

int archive_delivery_status(struct archive *a, const struct delivery_ref *ref,
			    enum delivery_status *status, struct pb_err *err)
{
	*status = DELIVERY_NONE;
	sqlite3_stmt *st = prepare(a, "SELECT status FROM deliveries WHERE date = ? AND lang = ?"
				      " AND channel = ? AND recipient = ? AND part = ?", err);
	if (!st)
		return PB_ERR_DB;
	bind_ref(st, 1, ref);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const char *s = (const char *)sqlite3_column_text(st, 0);
		*status = !s ? DELIVERY_NONE
			: !strcmp(s, "sent") ? DELIVERY_SENT
			: !strcmp(s, "sending") ? DELIVERY_SENDING : DELIVERY_FAILED;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_error(a, err, "read delivery");
}

int archive_delivery_begin(struct archive *a, const struct delivery_ref *ref, const char *kind,
			   const char *payload_hash, struct pb_err *err)
{
	char now[21];
	now_utc(now);
	/* Autocommit: the row is durable before the message goes out. */
	sqlite3_stmt *st = prepare(
		a, "INSERT INTO deliveries (date, lang, channel, recipient, part, kind, payload_hash,"
		   " status, attempts, updated_at) VALUES (?,?,?,?,?,?,?,'sending',1,?)"
		   " ON CONFLICT (date, lang, channel, recipient, part) DO UPDATE SET"
		   " kind = excluded.kind, payload_hash = excluded.payload_hash, status = 'sending',"
		   " message_id = NULL, detail = NULL, attempts = attempts + 1,"
		   " updated_at = excluded.updated_at", err);
	if (!st)
		return PB_ERR_DB;
	bind_ref(st, 1, ref);
	bind_text(st, 6, kind);
	bind_text(st, 7, payload_hash);
	bind_text(st, 8, now);
	return step_done(a, st, "record delivery", err);
}

int archive_delivery_finish(struct archive *a, const struct delivery_ref *ref, bool sent,
			    const char *message_id, const char *detail, struct pb_err *err)
{
	char now[21];
	now_utc(now);
	sqlite3_stmt *st = prepare(a, "UPDATE deliveries SET status = ?, message_id = ?, detail = ?,"
				      " updated_at = ? WHERE date = ? AND lang = ? AND channel = ?"
				      " AND recipient = ? AND part = ?", err);
	if (!st)
		return PB_ERR_DB;
	bind_text(st, 1, sent ? "sent" : "failed");
	bind_text(st, 2, message_id && *message_id ? message_id : NULL);
	bind_text(st, 3, detail);
	bind_text(st, 4, now);
	bind_ref(st, 5, ref);
	return step_done(a, st, "record delivery", err);
}

int archive_list_deliveries(struct archive *a, const char *first_date,
			    struct archive_delivery_list *out, struct pb_err *err)
{
	sqlite3_stmt *st = prepare(a, "SELECT date, lang, channel, kind, recipient, part, status,"
				      " message_id, detail, updated_at FROM deliveries WHERE date >= ?"
				      " ORDER BY date, channel, lang, recipient, part", err);
	if (!st)
		return PB_ERR_DB;
	bind_text(st, 1, first_date ? first_date : "");
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		GROW(out->items, out->cap, out->n + 1);
		struct archive_delivery *d = &out->items[out->n++];
		d->date = column_text(st, 0);
		d->lang = column_text(st, 1);
		d->channel = column_text(st, 2);
		d->kind = column_text(st, 3);
		d->recipient = column_text(st, 4);
		d->part = sqlite3_column_int(st, 5);
		d->status = column_text(st, 6);
		d->message_id = column_text(st, 7);
		d->detail = column_text(st, 8);
		d->updated_at = column_text(st, 9);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_error(a, err, "list deliveries");
}

void archive_delivery_list_release(struct archive_delivery_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		struct archive_delivery *d = &l->items[i];
		free(d->date);
		free(d->lang);
		free(d->channel);
		free(d->kind);
		free(d->recipient);
		free(d->status);
		free(d->message_id);
		free(d->detail);
		free(d->updated_at);
	}
	free(l->items);
	memset(l, 0, sizeof(*l));
}

int archive_alert_seen(struct archive *a, const char *problem, bool *seen, struct pb_err *err)
{
	*seen = false;
	sqlite3_stmt *st = prepare(a, "SELECT 1 FROM alerts WHERE problem = ?", err);
	if (!st)
		return PB_ERR_DB;
	bind_text(st, 1, problem);
	int rc = sqlite3_step(st);
	*seen = rc == SQLITE_ROW;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_error(a, err, "read alerts");
}

int archive_alert_put(struct archive *a, const char *problem, const char *channel, const char *text,
		      struct pb_err *err)
{
	char now[21];
	now_utc(now);
	sqlite3_stmt *st = prepare(a, "INSERT OR REPLACE INTO alerts (problem, channel, text, sent_at)"
				      " VALUES (?,?,?,?)", err);
	if (!st)
		return PB_ERR_DB;
	bind_text(st, 1, problem);
	bind_text(st, 2, channel);
	bind_text(st, 3, text);
	bind_text(st, 4, now);
	return step_done(a, st, "record alert", err);
}

int archive_list_runs(struct archive *a, const char *since, struct archive_run_list *out,
		      struct pb_err *err)
{
	sqlite3_stmt *st = prepare(a, "SELECT id, command, date, lang, status, detail, started_at,"
				      " finished_at FROM runs WHERE started_at >= ? ORDER BY id", err);
	if (!st)
		return PB_ERR_DB;
	bind_text(st, 1, since ? since : "");
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		GROW(out->items, out->cap, out->n + 1);
		struct archive_run *r = &out->items[out->n++];
		r->id = sqlite3_column_int64(st, 0);
		r->command = column_text(st, 1);
		r->date = column_text(st, 2);
		r->lang = column_text(st, 3);
		r->status = column_text(st, 4);
		r->detail = column_text(st, 5);
		r->started_at = column_text(st, 6);
		r->finished_at = column_text(st, 7);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_error(a, err, "list runs");
}

void archive_run_list_release(struct archive_run_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		struct archive_run *r = &l->items[i];
		free(r->command);
		free(r->date);
		free(r->lang);
		free(r->status);
		free(r->detail);
		free(r->started_at);
		free(r->finished_at);
	}
	free(l->items);
	memset(l, 0, sizeof(*l));
}

bool archive_was_full(const struct archive *a)
{
	return a->full;
}
