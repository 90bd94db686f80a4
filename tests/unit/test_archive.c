/* Unit tests for archive: migrations, merges, translations, variants, insights, artefacts, runs. */
#include "core/common.h"

#include "archive/archive.h"
#include "core/data.h"
#include "harness.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <unistd.h>

static void add_paper(struct paper_list *l, const char *id, const char *abstract)
{
	struct paper *p = paper_list_push(l);
	p->id = xstrdup(id);
	p->title = xasprintf("Title %s", id);
	p->abstract = xstrdup(abstract);
	p->authors = xstrdup("[\"A\"]");
	p->published_at = xstrdup("2025-12-24T00:00:00.000Z");
}

static struct archive *open_fresh(const char *dir, const char *name)
{
	char *path = xasprintf("%s/%s", dir, name);
	struct archive *a = NULL;
	struct pb_err err = PB_ERR_INIT;
	CHECK_INT(archive_open(path, &a, &err), 0);
	free(path);
	return a;
}

static void store(struct archive *a, const char *date, const char *const *ids, size_t n)
{
	struct paper_list l = {0};
	for (size_t i = 0; i < n; i++) {
		char *abstract = xasprintf("abstract %s", ids[i]);
		add_paper(&l, ids[i], abstract);
		free(abstract);
	}
	struct day_merge m;
	struct pb_err err = PB_ERR_INIT;
	CHECK_INT(archive_store_day(a, date, &l, NULL, 0, "api", &m, &err), 0);
	paper_list_release(&l);
}

static void translate(struct archive *a, const char *id, const char *model, const char *title)
{
	char *abstract = xasprintf("abstract %s", id);
	char hash[65];
	archive_abstract_hash(abstract, hash);
	struct translation t = {id, hash, model, "v1", title, "摘要", "总结", NULL, 1, 1, NULL};
	struct pb_err err = PB_ERR_INIT;
	CHECK_INT(archive_put_translation(a, &t, false, NULL, &err), 0);
	free(abstract);
}

