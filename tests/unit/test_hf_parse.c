/* Unit tests for fetch/hf parsing on the real fixtures, good and broken. */
#include "core/common.h"

#include "core/fsutil.h"
#include "fetch/hf.h"
#include "harness.h"

#include "core/text.h"

#include <stdlib.h>

static int parse_file(const char *name, struct paper_list *papers, struct hf_skips *skips,
		      size_t *n, struct pb_err *err)
{
	char *path = xasprintf("%s/hf-api/%s", TEST_FIXTURES, name);
	struct buf body;
	buf_init(&body, BUF_LIMIT_FILE);
	int rc = fs_read_file(path, &body, err);
	if (!rc)
		rc = hf_parse_page(body.data, body.len, name, papers, skips, n, err);
	buf_release(&body);
	free(path);
	return rc;
}

static int parse_text(const char *text, struct paper_list *papers, struct hf_skips *skips,
		      struct pb_err *err)
{
	size_t n;
	return hf_parse_page(text, strlen(text), "inline", papers, skips, &n, err);
}


/* One valid entry; `paper_extra` goes inside "paper" after the id (a title etc. of its own). */
static void add_entry(struct buf *page, const char *id, const char *paper_members)
{
	sb_addf(page, "%s{\"paper\": {\"id\": \"%s\", %s, \"authors\": [{\"name\": \"A\"}]},"
		" \"publishedAt\": \"2025-01-01\"}", page->len > 1 ? ", " : "", id, paper_members);
}

/* What one case of check_one_bad_entry leaves, freed for the next. */
static void release_case(struct paper_list *papers, struct hf_skips *skips, struct pb_err *err,
			 struct buf *page)
{
	paper_list_release(papers);
	hf_skips_release(skips);
	pb_err_clear(err);
	buf_release(page);
}

