/*
 * hf.h - the Hugging Face Daily Papers client.
 *
 * Owns: the API's response format (parsing, validation, normalisation) and
 * paging. hf_parse_page is a pure function over a buffer (the import stage
 * and the fuzzer call it too); hf_fetch_day pages through
 *     GET {base}/api/daily_papers?date=D&limit=100&p=P     (p zero-based)
 * until a short page, keeping every raw page for the archive.
 *
 * Ownership: results are written into caller-initialised structs (zeroed
 * `struct hf_day`, or a paper_list and hf_skips) and freed with
 * hf_day_release / hf_skips_release.
 */
#ifndef PB_HF_H
#define PB_HF_H

#include "archive/archive.h"
#include "core/err.h"
#include "core/log.h"
#include "core/run.h"
#include "net/http.h"
#include "core/paper.h"

#define HF_PAGE_LIMIT 100 /* the most the API serves per page */
#define HF_MAX_PAGES 100  /* a runaway server must not keep us paging forever */

/*
 * Field limits, applied at parse time so that no later stage (the LLM prompt, the
 * speech script, the newsletter) sees a field of unbounded size. Far above any real
 * paper: the fixtures' maxima are a 142-byte title, a 1,917-byte abstract (arXiv caps
 * abstracts at 1,920 characters), 358 authors and a 29-byte name. Longer text is cut
 * at a UTF-8 boundary (a sentence end where there is one), not the paper dropped.
 */
#define HF_MAX_TITLE 1024        /* bytes */
#define HF_MAX_ABSTRACT 16384    /* bytes; also the AI summary */
#define HF_MAX_AUTHORS 1000      /* names kept, the first ones */
#define HF_MAX_AUTHOR_NAME 256   /* bytes */
#define HF_MAX_KEYWORDS 100      /* AI keywords kept, the first ones (the fixtures: at most 28) */
#define HF_MAX_KEYWORD 128       /* bytes; a longer "keyword" is dropped (the fixtures: 61) */

/*
 * An entry that failed validation, with every reason ("missing title; no authors"),
 * or (in cuts) a kept paper whose over-long fields were cut, saying which.
 */
struct hf_skip {
	char *id;
	char *reasons;
};

struct hf_skips {
	struct hf_skip *items;
	size_t n, cap;
	struct hf_skip *cuts; /* papers kept, with fields cut to the limits above */
	size_t n_cuts, cap_cuts;
};

void hf_skips_release(struct hf_skips *s);

/*
 * Parse one response body: a JSON list of daily-paper entries. Valid entries
 * are appended to `papers` (ids already present are not added twice),
 * invalid ones to `skips` (also an entry with a string holding U+0000 or a
 * key given twice: one bad entry costs that entry, not the day); papers with
 * fields cut to the limits go to skips->cuts too. *n_entries gets the list's
 * length (for paging). A body that is not JSON, or not a list of objects, is
 * PB_ERR_PARSE with a message naming `what` (a URL or file name) and what was
 * found instead.
 */
int hf_parse_page(const char *body, size_t len, const char *what, struct paper_list *papers,
		  struct hf_skips *skips, size_t *n_entries, struct pb_err *err);

struct hf_day {
	struct paper_list papers; /* API order */
	struct hf_skips skips;
	struct raw_page *pages;
	size_t n_pages, cap_pages;
	int http_tries;           /* requests made, retries included */
};

void hf_day_release(struct hf_day *day);

/*
 * Fetch every page of a day. PB_ERR_NO_PAPERS when the API lists none;
 * PB_ERR_STOPPED when run's stop flag ended it (at once, mid-transfer);
 * PB_ERR_NET / PB_ERR_PARSE with a one-line message otherwise. run gives
 * the log, the stop flag and a deadline; it may be NULL.
 */
int hf_fetch_day(const char *base_url, const struct net_options *http, const char *date,
		 struct hf_day *day, const struct pb_run *run, struct pb_err *err);

#endif
