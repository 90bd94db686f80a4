/*
 * fetch.h - the fetch stage: one day's Hugging Face Daily Papers, every
 * page of them (hf.h), merged into the archive (archive.h).
 *
 *     struct fetch_options o;
 *     fetch_options_from_config(cfg, &o);
 *     struct fetch_summary s;
 *     fetch_day(archive, "2025-12-26", &o, run, &s, &err);
 *
 * PB_ERR_NO_PAPERS (with a hint) when Hugging Face lists none for the day:
 * a quiet weekend, not a failure.
 */
#ifndef PB_FETCH_H
#define PB_FETCH_H

#include "archive/archive.h"
#include "core/config.h"
#include "core/err.h"
#include "net/http.h"
#include "core/run.h"

struct fetch_options {
	const char *hf_url;        /* borrowed */
	struct net_options http;
};

void fetch_options_from_config(const struct pb_config *cfg, struct fetch_options *o);

struct fetch_summary {
	size_t papers;  /* valid papers in the API's answer */
	size_t skipped; /* entries that failed validation */
	size_t n_new;   /* new to the day's list */
	size_t total;   /* the day's list after the merge */
	int requests;   /* HTTP requests, retries included */
};

int fetch_day(struct archive *a, const char *date, const struct fetch_options *o,
	      const struct pb_run *run, struct fetch_summary *summary, struct pb_err *err);

#endif
