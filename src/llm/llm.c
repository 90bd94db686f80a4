/* llm.c - OpenAI-compatible chat requests on curl multi: AIMD, pacing, retries. */
#include "core/common.h"

#include "llm/llm.h"
#include "core/buf.h"
#include "core/http.h"

#include <curl/curl.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

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
	struct curl_slist *headers;
	long retry_after_s;
	char errbuf[CURL_ERROR_SIZE];
};

struct llm_batch {
	struct llm_options opts;
	char *url;
	char *auth_header;
	struct job *jobs;
	size_t n_jobs, cap_jobs;
	struct llm_stats stats;
	double last_decrease;
	double next_start_at;
	unsigned rng;
	bool any_answer;
	CURLM *multi;
	struct transfer *active;
};

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void llm_options_default(struct llm_options *o)
{
	memset(o, 0, sizeof(*o));
	o->max_jobs = 8;
	o->timeout_ms = 180000;
	o->connect_timeout_ms = 15000;
	o->max_tries = 4;
	o->backoff_base_ms = 1000;
	o->backoff_max_ms = 60000;
}

struct llm_batch *llm_batch_new(const struct llm_options *opts)
{
	struct llm_batch *b = xcalloc(1, sizeof(*b));
	b->opts = *opts;
	if (!b->opts.service)
		b->opts.service = "the LLM API";
	if (!b->opts.url_option)
		b->opts.url_option = "--llm-url (env PAPERBOY_LLM_URL)";
	if (!b->opts.model_option)
		b->opts.model_option = "--llm-model";
	if (!b->opts.fallback)
		b->opts.fallback = "pass --no-translate for an English edition";
	if (b->opts.max_jobs < 1)
		b->opts.max_jobs = 1;
	if (b->opts.max_tries < 1)
		b->opts.max_tries = 1;
	size_t n = strlen(opts->base_url);
	while (n && opts->base_url[n - 1] == '/')
		n--;
	b->url = xasprintf("%.*s%s", (int)n, opts->base_url, opts->path ? opts->path : "/chat/completions");
	if (opts->api_key && *opts->api_key)
		b->auth_header = xasprintf("Authorization: Bearer %s", opts->api_key);
	b->stats.window = b->opts.max_jobs;
	b->rng = (unsigned)time(NULL) ^ (unsigned)(uintptr_t)b;
	b->multi = curl_multi_init();
	/* One connection per request in flight, reused across jobs. */
	curl_multi_setopt(b->multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)b->opts.max_jobs);
	return b;
}

void llm_batch_free(struct llm_batch *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < b->n_jobs; i++) {
		free(b->jobs[i].body);
		free(b->jobs[i].label);
	}
	free(b->jobs);
	curl_multi_cleanup(b->multi);
	if (b->auth_header) {
		/* Do not leave the key lying around in freed memory. */
		memset(b->auth_header, 0, strlen(b->auth_header));
		free(b->auth_header);
	}
	free(b->url);
	free(b);
}

size_t llm_batch_add(struct llm_batch *b, const char *body, const char *label)
{
	GROW(b->jobs, b->cap_jobs, b->n_jobs + 1);
	struct job *j = &b->jobs[b->n_jobs];
	memset(j, 0, sizeof(*j));
	j->body = xstrdup(body);
	j->label = xstrdup(label);
	b->stats.jobs = ++b->n_jobs;
	return b->n_jobs - 1;
}

void llm_batch_set_body(struct llm_batch *b, size_t job, const char *body)
{
	free(b->jobs[job].body);
	b->jobs[job].body = xstrdup(body);
}

const struct llm_stats *llm_batch_stats(const struct llm_batch *b)
{
	return &b->stats;
}

char *llm_chat_body(const char *model, const char *system_prompt, const char *user_prompt,
		    double temperature)
{
	json_t *req = json_pack("{s:s, s:[{s:s, s:s}, {s:s, s:s}], s:f, s:b}", "model", model,
				"messages", "role", "system", "content", system_prompt, "role", "user",
				"content", user_prompt, "temperature", temperature, "stream", 0);
	char *body = json_dumps(req, JSON_COMPACT | JSON_ENSURE_ASCII);
	json_decref(req);
	return body;
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *userdata)
{
	struct transfer *t = userdata;
	return buf_add(&t->response, data, size * nmemb) ? 0 : size * nmemb;
}

