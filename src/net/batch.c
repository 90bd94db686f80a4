/* batch.c - concurrent POSTs on curl multi: AIMD window, pacing, retries, stop. */
#include "core/common.h"

#include "net/batch.h"
#include "core/text.h"
#include "core/buf.h"
#include "net/internal.h"

#include <curl/curl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum job_state { JOB_WAITING, JOB_RUNNING, JOB_DONE, JOB_FAILED };

struct job {
	char *body;
	char *label;
	int tries;        /* requests made so far */
	double ready_at;  /* monotonic seconds; a retry waits for its backoff */
	enum job_state state;
};

struct transfer {
	struct transfer *next; /* the batch's list of transfers in flight */
	CURL *easy;
	size_t job;
	struct buf response;
	long retry_after_s;
	char errbuf[CURL_ERROR_SIZE];
};

struct net_batch {
	struct net_batch_options opts;
	char *url;
	struct curl_slist *headers; /* may hold a secret: wiped on free */
	struct job *jobs;
	size_t n_jobs, cap_jobs;
	struct net_batch_stats stats;
	double last_decrease;
	double next_start_at;
	uint32_t rng;
	bool any_answer;
	CURLM *multi;
	struct transfer *active;
	const struct pb_log *log; /* of the run in progress */
};

void net_batch_options_default(struct net_batch_options *o)
{
	memset(o, 0, sizeof(*o));
	o->service = "the server";
	o->url_option = "its URL option";
	o->max_jobs = 4;
	o->timeout_ms = 60000;
	o->connect_timeout_ms = 10000;
	net_retry_policy_default(&o->retry);
	o->max_response = 16u << 20;
}

struct net_batch *net_batch_new(const struct net_batch_options *opts, struct pb_err *err)
{
	CURLM *multi = curl_multi_init();
	if (!multi) {
		pb_err_set(err, PB_ERR_NET, "cannot start HTTP transfers for %s (curl_multi_init failed)",
			   opts->service ? opts->service : "a batch");
		pb_err_hint(err, "libcurl could not allocate a handle: the machine may be out of memory");
		return NULL;
	}
	struct net_batch *b = xcalloc(1, sizeof(*b));
	b->opts = *opts;
	if (!b->opts.service)
		b->opts.service = "the server";
	if (!b->opts.url_option)
		b->opts.url_option = "its URL option";
	if (b->opts.max_jobs < 1)
		b->opts.max_jobs = 1;
	if (b->opts.retry.max_tries < 1)
		b->opts.retry.max_tries = 1;
	if (!b->opts.max_response)
		b->opts.max_response = 16u << 20;
	b->url = xstrdup(opts->url);
	b->opts.url = b->url;
	for (size_t i = 0; opts->headers && opts->headers[i]; i++)
		b->headers = curl_slist_append(b->headers, opts->headers[i]);
	b->opts.headers = NULL; /* the caller's array need not outlive this call */
	b->stats.window = b->opts.max_jobs;
	b->rng = net_jitter_seed(b);
	b->multi = multi;
	/* One connection per request in flight, reused across jobs. */
	curl_multi_setopt(b->multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)b->opts.max_jobs);
	return b;
}

void net_batch_free(struct net_batch *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < b->n_jobs; i++) {
		free(b->jobs[i].body);
		free(b->jobs[i].label);
	}
	free(b->jobs);
	curl_multi_cleanup(b->multi);
	/* Do not leave a key lying around in freed memory. */
	for (struct curl_slist *h = b->headers; h; h = h->next)
		memset(h->data, 0, strlen(h->data));
	curl_slist_free_all(b->headers);
	free(b->url);
	free(b);
}

size_t net_batch_add(struct net_batch *b, const char *body, const char *label)
{
	GROW(b->jobs, b->cap_jobs, b->n_jobs + 1);
	struct job *j = &b->jobs[b->n_jobs];
	memset(j, 0, sizeof(*j));
	j->body = xstrdup(body);
	j->label = xstrdup(label);
	b->stats.jobs = ++b->n_jobs;
	return b->n_jobs - 1;
}

