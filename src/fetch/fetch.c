/* fetch.c - the fetch stage: the API's pages for a day, merged into the archive. */
#include "core/common.h"

#include "fetch/fetch.h"
#include "fetch/hf.h"

#include <string.h>

void fetch_options_from_config(const struct pb_config *cfg, struct fetch_options *o)
{
	memset(o, 0, sizeof(*o));
	o->hf_url = cfg->hf_url;
	net_options_default(&o->http);
	o->http.timeout_ms = cfg->http_timeout_s * 1000;
	o->http.connect_timeout_ms = cfg->connect_timeout_s * 1000;
	o->http.stall_timeout_s = cfg->stall_timeout_s;
	o->http.deadline_ms = cfg->request_deadline_s * 1000;
	o->http.retry.max_tries = (int)cfg->http_retries + 1;
	if (o->http.connect_timeout_ms > o->http.timeout_ms)
		o->http.connect_timeout_ms = o->http.timeout_ms;
}

int fetch_day(struct archive *a, const char *date, const struct fetch_options *o,
	      const struct pb_run *run, struct fetch_summary *summary, struct pb_err *err)
{
	memset(summary, 0, sizeof(*summary));
	struct hf_day day = {0};
	pb_info(run->log, "fetching %s from %s", date, o->hf_url);
	int rc = hf_fetch_day(o->hf_url, &o->http, date, &day, run, err);
	summary->requests = day.http_tries;
	if (!rc) {
		struct day_merge merge;
		rc = archive_store_day(a, date, &day.papers, day.pages, day.n_pages, "api", &merge, err);
		summary->papers = day.papers.n;
		summary->skipped = day.skips.n;
		summary->n_new = merge.n_new;
		summary->total = merge.n_total;
		if (!rc && merge.n_retained)
			pb_info(run->log, "%zu papers listed earlier for %s are no longer in the API's "
				"answer; kept", merge.n_retained, date);
	}
	if (rc == PB_ERR_NO_PAPERS)
		pb_err_hint(err, "weekends, holidays and future dates are empty; try a weekday with "
				 "--date YYYY-MM-DD");
	hf_day_release(&day);
	return rc;
}