static void start_transfer(struct llm_batch *b, size_t index)
{
	struct job *j = &b->jobs[index];
	struct transfer *t = xcalloc(1, sizeof(*t));
	t->job = index;
	t->retry_after_s = -1;
	buf_init(&t->response, 16u << 20);
	t->headers = curl_slist_append(NULL, "Content-Type: application/json");
	if (!b->opts.raw)
		t->headers = curl_slist_append(t->headers, "Accept: application/json");
	if (b->auth_header)
		t->headers = curl_slist_append(t->headers, b->auth_header);
	CURL *e = t->easy = curl_easy_init();
	curl_easy_setopt(e, CURLOPT_URL, b->url);
	curl_easy_setopt(e, CURLOPT_POSTFIELDS, j->body);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, t->headers);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, t);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, http_header_retry_after);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, &t->retry_after_s);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t->errbuf);
	curl_easy_setopt(e, CURLOPT_PRIVATE, t);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, b->opts.timeout_ms);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, b->opts.connect_timeout_ms);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_USERAGENT, "paperboy/" PAPERBOY_VERSION);
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
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
}

static void free_transfer(struct llm_batch *b, struct transfer *t)
{
	for (struct transfer **p = &b->active; *p; p = &(*p)->next) {
		if (*p == t) {
			*p = t->next;
			break;
		}
	}
	curl_multi_remove_handle(b->multi, t->easy);
	curl_easy_cleanup(t->easy);
	curl_slist_free_all(t->headers);
	buf_release(&t->response);
	free(t);
	b->stats.in_flight--;
}

static double backoff_s(struct llm_batch *b, int tries, long retry_after_s)
{
	double cap = b->opts.backoff_max_ms / 1000.0;
	if (retry_after_s >= 0)
		return retry_after_s < cap ? (double)retry_after_s : cap;
	double s = b->opts.backoff_base_ms / 1000.0 * pow(2.0, tries - 1);
	if (s > cap)
		s = cap;
	/* Full jitter on the upper half, so retries from many jobs spread out. */
	b->rng = b->rng * 1103515245u + 12345u;
	return s / 2 + s / 2 * ((b->rng >> 8) % 1000) / 1000.0;
}

static void fail_job(struct llm_batch *b, const struct llm_callbacks *cb, size_t index,
		     const char *why)
{
	b->jobs[index].state = JOB_FAILED;
	b->stats.failed++;
	if (cb->on_failure)
		cb->on_failure(cb->userdata, index, why);
}

/* Retry a job after a wait, or fail it when its tries are used up. */
static void retry_or_fail(struct llm_batch *b, const struct llm_callbacks *cb, size_t index,
			  const char *why, double wait_s)
{
	struct job *j = &b->jobs[index];
	if (j->tries >= b->opts.max_tries) {
		char msg[512];
		snprintf(msg, sizeof(msg), "%s (gave up after %d tries)", why, j->tries);
		fail_job(b, cb, index, msg);
		return;
	}
	j->state = JOB_WAITING;
	j->ready_at = now_s() + wait_s;
	pb_info(b->opts.log, "%s: %s; retrying in %.1f s (%d %s left)", j->label, why, wait_s,
		b->opts.max_tries - j->tries, b->opts.max_tries - j->tries == 1 ? "try" : "tries");
}

static void throttled(struct llm_batch *b)
{
	b->stats.throttled++;
	double t = now_s();
	/* A burst of 429s from requests already in flight is one signal, not many. */
	if (t - b->last_decrease < 1.0)
		return;
	b->last_decrease = t;
	double w = b->stats.window / 2;
	b->stats.window = w < 1 ? 1 : w;
	pb_info(b->opts.log, "rate limited (HTTP 429): at most %d requests in flight now",
		(int)b->stats.window);
}