/* Issue 13, finding 8: one bad value in one entry costs that entry, not the day. */
static void check_one_bad_entry(void)
{
	struct paper_list papers = {0};
	struct hf_skips skips = {0};
	struct pb_err err = PB_ERR_INIT;
	struct buf page;

	/* A U+0000 in one title: jansson without JSON_ALLOW_NUL refused the whole page. */
	buf_init(&page, BUF_LIMIT_NONE);
	sb_adds(&page, "[");
	add_entry(&page, "2501.1", "\"title\": \"One\", \"summary\": \"S\"");
	add_entry(&page, "2501.2", "\"title\": \"Two\\u0000hidden\", \"summary\": \"S\"");
	add_entry(&page, "2501.3", "\"title\": \"Three\", \"summary\": \"S\"");
	sb_adds(&page, "]");
	CHECK_INT(parse_text(page.data, &papers, &skips, &err), 0);
	CHECK_INT(papers.n, 2);
	CHECK_STR(papers.n > 1 ? papers.items[1].id : NULL, "2501.3");
	CHECK_INT(skips.n, 1);
	CHECK_STR(skips.n ? skips.items[0].id : NULL, "2501.2");
	CHECK_CONTAINS(skips.n ? skips.items[0].reasons : NULL, "U+0000");
	CHECK_CONTAINS(skips.n ? skips.items[0].reasons : NULL, "paper.title");
	release_case(&papers, &skips, &err, &page);

	/* A NUL inside the id itself: the skip names the entry's index, not a cut-off id. */
	buf_init(&page, BUF_LIMIT_NONE);
	sb_adds(&page, "[");
	add_entry(&page, "2501.1", "\"title\": \"One\", \"summary\": \"S\"");
	add_entry(&page, "2501.2\\u0000x", "\"title\": \"Two\", \"summary\": \"S\"");
	sb_adds(&page, "]");
	CHECK_INT(parse_text(page.data, &papers, &skips, &err), 0);
	CHECK_INT(papers.n, 1);
	CHECK_INT(skips.n, 1);
	CHECK_STR(skips.n ? skips.items[0].id : NULL, "entry 1");
	release_case(&papers, &skips, &err, &page);

	/* A duplicated key in one entry (two titles: which one is the paper's?): that entry is
	 * skipped, named; a duplicate nested deeper (in an author) too; the others parse. */
	buf_init(&page, BUF_LIMIT_NONE);
	sb_adds(&page, "[");
	add_entry(&page, "2501.1", "\"title\": \"One\", \"summary\": \"S\"");
	add_entry(&page, "2501.2", "\"title\": \"Two\", \"summary\": \"S\", \"title\": \"Other\"");
	add_entry(&page, "2501.3", "\"title\": \"Three\", \"summary\": \"S\"");
	sb_adds(&page, ", {\"paper\": {\"id\": \"2501.4\", \"title\": \"Four\", \"summary\": \"S\","
		" \"authors\": [{\"name\": \"A\", \"name\": \"B\"}]}, \"publishedAt\": \"2025\"}]");
	CHECK_INT(parse_text(page.data, &papers, &skips, &err), 0);
	CHECK_INT(papers.n, 2);
	CHECK_STR(papers.n > 1 ? papers.items[1].id : NULL, "2501.3");
	CHECK_INT(skips.n, 2);
	CHECK_STR(skips.n ? skips.items[0].id : NULL, "2501.2");
	CHECK_CONTAINS(skips.n ? skips.items[0].reasons : NULL, "duplicate");
	CHECK_STR(skips.n > 1 ? skips.items[1].id : NULL, "2501.4");
	release_case(&papers, &skips, &err, &page);

	/*
	 * A U+0000 in a key, which jansson refuses even with JSON_ALLOW_NUL: the page was "not
	 * valid JSON". Now the entry holding it is skipped, named by the key up to its NUL, in
	 * the paper and at the top of an entry. A \u0000 in a value beside a key, an escaped
	 * backslash before "u0000" and a key after an escaped quote are not mistaken for one.
	 */
	buf_init(&page, BUF_LIMIT_NONE);
	sb_adds(&page, "[");
	add_entry(&page, "2501.1", "\"title\": \"One \\\\u0000 \\\"x\\\": 1\", \"summary\": \"S\"");
	add_entry(&page, "2501.2", "\"title\": \"Two\", \"summ\\u0000ary\": \"S\"");
	add_entry(&page, "2501.3", "\"title\": \"Three\", \"summary\": \"S\", \"q\\\\\": \"a\"");
	sb_adds(&page, ", {\"paper\": {\"id\": \"2501.4\", \"title\": \"Four\", \"summary\": \"S\","
		" \"authors\": [{\"name\": \"A\"}]}, \"publishedAt\": \"2025\", \"x\\u0000y\" : 1}");
	add_entry(&page, "2501.5", "\"title\": \"Fi\\u0000ve\", \"summary\": \"S\"");
	sb_adds(&page, "]");
	CHECK_INT(parse_text(page.data, &papers, &skips, &err), 0);
	CHECK_STR(err.msg, "");
	CHECK_INT(papers.n, 2);
	CHECK_STR(papers.n ? papers.items[0].id : NULL, "2501.1");
	CHECK_STR(papers.n ? papers.items[0].title : NULL, "One \\u0000 \"x\": 1");
	CHECK_STR(papers.n > 1 ? papers.items[1].id : NULL, "2501.3");
	CHECK_INT(skips.n, 3);
	CHECK_STR(skips.n ? skips.items[0].id : NULL, "2501.2");
	CHECK_CONTAINS(skips.n ? skips.items[0].reasons : NULL, "U+0000 (at paper.summ (a key))");
	CHECK_STR(skips.n > 1 ? skips.items[1].id : NULL, "2501.4");
	CHECK_CONTAINS(skips.n > 1 ? skips.items[1].reasons : NULL, "at x (a key)");
	CHECK_STR(skips.n > 2 ? skips.items[2].id : NULL, "2501.5");
	CHECK_CONTAINS(skips.n > 2 ? skips.items[2].reasons : NULL, "at paper.title)");
	release_case(&papers, &skips, &err, &page);

	/* A page that is not JSON at all is still an error for the day. */
	CHECK_INT(parse_text("[{\"paper\": {\"id\": \"1\"}}, {\"paper\"", &papers, &skips, &err),
		  PB_ERR_PARSE);
	CHECK_CONTAINS(err.msg, "not valid JSON");
	pb_err_clear(&err);
}