void net_batch_set_body(struct net_batch *b, size_t job, const char *body)
{
	free(b->jobs[job].body);
	b->jobs[job].body = xstrdup(body);
}

const struct net_batch_stats *net_batch_stats(const struct net_batch *b)
{
	return &b->stats;
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *userdata)
{
	struct transfer *t = userdata;
	return buf_add(&t->response, data, size * nmemb) ? 0 : size * nmemb;
}

static int start_transfer(struct net_batch *b, size_t index, struct pb_err *err)
{
	CURL *e = curl_easy_init();
	if (!e)
		return pb_err_set(err, PB_ERR_NET, "cannot start a request to %s (curl_easy_init failed)",
				  b->opts.service);
	struct job *j = &b->jobs[index];
	struct transfer *t = xcalloc(1, sizeof(*t));
	t->easy = e;
	t->job = index;
	t->retry_after_s = -1;
	buf_init(&t->response, b->opts.max_response);
	struct net_limits limits = {b->opts.connect_timeout_ms, b->opts.timeout_ms,
				    b->opts.stall_timeout_s};
	net_easy_setup(e, b->url, &limits);
	curl_easy_setopt(e, CURLOPT_POSTFIELDS, j->body);
	if (b->headers)
		curl_easy_setopt(e, CURLOPT_HTTPHEADER, b->headers);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, t);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, net_header_retry_after);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, &t->retry_after_s);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t->errbuf);
	curl_easy_setopt(e, CURLOPT_PRIVATE, t);
	curl_multi_add_handle(b->multi, e);
	t->next = b->active;
	b->active = t;
	if (j->tries > 0)
		b->stats.retries++;
	j->tries++;
	j->state = JOB_RUNNING;
	b->stats.requests++;
	b->stats.in_flight++;
	if (b->stats.in_flight > b->stats.max_in_flight)
		b->stats.max_in_flight = b->stats.in_flight;
	return 0;
}

static void free_transfer(struct net_batch *b, struct transfer *t)
{
	for (struct transfer **p = &b->active; *p; p = &(*p)->next) {
		if (*p == t) {
			*p = t->next;
			break;
		}
	}
	curl_multi_remove_handle(b->multi, t->easy);
	curl_easy_cleanup(t->easy);
	buf_release(&t->response);
	free(t);
	b->stats.in_flight--;
}

static double backoff_s(struct net_batch *b, int tries, long retry_after_s)
{
	return net_backoff_ms(&b->opts.retry, tries, retry_after_s, &b->rng) / 1000.0;
}

static void fail_job(struct net_batch *b, const struct net_batch_callbacks *cb, size_t index,
		     const char *why)
{
	b->jobs[index].state = JOB_FAILED;
	b->stats.failed++;
	if (cb->on_failure)
		cb->on_failure(cb->userdata, index, why);
}

/* Retry a job after a wait, or fail it when its tries are used up. */
static void retry_or_fail(struct net_batch *b, const struct net_batch_callbacks *cb, size_t index,
			  const char *why, double wait_s)
{
	struct job *j = &b->jobs[index];
	int max = b->opts.retry.max_tries;
	if (j->tries >= max) {
		char msg[512];
		snprintf(msg, sizeof(msg), "%s (gave up after %d tries)", why, j->tries);
		fail_job(b, cb, index, msg);
		return;
	}
	j->state = JOB_WAITING;
	j->ready_at = pb_monotonic_s() + wait_s;
	pb_info(b->log, "%s: %s; retrying in %.1f s (%d %s left)", j->label, why, wait_s,
		max - j->tries, max - j->tries == 1 ? "try" : "tries");
}

static void throttled(struct net_batch *b)
{
	b->stats.throttled++;
	double t = pb_monotonic_s();
	/* A burst of 429s from requests already in flight is one signal, not many. */
	if (t - b->last_decrease < 1.0)
		return;
	b->last_decrease = t;
	double w = b->stats.window / 2;
	b->stats.window = w < 1 ? 1 : w;
	pb_info(b->log, "rate limited (HTTP 429): at most %d requests in flight now",
		(int)b->stats.window);
}