static void answered_ok(struct llm_batch *b)
{
	double w = b->stats.window + 1.0 / b->stats.window;
	b->stats.window = w > b->opts.max_jobs ? b->opts.max_jobs : w;
}

/* Short one-line excerpt of a response body for messages. */
static void excerpt(const struct buf *body, char *out, size_t size)
{
	size_t n = 0;
	for (size_t i = 0; i < body->len && n + 1 < size; i++) {
		unsigned char c = (unsigned char)body->data[i];
		out[n++] = c < 0x20 ? ' ' : (char)c;
	}
	while (n > 0 && ((unsigned char)out[n - 1] & 0xC0) == 0x80)
		n--;
	if (n > 0 && ((unsigned char)out[n - 1] & 0xC0) == 0xC0)
		n--;
	out[n] = '\0';
}

/* Parse a chat completion; false if it is not one. */
static bool parse_answer(const struct buf *body, json_t **root, struct llm_answer *ans)
{
	*root = json_loadb(body->data, body->len, 0, NULL);
	json_t *choice = json_array_get(json_object_get(*root, "choices"), 0);
	json_t *content = json_object_get(json_object_get(choice, "message"), "content");
	if (!json_is_string(content))
		return false;
	ans->content = json_string_value(content);
	ans->finish_reason = json_string_value(json_object_get(choice, "finish_reason"));
	json_t *usage = json_object_get(*root, "usage");
	ans->tokens_in = (long)json_integer_value(json_object_get(usage, "prompt_tokens"));
	ans->tokens_out = (long)json_integer_value(json_object_get(usage, "completion_tokens"));
	return true;
}

static int handle_done(struct llm_batch *b, const struct llm_callbacks *cb, struct transfer *t,
		       CURLcode rc, struct pb_err *err)
{
	size_t index = t->job;
	struct job *j = &b->jobs[index];
	long status = 0;
	curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
	char why[512], body_excerpt[200];
	excerpt(&t->response, body_excerpt, sizeof(body_excerpt));

	if (rc != CURLE_OK) {
		const char *cause = t->errbuf[0] ? t->errbuf : curl_easy_strerror(rc);
		if (rc == CURLE_COULDNT_RESOLVE_HOST || rc == CURLE_UNSUPPORTED_PROTOCOL ||
		    rc == CURLE_URL_MALFORMAT ||
		    (rc == CURLE_COULDNT_CONNECT && !b->any_answer && j->tries >= b->opts.max_tries)) {
			pb_err_set(err, PB_ERR_NET, "cannot reach %s at '%s': %s", b->opts.service, b->url,
				   cause);
			pb_err_hint(err, "check %s and the network, or %s", b->opts.url_option,
				    b->opts.fallback);
			return PB_ERR_NET;
		}
		snprintf(why, sizeof(why), "%s", cause);
		retry_or_fail(b, cb, index, why, backoff_s(b, j->tries, -1));
		return 0;
	}
	if (status == 401 || status == 403) {
		pb_err_set(err, PB_ERR_USAGE, "%s at '%s' refused the request: HTTP %ld (%s)",
			   b->opts.service, b->url, status, body_excerpt);
		if (b->opts.key_source)
			pb_err_hint(err, "check the key in %s; or %s", b->opts.key_source, b->opts.fallback);
		else
			pb_err_hint(err, "set PAPERBOY_LLM_KEY (or DEEPSEEK_API_KEY / OPENAI_API_KEY); or %s",
				    b->opts.fallback);
		return PB_ERR_USAGE;
	}
	if (status == 404) {
		pb_err_set(err, PB_ERR_USAGE, "%s answered HTTP 404 for '%s' (%s)", b->opts.service,
			   b->url, body_excerpt);
		pb_err_hint(err, "%s is the API base ending in /v1 (paperboy appends the path); check %s too",
			    b->opts.url_option, b->opts.model_option);
		return PB_ERR_USAGE;
	}
	if (status == 429) {
		throttled(b);
		retry_or_fail(b, cb, index, "HTTP 429 (rate limited)", backoff_s(b, j->tries, t->retry_after_s));
		return 0;
	}
	if (status >= 500 || status == 408) {
		snprintf(why, sizeof(why), "HTTP %ld", status);
		retry_or_fail(b, cb, index, why,
			      backoff_s(b, j->tries, status == 503 ? t->retry_after_s : -1));
		return 0;
	}
	if (status < 200 || status >= 300) {
		snprintf(why, sizeof(why), "HTTP %ld: %s", status, body_excerpt);
		fail_job(b, cb, index, why);
		return 0;
	}

	json_t *root = NULL;
	struct llm_answer ans = {0};
	if (b->opts.raw) {
		ans.content = "";
		ans.body = (const unsigned char *)t->response.data;
		ans.body_len = t->response.len;
	} else if (!parse_answer(&t->response, &root, &ans)) {
		json_decref(root);
		retry_or_fail(b, cb, index, "the answer is not a chat completion (malformed JSON)",
			      backoff_s(b, j->tries, -1));
		return 0;
	}
	b->any_answer = true;
	answered_ok(b);
	b->stats.tokens_in += ans.tokens_in;
	b->stats.tokens_out += ans.tokens_out;
	b->stats.cost = (b->stats.tokens_in * b->opts.price_in + b->stats.tokens_out * b->opts.price_out) / 1e6;
	ans.attempt = j->tries;
	const char *reason = "the answer was rejected";
	enum llm_verdict v = cb->on_answer(cb->userdata, index, &ans, &reason);
	json_decref(root);
	switch (v) {
	case LLM_ACCEPT:
		j->state = JOB_DONE;
		b->stats.done++;
		break;
	case LLM_RETRY:
	case LLM_RESEND:
		/* A bad answer is not the server's overload: try again at once. */
		retry_or_fail(b, cb, index, reason, 0);
		break;
	case LLM_GIVE_UP:
		fail_job(b, cb, index, reason);
		break;
	}
	return 0;
}