/* Issue 13, finding 11: over-long fields are cut at a UTF-8 boundary, the paper kept. */
static void check_field_limits(void)
{
	struct paper_list papers = {0};
	struct hf_skips skips = {0};
	struct pb_err err = PB_ERR_INIT;
	struct buf page, abstract, title, authors;
	buf_init(&page, BUF_LIMIT_NONE);
	buf_init(&abstract, BUF_LIMIT_NONE);
	buf_init(&title, BUF_LIMIT_NONE);
	buf_init(&authors, BUF_LIMIT_NONE);
	/* 100 KB of sentences: cut at a sentence end. */
	while (abstract.len < 100 * 1024)
		sb_adds(&abstract, "We train a model on data. ");
	/* 100 KB of two-byte letters without a sentence end: cut between characters. */
	while (title.len < 100 * 1024)
		sb_adds(&title, "\xc3\xa9");
	for (int i = 0; i < 5000; i++)
		sb_addf(&authors, "%s{\"name\": \"Author %d\"}", i ? ", " : "", i);
	sb_addf(&page, "[{\"paper\": {\"id\": \"2501.7\", \"title\": \"%s\", \"summary\": \"%s\","
		" \"authors\": [%s]}, \"publishedAt\": \"2025\"}]", title.data, abstract.data,
		authors.data);
	CHECK_INT(parse_text(page.data, &papers, &skips, &err), 0);
	CHECK_INT(papers.n, 1);
	CHECK_INT(skips.n, 0);
	if (papers.n) {
		const struct paper *p = &papers.items[0];
		size_t alen = strlen(p->abstract), tlen = strlen(p->title);
		CHECK(alen <= 16 * 1024);
		CHECK(alen >= 8 * 1024);
		CHECK(utf8_is_valid(p->abstract, alen));
		CHECK(alen && p->abstract[alen - 1] == '.'); /* a sentence end */
		CHECK(tlen <= 1024);
		CHECK(tlen >= 512);
		CHECK(utf8_is_valid(p->title, tlen));
		CHECK_CONTAINS(p->authors, "\"Author 0\"");
		CHECK(strstr(p->authors, "\"Author 4999\"") == NULL);
	}
	/* The paper is kept, and a warning names it and each field cut. */
	CHECK_INT(skips.n_cuts, 1);
	CHECK_STR(skips.n_cuts ? skips.cuts[0].id : NULL, "2501.7");
	CHECK_CONTAINS(skips.n_cuts ? skips.cuts[0].reasons : NULL, "title cut from 102400 to");
	CHECK_CONTAINS(skips.n_cuts ? skips.cuts[0].reasons : NULL, "abstract cut from");
	CHECK_CONTAINS(skips.n_cuts ? skips.cuts[0].reasons : NULL, "author list cut");
	paper_list_release(&papers);
	hf_skips_release(&skips);
	buf_release(&page);
	buf_release(&abstract);
	buf_release(&title);
	buf_release(&authors);
}

/* Keywords and URLs have limits too: a page cannot make a paper carry megabytes of either. */
static void check_keyword_and_url_limits(void)
{
	struct paper_list papers = {0};
	struct hf_skips skips = {0};
	struct pb_err err = PB_ERR_INIT;
	struct buf page, members;
	buf_init(&page, BUF_LIMIT_NONE);
	buf_init(&members, BUF_LIMIT_NONE);
	sb_adds(&members, "\"title\": \"T\", \"summary\": \"A.\", \"ai_keywords\": [\"");
	for (int i = 0; i < 300; i++)
		sb_adds(&members, "long");
	sb_adds(&members, "\"");
	for (int i = 0; i < 500; i++)
		sb_addf(&members, ", \"kw%d\"", i);
	sb_adds(&members, "], \"githubRepo\": \"https://github.com/");
	for (int i = 0; i < 3000; i++)
		sb_addc(&members, 'a');
	sb_adds(&members, "\", \"projectPage\": \"https://example.org/p\"");
	sb_addc(&page, '[');
	add_entry(&page, "2501.8", members.data);
	sb_addc(&page, ']');
	CHECK_INT(parse_text(page.data, &papers, &skips, &err), 0);
	CHECK_INT(papers.n, 1);
	if (papers.n) {
		const struct paper *p = &papers.items[0];
		CHECK(p->github_repo == NULL);                  /* 3 KB: not a URL to link */
		CHECK_STR(p->project_page, "https://example.org/p"); /* a normal one is kept */
		CHECK(strstr(p->ai_keywords, "longlong") == NULL); /* 1.2 KB: not a keyword */
		CHECK_CONTAINS(p->ai_keywords, "\"kw0\"");
		CHECK_CONTAINS(p->ai_keywords, "\"kw99\"");
		CHECK(strstr(p->ai_keywords, "\"kw100\"") == NULL); /* the first 100 */
	}
	paper_list_release(&papers);
	hf_skips_release(&skips);
	buf_release(&page);
	buf_release(&members);
}