static void answered_ok(struct net_batch *b)
{
	double w = b->stats.window + 1.0 / b->stats.window;
	b->stats.window = w > b->opts.max_jobs ? b->opts.max_jobs : w;
}

static int handle_done(struct net_batch *b, const struct net_batch_callbacks *cb, struct transfer *t,
		       CURLcode rc, struct pb_err *err)
{
	size_t index = t->job;
	struct job *j = &b->jobs[index];
	long status = 0;
	curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
	char why[512], body_excerpt[200];
	net_body_excerpt(&t->response, b->headers, body_excerpt, sizeof(body_excerpt));

	if (rc != CURLE_OK) {
		const char *cause = t->errbuf[0] ? t->errbuf : curl_easy_strerror(rc);
		if (rc == CURLE_COULDNT_RESOLVE_HOST || rc == CURLE_UNSUPPORTED_PROTOCOL ||
		    rc == CURLE_URL_MALFORMAT ||
		    (rc == CURLE_COULDNT_CONNECT && !b->any_answer && j->tries >= b->opts.retry.max_tries)) {
			char *shown = url_for_display(b->url);
			pb_err_set(err, PB_ERR_NET, "cannot reach %s at '%s': %s", b->opts.service, shown,
				   cause);
			free(shown);
			pb_err_hint(err, "check %s and the network", b->opts.url_option);
			return PB_ERR_NET;
		}
		if (!net_curl_error_is_retryable(rc)) {
			snprintf(why, sizeof(why), "%s", cause);
			fail_job(b, cb, index, why);
			return 0;
		}
		snprintf(why, sizeof(why), "%s", cause);
		retry_or_fail(b, cb, index, why, backoff_s(b, j->tries, -1));
		return 0;
	}
	if (status == 401 || status == 403) {
		b->stats.fatal_status = status;
		pb_err_set(err, PB_ERR_USAGE, "%s at '%s' refused the request: HTTP %ld (%s)",
			   b->opts.service, b->url, status, body_excerpt);
		pb_err_hint(err, "check the API key");
		return PB_ERR_USAGE;
	}
	if (status == 404) {
		b->stats.fatal_status = status;
		pb_err_set(err, PB_ERR_USAGE, "%s answered HTTP 404 for '%s' (%s)", b->opts.service,
			   b->url, body_excerpt);
		pb_err_hint(err, "check %s", b->opts.url_option);
		return PB_ERR_USAGE;
	}
	if (status == 429) {
		throttled(b);
		retry_or_fail(b, cb, index, "HTTP 429 (rate limited)",
			      backoff_s(b, j->tries, t->retry_after_s));
		return 0;
	}
	if (net_status_is_retryable(status)) {
		snprintf(why, sizeof(why), "HTTP %ld", status);
		retry_or_fail(b, cb, index, why, backoff_s(b, j->tries, t->retry_after_s));
		return 0;
	}
	if (status < 200 || status >= 300) {
		snprintf(why, sizeof(why), "HTTP %ld: %s", status, body_excerpt);
		fail_job(b, cb, index, why);
		return 0;
	}

	b->any_answer = true;
	answered_ok(b);
	struct net_answer ans = {(const unsigned char *)t->response.data, t->response.len, status,
				 j->tries};
	const char *reason = "the answer was rejected";
	enum net_verdict v = cb->on_answer(cb->userdata, index, &ans, &reason);
	switch (v) {
	case NET_ACCEPT:
		j->state = JOB_DONE;
		b->stats.done++;
		break;
	case NET_RETRY:
	case NET_RESEND:
		/* A bad answer is not the server's overload: try again at once. */
		retry_or_fail(b, cb, index, reason, 0);
		break;
	case NET_GIVE_UP:
		fail_job(b, cb, index, reason);
		break;
	}
	return 0;
}