static int user_version(const char *path)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int v = -1;
	if (sqlite3_open(path, &db) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

/* A version-3 archive, as the previous release left it, opens and migrates in place. */
static void test_migration(const char *dir)
{
	char *path = xasprintf("%s/v3.db", dir);
	sqlite3 *db = NULL;
	CHECK_INT(sqlite3_open(path, &db), SQLITE_OK);
	for (int v = 1; v <= 3; v++) {
		char name[32];
		snprintf(name, sizeof(name), "data/schema/%03d.sql", v);
		const char *sql = data_get(name, NULL);
		CHECK(sql != NULL);
		CHECK_INT(sqlite3_exec(db, sql ? sql : "", NULL, NULL, NULL), SQLITE_OK);
	}
	char hash[65];
	archive_abstract_hash("old abstract", hash);
	char *fill = xasprintf(
		"PRAGMA user_version = 3;"
		"INSERT INTO papers (id, title, abstract, abstract_hash, authors, published_at,"
		" first_seen_at, updated_at) VALUES ('9', 'Old', 'old abstract', '%s', '[]',"
		" '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z');"
		"INSERT INTO days VALUES ('2025-01-01', 1, '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z');"
		"INSERT INTO day_papers VALUES ('2025-01-01', '9', 1);"
		"INSERT INTO translations (paper_id, abstract_hash, model, prompt_version, title_zh,"
		" abstract_zh, created_at) VALUES ('9', '%s', 'm', 'v1', '旧标题', '旧摘要',"
		" '2025-01-01T00:00:00Z');"
		"INSERT INTO runs (command, date, started_at, finished_at, status)"
		" VALUES ('fetch', '2025-01-01', '2025-01-01T00:00:00Z', '2025-01-01T00:00:01Z', 'ok');"
		"INSERT INTO audio VALUES ('2025-01-01', 'audio/2025-01-01_daily_papers.mp3', 1234, 60000,"
		" 1, 'espeak-ng:cmn', '2025-01-01T00:00:00Z');", hash, hash);
	CHECK_INT(sqlite3_exec(db, fill, NULL, NULL, NULL), SQLITE_OK);
	free(fill);
	sqlite3_close(db);
	CHECK_INT(user_version(path), 3);

	struct archive *a = NULL;
	struct pb_err err = PB_ERR_INIT;
	CHECK_INT(archive_open(path, &a, &err), 0);
	CHECK_INT(user_version(path), ARCHIVE_SCHEMA_VERSION);
	CHECK_INT(ARCHIVE_SCHEMA_VERSION, 6);
	struct paper_list l = {0};
	CHECK_INT(archive_load_day(a, "2025-01-01", NULL, &l, &err), 0);
	CHECK_INT(l.n, 1);
	CHECK_STR(l.items[0].title_zh, "旧标题");
	CHECK(l.items[0].translation_id > 0);
	paper_list_release(&l);
	CHECK_INT(archive_load_day(a, "2025-01-01", "zh-TW", &l, &err), 0);
	CHECK(l.items[0].title_zh == NULL);
	CHECK(l.items[0].translation_id > 0);
	paper_list_release(&l);
	struct audio_record *rec = NULL;
	size_t n = 0;
	CHECK_INT(archive_list_audio(a, &rec, &n, &err), 0);
	CHECK_INT(n, 1);
	audio_records_free(rec, n);
	/* The old broadcast is an artefact now. */
	char *rel = NULL;
	bool found = false;
	CHECK_INT(archive_get_artefact(a, "2025-01-01", NULL, "audio", &rel, &found, &err), 0);
	CHECK(found);
	CHECK_STR(rel, "audio/2025-01-01_daily_papers.mp3");
	free(rel);
	/* Old runs have no language. */
	char status[16];
	CHECK_INT(archive_last_run(a, "fetch", "2025-01-01", NULL, status, &found, &err), 0);
	CHECK(found);
	CHECK_STR(status, "ok");
	archive_close(a);
	/* Opening again migrates nothing. */
	CHECK_INT(archive_open(path, &a, &err), 0);
	CHECK_INT(user_version(path), ARCHIVE_SCHEMA_VERSION);
	archive_close(a);
	free(path);
}

static void test_variants(const char *dir)
{
	struct archive *a = open_fresh(dir, "variants.db");
	struct pb_err err = PB_ERR_INIT;
	const char *ids[] = {"1", "2"};
	store(a, "2025-12-26", ids, 2);
	translate(a, "1", "m", "软件信息");

	struct paper_list l = {0};
	CHECK_INT(archive_load_day(a, "2025-12-26", "zh-TW", &l, &err), 0);
	long long tid = l.items[0].translation_id;
	CHECK(tid > 0);
	CHECK(l.items[0].title_zh == NULL); /* not converted yet */
	CHECK(l.items[0].abstract_zh == NULL);
	CHECK_INT(l.items[1].translation_id, 0);
	paper_list_release(&l);

	CHECK_INT(archive_put_variant(a, tid, "zh-TW", "opencc:s2twp.json", "軟體資訊", "摘要",
				      NULL, &err), 0);
	CHECK_INT(archive_load_day(a, "2025-12-26", "zh-TW", &l, &err), 0);
	CHECK_STR(l.items[0].title_zh, "軟體資訊");
	CHECK_STR(l.items[0].abstract_zh, "摘要");
	CHECK(l.items[0].summary_zh == NULL);
	CHECK_INT(l.items[0].translation_id, tid);
	paper_list_release(&l);
	/* zh-CN, spelled either way, is the translation's own text. */
	CHECK_INT(archive_load_day(a, "2025-12-26", "zh-CN", &l, &err), 0);
	CHECK_STR(l.items[0].title_zh, "软件信息");
	CHECK_STR(l.items[0].summary_zh, "总结");
	CHECK_INT(l.items[0].translation_id, tid);
	paper_list_release(&l);
	CHECK_INT(archive_load_day(a, "2025-12-26", NULL, &l, &err), 0);
	CHECK_STR(l.items[0].title_zh, "软件信息");
	paper_list_release(&l);

	/* Upsert: converting again replaces the text. */
	CHECK_INT(archive_put_variant(a, tid, "zh-TW", "opencc:s2twp.json", "軟體資訊二", "摘要",
				      "總結", &err), 0);
	CHECK_INT(archive_load_day(a, "2025-12-26", "zh-TW", &l, &err), 0);
	CHECK_STR(l.items[0].title_zh, "軟體資訊二");
	CHECK_STR(l.items[0].summary_zh, "總結");
	paper_list_release(&l);

	/* No variant in the source language; none of an unknown translation. */
	CHECK_INT(archive_put_variant(a, tid, "zh-CN", "x", "t", "a", NULL, &err), PB_ERR_USAGE);
	pb_err_clear(&err);
	CHECK_INT(archive_put_variant(a, 9999, "zh-TW", "x", "t", "a", NULL, &err), PB_ERR_DB);
	CHECK_CONTAINS(err.msg, "9999");
	pb_err_clear(&err);

	/* A batch is all or nothing. */
	translate(a, "2", "m", "标题二");
	CHECK_INT(archive_load_day(a, "2025-12-26", NULL, &l, &err), 0);
	long long tid2 = l.items[1].translation_id;
	paper_list_release(&l);
	struct archive_variant batch[] = {{tid2, "標題二", "摘要", NULL}, {9999, "x", "y", NULL}};
	CHECK_INT(archive_put_variants(a, "zh-TW", "opencc:s2twp.json", batch, 2, &err), PB_ERR_DB);
	pb_err_clear(&err);
	CHECK_INT(archive_load_day(a, "2025-12-26", "zh-TW", &l, &err), 0);
	CHECK(l.items[1].title_zh == NULL);
	paper_list_release(&l);
	CHECK_INT(archive_put_variants(a, "zh-TW", "opencc:s2twp.json", batch, 1, &err), 0);
	CHECK_INT(archive_load_day(a, "2025-12-26", "zh-TW", &l, &err), 0);
	CHECK_STR(l.items[1].title_zh, "標題二");
	paper_list_release(&l);

	/* A retranslation is a new row: the old variant no longer shows. */
	translate(a, "1", "m2", "软件资讯");
	CHECK_INT(archive_load_day(a, "2025-12-26", "zh-TW", &l, &err), 0);
	CHECK(l.items[0].translation_id != tid);
	CHECK(l.items[0].translation_id > 0);
	CHECK(l.items[0].title_zh == NULL);
	CHECK_STR(l.items[1].title_zh, "標題二");
	paper_list_release(&l);
	CHECK_INT(archive_load_day(a, "2025-12-26", NULL, &l, &err), 0);
	CHECK_STR(l.items[0].title_zh, "软件资讯");
	paper_list_release(&l);

	/* Replacing a translation that has a variant replaces the row and drops the variant. */
	char hash[65];
	archive_abstract_hash("abstract 2", hash);
	struct translation again = {"2", hash, "m", "v1", "标题二新", "摘要", NULL, NULL, 1, 1, NULL};
	CHECK_INT(archive_put_translation(a, &again, true, NULL, &err), 0);
	CHECK_INT(archive_load_day(a, "2025-12-26", "zh-TW", &l, &err), 0);
	CHECK(l.items[1].title_zh == NULL);
	paper_list_release(&l);
	CHECK_INT(archive_load_day(a, "2025-12-26", NULL, &l, &err), 0);
	CHECK_STR(l.items[1].title_zh, "标题二新");
	paper_list_release(&l);
	archive_close(a);
}

static bool known(struct archive *a, const char *date, const char *lang)
{
	struct pb_err err = PB_ERR_INIT;
	bool k = false;
	CHECK_INT(archive_day_insights_known(a, date, lang, &k, &err), 0);
	return k;
}

static void test_insights(const char *dir)
{
	struct archive *a = open_fresh(dir, "insights.db");
	struct pb_err err = PB_ERR_INIT;
	const char *d1[] = {"1", "2"}, *d2[] = {"2", "3"};
	store(a, "2025-12-25", d1, 2);
	store(a, "2025-12-26", d2, 2);

	struct archive_date_list missing = {0};
	CHECK_INT(archive_window_missing_insights(a, "2025-12-26", 7, NULL, &missing, &err), 0);
	CHECK_INT(missing.n, 2);
	CHECK_STR(missing.items[0].date, "2025-12-25");
	CHECK_STR(missing.items[1].date, "2025-12-26");
	archive_date_list_release(&missing);
	CHECK(!known(a, "2025-12-25", NULL));

	struct archive_paper_area a1[] = {{"1", "强化学习"}, {"2", "多模态"}, {"2", "强化学习"}};
	struct archive_keyword k1[] = {{"强化学习", 3}, {"模型", 2}};
	CHECK_INT(archive_put_day_insights(a, "2025-12-25", "zh-CN", 2, a1, 3, k1, 2, &err), 0);
	struct archive_paper_area a2[] = {{"2", "多模态"}, {"3", "多模态"}};
	struct archive_keyword k2[] = {{"模型", 2}, {"数据", 1}, {"多模态", 1}};
	CHECK_INT(archive_put_day_insights(a, "2025-12-26", NULL, 2, a2, 2, k2, 3, &err), 0);
	CHECK(known(a, "2025-12-25", NULL));
	CHECK(known(a, "2025-12-26", "zh-CN"));
	CHECK(!known(a, "2025-12-26", "zh-TW"));
	CHECK_INT(archive_window_missing_insights(a, "2025-12-26", 7, "zh-CN", &missing, &err), 0);
	CHECK_INT(missing.n, 0);
	archive_date_list_release(&missing);

	struct archive_keyword_list kw = {0};
	CHECK_INT(archive_window_keywords(a, "2025-12-26", 2, NULL, 3, &kw, &err), 0);
	CHECK_INT(kw.n, 3);
	CHECK_STR(kw.items[0].word, "模型");
	CHECK_INT(kw.items[0].count, 4);
	CHECK_STR(kw.items[1].word, "强化学习");
	CHECK_INT(kw.items[1].count, 3);
	CHECK_STR(kw.items[2].word, "多模态"); /* ties with 数据 (1): by bytes, E5 < E6 */
	archive_keyword_list_release(&kw);
	CHECK_INT(archive_window_keywords(a, "2025-12-26", 2, NULL, 0, &kw, &err), 0);
	CHECK_INT(kw.n, 4);
	archive_keyword_list_release(&kw);
	/* A window of one day sees only that day. */
	CHECK_INT(archive_window_keywords(a, "2025-12-25", 1, NULL, 0, &kw, &err), 0);
	CHECK_INT(kw.n, 2);
	CHECK_STR(kw.items[0].word, "强化学习");
	archive_keyword_list_release(&kw);

	struct archive_area_list ar = {0};
	CHECK_INT(archive_window_areas(a, "2025-12-26", 2, &ar, &err), 0);
	CHECK_INT(ar.n, 2);
	CHECK_STR(ar.items[0].area, "多模态");
	CHECK_INT(ar.items[0].papers, 3);
	CHECK_STR(ar.items[1].area, "强化学习");
	CHECK_INT(ar.items[1].papers, 2);
	archive_area_list_release(&ar);

	/* Other languages: keywords of their own, no areas. */
	CHECK_INT(archive_put_day_insights(a, "2025-12-26", "zh-TW", 2, a2, 2, k2, 3, &err),
		  PB_ERR_USAGE);
	pb_err_clear(&err);
	struct archive_keyword ktw[] = {{"模型", 5}};
	CHECK_INT(archive_put_day_insights(a, "2025-12-26", "zh-TW", 2, NULL, 0, ktw, 1, &err), 0);
	CHECK(known(a, "2025-12-26", "zh-TW"));
	CHECK_INT(archive_window_keywords(a, "2025-12-26", 2, "zh-TW", 0, &kw, &err), 0);
	CHECK_INT(kw.n, 1);
	CHECK_INT(kw.items[0].count, 5);
	archive_keyword_list_release(&kw);
	CHECK_INT(archive_window_missing_insights(a, "2025-12-26", 2, "zh-TW", &missing, &err), 0);
	CHECK_INT(missing.n, 1);
	CHECK_STR(missing.items[0].date, "2025-12-25");
	archive_date_list_release(&missing);

	/* Storing again replaces; a day with no keywords is still known. */
	CHECK_INT(archive_put_day_insights(a, "2025-12-25", NULL, 2, a1, 1, NULL, 0, &err), 0);
	CHECK(known(a, "2025-12-25", NULL));
	CHECK_INT(archive_window_keywords(a, "2025-12-25", 1, NULL, 0, &kw, &err), 0);
	CHECK_INT(kw.n, 0);
	archive_keyword_list_release(&kw);
	CHECK_INT(archive_window_areas(a, "2025-12-25", 1, &ar, &err), 0);
	CHECK_INT(ar.n, 1);
	CHECK_INT(ar.items[0].papers, 1);
	archive_area_list_release(&ar);
	CHECK_INT(archive_put_day_insights(a, "2025-12-25", NULL, 2, a1, 3, k1, 2, &err), 0);

	/* The same answer again, or only new upvotes, keeps the insights. */
	store(a, "2025-12-26", d2, 2);
	CHECK(known(a, "2025-12-26", NULL));
	struct paper_list votes = {0};
	add_paper(&votes, "2", "abstract 2");
	add_paper(&votes, "3", "abstract 3");
	votes.items[0].upvotes = 42;
	struct day_merge m;
	CHECK_INT(archive_store_day(a, "2025-12-26", &votes, NULL, 0, "api", &m, &err), 0);
	CHECK(m.changed);
	CHECK(known(a, "2025-12-26", NULL));
	CHECK(known(a, "2025-12-25", NULL));
	paper_list_release(&votes);

	/* A new translation of a listed paper forgets every language of the days listing it. */
	translate(a, "3", "m", "标题三");
	CHECK(known(a, "2025-12-25", NULL));
	CHECK(!known(a, "2025-12-26", NULL));
	CHECK(!known(a, "2025-12-26", "zh-TW"));
	CHECK_INT(archive_window_areas(a, "2025-12-26", 1, &ar, &err), 0);
	CHECK_INT(ar.n, 0); /* the areas went with the zh-CN insights */
	archive_area_list_release(&ar);
	CHECK_INT(archive_window_keywords(a, "2025-12-26", 1, NULL, 0, &kw, &err), 0);
	CHECK_INT(kw.n, 0);
	archive_keyword_list_release(&kw);

	/* A variant forgets only its own language; a changed list forgets the day. */
	CHECK_INT(archive_put_day_insights(a, "2025-12-26", NULL, 2, a2, 2, k2, 3, &err), 0);
	CHECK_INT(archive_put_day_insights(a, "2025-12-26", "zh-TW", 2, NULL, 0, ktw, 1, &err), 0);
	struct paper_list l = {0};
	CHECK_INT(archive_load_day(a, "2025-12-26", NULL, &l, &err), 0);
	long long tid3 = l.items[1].translation_id;
	CHECK_INT(archive_put_variant(a, tid3, "zh-TW", "x", "標題三", "摘要", NULL, &err), 0);
	paper_list_release(&l);
	CHECK(known(a, "2025-12-26", NULL));
	CHECK(!known(a, "2025-12-26", "zh-TW"));
	/* Converting again to the same text changes nothing, so forgets nothing. */
	CHECK_INT(archive_put_day_insights(a, "2025-12-26", "zh-TW", 2, NULL, 0, ktw, 1, &err), 0);
	CHECK_INT(archive_put_variant(a, tid3, "zh-TW", "x", "標題三", "摘要", NULL, &err), 0);
	CHECK(known(a, "2025-12-26", "zh-TW"));
	const char *d3[] = {"4", "2", "3"};
	store(a, "2025-12-26", d3, 3);
	CHECK(!known(a, "2025-12-26", NULL));
	CHECK(known(a, "2025-12-25", NULL));

	/* Areas of a paper the archive does not hold violate the foreign key. */
	struct archive_paper_area bad[] = {{"404", "多模态"}};
	CHECK_INT(archive_put_day_insights(a, "2025-12-26", NULL, 3, bad, 1, k2, 3, &err), PB_ERR_DB);
	pb_err_clear(&err);
	CHECK(!known(a, "2025-12-26", NULL));

	CHECK_INT(archive_window_keywords(a, "2025-12-26", 0, NULL, 0, &kw, &err), PB_ERR_USAGE);
	pb_err_clear(&err);
	CHECK_INT(archive_window_areas(a, "not-a-date", 3, &ar, &err), PB_ERR_USAGE);
	pb_err_clear(&err);
	archive_close(a);
}

static void test_artefacts_and_runs(const char *dir)
{
	struct archive *a = open_fresh(dir, "artefacts.db");
	struct pb_err err = PB_ERR_INIT;
	const char *ids[] = {"1"};
	store(a, "2025-12-26", ids, 1);

	char *rel = NULL;
	bool found = true;
	CHECK_INT(archive_get_artefact(a, "2025-12-26", "zh-CN", "poster", &rel, &found, &err), 0);
	CHECK(!found);
	CHECK(rel == NULL);
	CHECK_INT(archive_put_artefact(a, "2025-12-26", "zh-CN", "poster",
				       "posters/2025-12-26_poster.png", 100, &err), 0);
	CHECK_INT(archive_put_artefact(a, "2025-12-26", "zh-TW", "poster",
				       "posters/2025-12-26_poster.zh-TW.png", 101, &err), 0);
	CHECK_INT(archive_get_artefact(a, "2025-12-26", "zh-TW", "poster", &rel, &found, &err), 0);
	CHECK(found);
	CHECK_STR(rel, "posters/2025-12-26_poster.zh-TW.png");
	free(rel);
	CHECK_INT(archive_put_artefact(a, "2025-12-26", "zh-CN", "poster", "posters/new.png", 5, &err), 0);
	CHECK_INT(archive_get_artefact(a, "2025-12-26", "zh-CN", "poster", &rel, &found, &err), 0);
	CHECK_STR(rel, "posters/new.png");
	free(rel);
	/* Day-wide: NULL and "" are the same language. */
	CHECK_INT(archive_put_artefact(a, "2025-12-26", NULL, "run_report", "reports/x.json", 7, &err), 0);
	CHECK_INT(archive_get_artefact(a, "2025-12-26", "", "run_report", &rel, &found, &err), 0);
	CHECK(found);
	free(rel);
	/* A broadcast records its artefact. */
	struct audio_record r = {"2025-12-26", (char *)"audio/2025-12-26_daily_papers.mp3", 999, 1000, 1,
				 (char *)"espeak-ng:cmn"};
	CHECK_INT(archive_put_audio(a, &r, &err), 0);
	CHECK_INT(archive_get_artefact(a, "2025-12-26", NULL, "audio", &rel, &found, &err), 0);
	CHECK(found);
	CHECK_STR(rel, "audio/2025-12-26_daily_papers.mp3");
	free(rel);

	char status[16];
	CHECK_INT(archive_last_run(a, "fetch", "2025-12-26", NULL, status, &found, &err), 0);
	CHECK(!found);
	CHECK_STR(status, "");
	long long run;
	CHECK_INT(archive_run_begin(a, "fetch", "2025-12-26", NULL, &run, &err), 0);
	CHECK_INT(archive_run_finish(a, run, "ok", "1 paper", &err), 0);
	CHECK_INT(archive_run_begin(a, "pictures", "2025-12-26", "zh-TW", &run, &err), 0);
	CHECK_INT(archive_run_finish(a, run, "failed", "no fonts", &err), 0);
	CHECK_INT(archive_run_begin(a, "fetch", "2025-12-26", NULL, &run, &err), 0);
	/* Still running: the last finished run counts. */
	CHECK_INT(archive_last_run(a, "fetch", "2025-12-26", NULL, status, &found, &err), 0);
	CHECK(found);
	CHECK_STR(status, "ok");
	CHECK_INT(archive_run_finish(a, run, "partial", "", &err), 0);
	CHECK_INT(archive_last_run(a, "fetch", "2025-12-26", NULL, status, &found, &err), 0);
	CHECK_STR(status, "partial");
	CHECK_INT(archive_last_run(a, "pictures", "2025-12-26", "zh-TW", status, &found, &err), 0);
	CHECK(found);
	CHECK_STR(status, "failed");
	CHECK_INT(archive_last_run(a, "pictures", "2025-12-26", "zh-CN", status, &found, &err), 0);
	CHECK(!found);
	CHECK_INT(archive_last_run(a, "pictures", "2025-12-25", "zh-TW", status, &found, &err), 0);
	CHECK(!found);
	archive_close(a);
}

/* A fetch that found a day empty makes it a known zero; only days never fetched stay unknown. */
static void test_day_counts(const char *dir)
{
	struct archive *a = open_fresh(dir, "counts.db");
	struct pb_err err = PB_ERR_INIT;
	const char *ids[] = {"1", "2"};
	store(a, "2025-12-26", ids, 2);
	long long run;
	/* 12-20 and 12-21: a quiet weekend, fetched and empty (twice for 12-21). */
	const char *empty[] = {"2025-12-20", "2025-12-21", "2025-12-21"};
	for (size_t i = 0; i < PB_ARRAY_LEN(empty); i++) {
		CHECK_INT(archive_run_begin(a, "fetch", empty[i], NULL, &run, &err), 0);
		CHECK_INT(archive_run_finish(a, run, "no-papers", "", &err), 0);
	}
	/* 12-22: a fetch that failed is not a known day; 12-23: a render that said no-papers. */
	CHECK_INT(archive_run_begin(a, "fetch", "2025-12-22", NULL, &run, &err), 0);
	CHECK_INT(archive_run_finish(a, run, "failed", "timeout", &err), 0);
	CHECK_INT(archive_run_begin(a, "render", "2025-12-23", NULL, &run, &err), 0);
	CHECK_INT(archive_run_finish(a, run, "no-papers", "", &err), 0);
	/* 12-26: found empty once, stored later: the stored count wins. */
	CHECK_INT(archive_run_begin(a, "fetch", "2025-12-26", NULL, &run, &err), 0);
	CHECK_INT(archive_run_finish(a, run, "no-papers", "", &err), 0);

	struct day_count days[8];
	CHECK_INT(archive_day_counts(a, "2025-12-26", 8, days, &err), 0);
	CHECK_STR(days[0].date, "2025-12-19");
	const bool known[8] = {false, true, true, false, false, false, false, true};
	const long counts[8] = {0, 0, 0, 0, 0, 0, 0, 2};
	for (size_t i = 0; i < 8; i++) {
		CHECK(days[i].known == known[i]);
		CHECK_INT(days[i].count, counts[i]);
	}
	archive_close(a);
}

/* Paths SQLite would keep in memory (or read as a URI) are refused: a run on them
 * would translate, exit 0 and keep nothing, so the next run pays again. Nothing
 * may be created for them either, not even a file named like the URI. */
static void test_refused_paths(const char *dir)
{
	static const char *const bad[] = {":memory:", "file:x.db?mode=memory", "file:NAME",
					  "file:x.db", "FILE:x.db", ""};
	char *cwd = getcwd(NULL, 0);
	CHECK(cwd != NULL);
	CHECK_INT(chdir(dir), 0);
	for (size_t i = 0; i < PB_ARRAY_LEN(bad); i++) {
		struct archive *a = NULL;
		struct pb_err err = PB_ERR_INIT;
		CHECK_INT(archive_open(bad[i], &a, &err), PB_ERR_USAGE);
		CHECK(a == NULL);
		CHECK_CONTAINS(err.msg, "file path");
		if (bad[i][0])
			CHECK_CONTAINS(err.msg, bad[i]);
		CHECK(access(bad[i][0] ? bad[i] : "x.db", F_OK) != 0);
		archive_close(a);
	}
	CHECK(access("x.db", F_OK) != 0);
	CHECK(access("NAME", F_OK) != 0);
	/* A relative path that merely contains "file:" later on is an ordinary file. */
	struct archive *a = NULL;
	struct pb_err err = PB_ERR_INIT;
	CHECK_INT(archive_open("./file:ok.db", &a, &err), 0);
	archive_close(a);
	CHECK(access("file:ok.db", F_OK) == 0);
	CHECK_INT(chdir(cwd), 0);
	free(cwd);
}

int main(void)
{
	char dir[] = "/tmp/pb-test-archive-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	char *path = xasprintf("%s/a.db", dir);
	struct archive *a = NULL;
	struct pb_err err = PB_ERR_INIT;
	CHECK_INT(archive_open(path, &a, &err), 0);

	struct paper_list day = {0};
	add_paper(&day, "1", "abstract one");
	add_paper(&day, "2", "abstract two");
	char url[] = "http://x/api", body[] = "[]";
	struct raw_page page = {url, 0, 200, body, 2};
	struct day_merge m;
	CHECK_INT(archive_store_day(a, "2025-12-26", &day, &page, 1, "api", &m, &err), 0);
	CHECK_INT(m.n_new, 2);
	CHECK_INT(m.n_total, 2);
	CHECK(m.changed);
	/* The same answer again changes nothing. */
	CHECK_INT(archive_store_day(a, "2025-12-26", &day, &page, 1, "api", &m, &err), 0);
	CHECK_INT(m.n_new, 0);
	CHECK(!m.changed);

	/* Later in the day: a new paper first, paper 1 gone from the answer. */
	struct paper_list later = {0};
	add_paper(&later, "3", "abstract three");
	add_paper(&later, "2", "abstract two");
	CHECK_INT(archive_store_day(a, "2025-12-26", &later, NULL, 0, "api", &m, &err), 0);
	CHECK_INT(m.n_new, 1);
	CHECK_INT(m.n_retained, 1);
	CHECK_INT(m.n_total, 3);

	struct paper_list loaded = {0};
	CHECK_INT(archive_load_day(a, "2025-12-26", NULL, &loaded, &err), 0);
	CHECK_INT(loaded.n, 3);
	CHECK_STR(loaded.items[0].id, "3");
	CHECK_STR(loaded.items[1].id, "2");
	CHECK_STR(loaded.items[2].id, "1");
	CHECK(loaded.items[0].title_zh == NULL);
	paper_list_release(&loaded);

	/* A translation shows only while it matches the current abstract. */
	char hash[65];
	archive_abstract_hash("abstract two", hash);
	struct translation t = {"2", hash, "m", "v1", "标题二", "摘要二", NULL, "raw", 10, 20, NULL};
	bool inserted = false;
	CHECK_INT(archive_put_translation(a, &t, false, &inserted, &err), 0);
	CHECK(inserted);
	CHECK_INT(archive_put_translation(a, &t, false, &inserted, &err), 0);
	CHECK(!inserted);
	CHECK_INT(archive_load_day(a, "2025-12-26", NULL, &loaded, &err), 0);
	CHECK_STR(loaded.items[1].title_zh, "标题二");
	paper_list_release(&loaded);
	free(later.items[1].abstract);
	later.items[1].abstract = xstrdup("abstract two, revised");
	CHECK_INT(archive_store_day(a, "2025-12-26", &later, NULL, 0, "api", &m, &err), 0);
	CHECK_INT(archive_load_day(a, "2025-12-26", NULL, &loaded, &err), 0);
	CHECK(loaded.items[1].title_zh == NULL);
	paper_list_release(&loaded);

	/* A translation for an unknown paper violates the foreign key. */
	struct translation orphan = {"404", hash, "m", "v1", "x", "y", NULL, NULL, 0, 0, NULL};
	CHECK_INT(archive_put_translation(a, &orphan, false, NULL, &err), PB_ERR_DB);
	pb_err_clear(&err);

	CHECK_INT(archive_load_day(a, "2025-12-27", NULL, &loaded, &err), PB_ERR_NO_PAPERS);
	CHECK_CONTAINS(err.hint, "paperboy fetch --date 2025-12-27");
	pb_err_clear(&err);

	long long run;
	CHECK_INT(archive_run_begin(a, "fetch", "2025-12-26", NULL, &run, &err), 0);
	CHECK_INT(archive_run_finish(a, run, "ok", "7 papers", &err), 0);
	archive_close(a);

	/* Reopening migrates nothing and keeps the data. */
	CHECK_INT(archive_open(path, &a, &err), 0);
	CHECK_INT(archive_load_day(a, "2025-12-26", NULL, &loaded, &err), 0);
	CHECK_INT(loaded.n, 3);
	paper_list_release(&loaded);
	archive_close(a);

	/* A file that is not a database is a clear error. */
	char *junk = xasprintf("%s/junk.db", dir);
	FILE *f = fopen(junk, "w");
	fputs("this is not sqlite, just some text that is long enough to be a header.....", f);
	fclose(f);
	CHECK_INT(archive_open(junk, &a, &err), PB_ERR_DB);
	CHECK_CONTAINS(err.msg, "junk.db");

	test_refused_paths(dir);
	test_migration(dir);
	test_variants(dir);
	test_insights(dir);
	test_artefacts_and_runs(dir);
	test_day_counts(dir);

	paper_list_release(&day);
	paper_list_release(&later);
	char *cmd = xasprintf("rm -rf '%s'", dir);
	CHECK_INT(system(cmd), 0);
	free(cmd);
	free(junk);
	free(path);
	return test_report("test_archive");
}