int main(void)
{
	struct paper_list papers = {0};
	struct hf_skips skips = {0};
	struct pb_err err = PB_ERR_INIT;
	size_t n = 0;

	CHECK_INT(parse_file("2025-12-26.json", &papers, &skips, &n, &err), 0);
	CHECK_INT(n, 7);
	CHECK_INT(papers.n, 7);
	CHECK_INT(skips.n, 0);
	CHECK_STR(papers.items[0].id, "2512.21218");
	CHECK_STR(papers.items[0].title, "Latent Implicit Visual Reasoning");
	CHECK_STR(papers.items[0].organization, "UC Berkeley");
	CHECK_CONTAINS(papers.items[0].authors, "\"Kelvin Li\"");
	CHECK_STR(papers.items[5].github_repo, "https://github.com/Lil-Shake/VA-Pi");
	CHECK_INT(papers.items[5].github_stars, 4);
	CHECK(papers.items[5].ai_keywords != NULL);
	CHECK(papers.items[0].github_repo == NULL);
	paper_list_release(&papers);

	/* 2025-01-23 titles carry arXiv line wraps; they are normalised. */
	CHECK_INT(parse_file("2025-01-23.json", &papers, &skips, &n, &err), 0);
	CHECK_STR(papers.items[0].title,
		  "FilmAgent: A Multi-Agent Framework for End-to-End Film Automation in Virtual 3D Spaces");
	CHECK(strchr(papers.items[0].abstract, '\n') == NULL);
	paper_list_release(&papers);

	CHECK_INT(parse_file("2026-05-12.json", &papers, &skips, &n, &err), 0);
	CHECK_INT(papers.n, 50);
	paper_list_release(&papers);

	/* The old bot's broken files: a clear error naming the file and the problem. */
	CHECK_INT(parse_file("malformed-python-repr.json", &papers, &skips, &n, &err), PB_ERR_PARSE);
	CHECK_CONTAINS(err.msg, "malformed-python-repr.json");
	CHECK_CONTAINS(err.msg, "Python repr");
	CHECK_INT(papers.n, 0);
	pb_err_clear(&err);
	CHECK_INT(parse_file("malformed-status-wrapper.json", &papers, &skips, &n, &err), PB_ERR_PARSE);
	CHECK_CONTAINS(err.msg, "wrapper");
	pb_err_clear(&err);

	CHECK_INT(parse_text("[{\"paper\": {\"id\": \"1\"", &papers, &skips, &err), PB_ERR_PARSE);
	CHECK_CONTAINS(err.msg, "not valid JSON");
	pb_err_clear(&err);
	CHECK_INT(parse_text("{\"error\":\"Invalid date\"}", &papers, &skips, &err), PB_ERR_PARSE);
	CHECK_CONTAINS(err.msg, "Invalid date");
	pb_err_clear(&err);
	CHECK_INT(parse_text("[1, 2]", &papers, &skips, &err), PB_ERR_PARSE);
	CHECK_CONTAINS(err.msg, "entry 0 is not an object");
	pb_err_clear(&err);

	/* Invalid entries are skipped with every reason; valid ones are kept. */
	CHECK_INT(parse_text("[{\"paper\": {\"id\": \"2501.1\", \"title\": \" T \", \"summary\": \"S\","
			     " \"authors\": [{\"name\": \"A\"}]}, \"publishedAt\": \"2025\"},"
			     " {\"paper\": {\"id\": \"2501.2\", \"title\": \"\", \"authors\": []}},"
			     " {\"paper\": {\"id\": \"../evil\", \"title\": \"x\", \"summary\": \"y\","
			     " \"authors\": [{\"name\": \"A\"}]}, \"publishedAt\": \"2025\"}]",
			     &papers, &skips, &err), 0);
	CHECK_INT(papers.n, 1);
	CHECK_STR(papers.items[0].title, "T");
	CHECK_INT(skips.n, 2);
	CHECK_STR(skips.items[0].id, "2501.2");
	CHECK_CONTAINS(skips.items[0].reasons, "missing title");
	CHECK_CONTAINS(skips.items[0].reasons, "missing summary");
	CHECK_CONTAINS(skips.items[0].reasons, "missing authors");
	CHECK_CONTAINS(skips.items[0].reasons, "missing publishedAt");
	CHECK_STR(skips.items[1].id, "entry 2");
	CHECK_CONTAINS(skips.items[1].reasons, "id has characters");
	paper_list_release(&papers);
	hf_skips_release(&skips);

	check_one_bad_entry();
	check_field_limits();
	check_keyword_and_url_limits();
	return test_report("test_hf_parse");
}