static bool over_budget(struct llm_batch *b)
{
	const struct llm_options *o = &b->opts;
	if (o->budget_tokens && b->stats.tokens_in + b->stats.tokens_out >= o->budget_tokens)
		return true;
	if (o->budget_cost > 0 && b->stats.cost >= o->budget_cost)
		return true;
	return false;
}

/* Index of the first waiting job ready now, or SIZE_MAX; *next_ready gets the earliest wait. */
static size_t next_ready_job(const struct llm_batch *b, double now, double *next_ready)
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

int llm_batch_run(struct llm_batch *b, const struct llm_callbacks *cb, struct pb_err *err)
{
	double started = now_s();
	int rc = 0;
	while (b->stats.done + b->stats.failed < b->n_jobs) {
		double now = now_s();
		if (b->opts.stop && *b->opts.stop) {
			b->stats.stopped = true;
			break;
		}
		if (b->opts.deadline_s > 0 && now - started >= b->opts.deadline_s) {
			b->stats.deadline_hit = true;
			break;
		}
		bool budget = over_budget(b);
		if (budget && !b->stats.budget_hit) {
			b->stats.budget_hit = true;
			pb_warn(b->opts.log, "budget reached: no new requests; %zu in flight will finish",
				b->stats.in_flight);
		}
		double next_ready = INFINITY;
		while (!budget && b->stats.in_flight < (size_t)b->stats.window) {
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
			start_transfer(b, index);
		}
		if (b->stats.in_flight == 0 && (budget || next_ready == INFINITY))
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
		}
		if (rc)
			break;
		/* Sleep until a transfer has news, a retry is due, or at most 250 ms (signals, deadline). */
		double wait = next_ready == INFINITY ? 0.25 : next_ready - now_s();
		if (wait > 0.25)
			wait = 0.25;
		if (wait > 0)
			curl_multi_poll(b->multi, NULL, 0, (int)(wait * 1000) + 1, NULL);
	}
	/* Abandon what is still in flight (stop, deadline, fatal error): its answer never came. */
	while (b->active) {
		b->jobs[b->active->job].state = JOB_WAITING;
		free_transfer(b, b->active);
	}
	return rc;
}
