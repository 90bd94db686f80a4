/* Unit tests for archive: migrations, merges, translations, reopen. */
#include "core/common.h"

#include "archive/archive.h"
#include "harness.h"

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

	paper_list_release(&day);
	paper_list_release(&later);
	char *cmd = xasprintf("rm -rf '%s'", dir);
	CHECK_INT(system(cmd), 0);
	free(cmd);
	free(junk);
	free(path);
	return test_report("test_archive");
}