/* Index of the first waiting job ready now, or SIZE_MAX; *next_ready gets the earliest wait. */
static size_t next_ready_job(const struct net_batch *b, double now, double *next_ready)
{
	*next_ready = INFINITY;
	for (size_t i = 0; i < b->n_jobs; i++) {
		const struct job *j = &b->jobs[i];
		if (j->state != JOB_WAITING)
			continue;
		if (j->ready_at <= now)
			return i;
		if (j->ready_at < *next_ready)
			*next_ready = j->ready_at;
	}
	return SIZE_MAX;
}

int net_batch_run(struct net_batch *b, const struct net_batch_callbacks *cb,
		  const struct pb_run *run, struct pb_err *err)
{
	b->log = run ? run->log : NULL;
	double started = pb_monotonic_s();
	int rc = 0;
	while (b->stats.done + b->stats.failed < b->n_jobs) {
		double now = pb_monotonic_s();
		if (pb_run_stopped(run) && !b->stats.stopped) {
			b->stats.stopped = true;
			if (b->stats.in_flight)
				/* Say how long at most and the way out: the wait is for money already spent. */
				pb_info(b->log, "stopping: waiting for %zu %s in flight (already paid for; "
						"at most %.0f s, a second Ctrl-C drops them)",
					b->stats.in_flight, b->stats.in_flight == 1 ? "request" : "requests",
					b->opts.timeout_ms / 1000.0);
		}
		if ((b->opts.deadline_s > 0 && now - started >= b->opts.deadline_s) ||
		    pb_run_past_deadline(run)) {
			b->stats.deadline_hit = true;
			break;
		}
		bool budget = cb->over_budget && cb->over_budget(cb->userdata);
		if (budget && !b->stats.budget_hit) {
			b->stats.budget_hit = true;
			pb_warn(b->log, "budget reached: no new requests; %zu in flight will finish",
				b->stats.in_flight);
		}
		bool may_start = !budget && !b->stats.stopped;
		double next_ready = INFINITY;
		while (may_start && b->stats.in_flight < (size_t)b->stats.window) {
			size_t index = next_ready_job(b, now, &next_ready);
			if (index == SIZE_MAX)
				break;
			if (b->opts.rpm > 0) {
				if (now < b->next_start_at) {
					next_ready = b->next_start_at;
					break;
				}
				b->next_start_at = (b->next_start_at > now ? b->next_start_at : now) + 60.0 / b->opts.rpm;
			}
			rc = start_transfer(b, index, err);
			if (rc)
				break;
		}
		if (rc)
			break;
		if (b->stats.in_flight == 0 && (!may_start || next_ready == INFINITY))
			break; /* nothing running and nothing that could start */

		int running = 0;
		curl_multi_perform(b->multi, &running);
		CURLMsg *msg;
		int left;
		while ((msg = curl_multi_info_read(b->multi, &left))) {
			if (msg->msg != CURLMSG_DONE)
				continue;
			struct transfer *t;
			curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&t);
			CURLcode result = msg->data.result;
			if (!rc)
				rc = handle_done(b, cb, t, result, err);
			free_transfer(b, t);
			if (cb->on_progress)
				cb->on_progress(cb->userdata, &b->stats);
			if (!rc && cb->abort_batch && cb->abort_batch(cb->userdata)) {
				/* The answers still to come can go nowhere: stop paying for more now. */
				b->stats.aborted = true;
				break;
			}
		}
		if (rc || b->stats.aborted)
			break;
		/* Sleep until a transfer has news, a retry is due, or at most 250 ms (stop, deadline). */
		double wait = next_ready == INFINITY || !may_start ? 0.25 : next_ready - pb_monotonic_s();
		if (wait > 0.25)
			wait = 0.25;
		if (wait > 0)
			curl_multi_poll(b->multi, NULL, 0, (int)(wait * 1000) + 1, NULL);
	}
	/* Abandon what is still in flight (deadline, abort, fatal error): its answer never came. */
	while (b->active) {
		b->stats.abandoned++;
		b->jobs[b->active->job].state = JOB_WAITING;
		free_transfer(b, b->active);
	}
	b->log = NULL;
	return rc;
}
