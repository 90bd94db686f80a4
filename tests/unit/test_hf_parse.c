/* Unit tests for fetch/hf parsing on the real fixtures, good and broken. */
#include "core/common.h"

#include "core/fsutil.h"
#include "fetch/hf.h"
#include "harness.h"

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
	return test_report("test_hf_parse");
}
