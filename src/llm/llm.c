/* llm.c - OpenAI-compatible chat completions over the batch engine: bodies, answers, tokens, wording. */
#include "core/common.h"

#include "llm/llm.h"

#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LLM_URL_OPTION "--llm-url (env PAPERBOY_LLM_URL)"
#define LLM_FALLBACK "pass --no-translate for an English edition"

struct llm_batch {
	struct llm_options opts;
	struct net_batch *net;
	struct llm_stats stats;
	const struct llm_callbacks *cb; /* during llm_batch_run */
};

void llm_options_default(struct llm_options *o)
{
	memset(o, 0, sizeof(*o));
	struct net_retry_policy retry;
	net_retry_policy_default(&retry);
	o->max_jobs = 1; /* the caller's setting ([llm] jobs) replaces it */
	o->timeout_ms = 180000;
	o->connect_timeout_ms = 10000;
	o->max_tries = retry.max_tries;
	o->backoff_base_ms = retry.backoff_base_ms;
	o->backoff_max_ms = retry.backoff_max_ms;
}

struct llm_batch *llm_batch_new(const struct llm_options *opts, struct pb_err *err)
{
	size_t n = strlen(opts->base_url);
	while (n && opts->base_url[n - 1] == '/')
		n--;
	char *url = xasprintf("%.*s/chat/completions", (int)n, opts->base_url);
	char *auth = opts->api_key && *opts->api_key
			     ? xasprintf("Authorization: Bearer %s", opts->api_key) : NULL;
	const char *headers[] = {"Content-Type: application/json", "Accept: application/json", auth,
				 NULL};

	struct net_batch_options no;
	net_batch_options_default(&no);
	no.url = url;
	no.headers = headers;
	no.service = "the LLM API";
	no.url_option = LLM_URL_OPTION;
	no.max_jobs = opts->max_jobs;
	no.rpm = opts->rpm;
	no.timeout_ms = opts->timeout_ms;
	no.connect_timeout_ms = opts->connect_timeout_ms;
	no.stall_timeout_s = 0; /* a chat API sends nothing until its whole answer is ready */
	no.retry.max_tries = opts->max_tries;
	no.retry.backoff_base_ms = opts->backoff_base_ms;
	no.retry.backoff_max_ms = opts->backoff_max_ms;
	no.deadline_s = opts->deadline_s;
	struct net_batch *net = net_batch_new(&no, err);
	if (auth) {
		/* The batch keeps its own copy; do not leave the key in freed memory. */
		memset(auth, 0, strlen(auth));
		free(auth);
	}
	free(url);
	if (!net)
		return NULL;
	struct llm_batch *b = xcalloc(1, sizeof(*b));
	b->opts = *opts;
	b->net = net;
	return b;
}

void llm_batch_free(struct llm_batch *b)
{
	if (!b)
		return;
	net_batch_free(b->net);
	free(b);
}

size_t llm_batch_add(struct llm_batch *b, const char *body, const char *label)
{
	return net_batch_add(b->net, body, label);
}

void llm_batch_set_body(struct llm_batch *b, size_t job, const char *body)
{
	net_batch_set_body(b->net, job, body);
}

/* Refresh the flat stats from the engine's counters and ours. */
static const struct llm_stats *sync_stats(struct llm_batch *b)
{
	const struct net_batch_stats *n = net_batch_stats(b->net);
	struct llm_stats *s = &b->stats;
	s->jobs = n->jobs;
	s->done = n->done;
	s->failed = n->failed;
	s->in_flight = n->in_flight;
	s->requests = n->requests;
	s->retries = n->retries;
	s->max_in_flight = n->max_in_flight;
	s->throttled = n->throttled;
	s->deadline_hit = n->deadline_hit;
	s->budget_hit = n->budget_hit;
	s->stopped = n->stopped;
	s->aborted = n->aborted;
	s->abandoned = n->abandoned;
	s->window = n->window;
	return s;
}

const struct llm_stats *llm_batch_stats(const struct llm_batch *b)
{
	return sync_stats((struct llm_batch *)b);
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

/* One usage count, clamped to 0..LLM_TOKENS_MAX: a server's number is not trusted (see llm.h). */
static long usage_tokens(const json_t *v)
{
	if (json_is_integer(v)) {
		json_int_t n = json_integer_value(v);
		return n <= 0 ? 0 : n >= LLM_TOKENS_MAX ? LLM_TOKENS_MAX : (long)n;
	}
	if (json_is_real(v)) {
		/* Compared as doubles before any cast: (long)1e30 would be undefined. */
		double d = json_real_value(v);
		return !(d > 0) ? 0 : d >= (double)LLM_TOKENS_MAX ? LLM_TOKENS_MAX : (long)d;
	}
	return 0;
}

long long llm_tokens_add(long long total, long long n)
{
	if (n <= 0)
		return total;
	return total > LLONG_MAX - n ? LLONG_MAX : total + n;
}

bool llm_parse_answer(const char *body, size_t len, json_t **root, struct llm_answer *ans)
{
	*root = json_loadb(body, len, 0, NULL);
	json_t *choice = json_array_get(json_object_get(*root, "choices"), 0);
	json_t *content = json_object_get(json_object_get(choice, "message"), "content");
	if (!json_is_string(content))
		return false;
	ans->content = json_string_value(content);
	ans->finish_reason = json_string_value(json_object_get(choice, "finish_reason"));
	json_t *usage = json_object_get(*root, "usage");
	ans->tokens_in = usage_tokens(json_object_get(usage, "prompt_tokens"));
	ans->tokens_out = usage_tokens(json_object_get(usage, "completion_tokens"));
	return true;
}

static enum net_verdict on_answer(void *userdata, size_t job, const struct net_answer *raw,
				  const char **why)
{
	struct llm_batch *b = userdata;
	json_t *root = NULL;
	struct llm_answer ans = {0};
	if (!llm_parse_answer((const char *)raw->body, raw->len, &root, &ans)) {
		json_decref(root);
		*why = "the answer is not a chat completion (malformed JSON)";
		return NET_RETRY;
	}
	ans.attempt = raw->attempt;
	b->stats.tokens_in = llm_tokens_add(b->stats.tokens_in, ans.tokens_in);
	b->stats.tokens_out = llm_tokens_add(b->stats.tokens_out, ans.tokens_out);
	b->stats.cost = (b->stats.tokens_in * b->opts.price_in +
			 b->stats.tokens_out * b->opts.price_out) / 1e6;
	sync_stats(b);
	enum llm_verdict v = b->cb->on_answer(b->cb->userdata, job, &ans, why);
	json_decref(root);
	switch (v) {
	case LLM_ACCEPT: return NET_ACCEPT;
	case LLM_RETRY: return NET_RETRY;
	case LLM_RESEND: return NET_RESEND;
	case LLM_GIVE_UP: break;
	}
	return NET_GIVE_UP;
}

static void on_failure(void *userdata, size_t job, const char *why)
{
	struct llm_batch *b = userdata;
	sync_stats(b);
	if (b->cb->on_failure)
		b->cb->on_failure(b->cb->userdata, job, why);
}

static void on_progress(void *userdata, const struct net_batch_stats *stats)
{
	(void)stats;
	struct llm_batch *b = userdata;
	if (b->cb->on_progress)
		b->cb->on_progress(b->cb->userdata, sync_stats(b));
}

static bool over_budget(void *userdata)
{
	const struct llm_batch *b = userdata;
	const struct llm_options *o = &b->opts;
	if (o->budget_tokens && llm_tokens_add(b->stats.tokens_in, b->stats.tokens_out) >= o->budget_tokens)
		return true;
	return o->budget_cost > 0 && b->stats.cost >= o->budget_cost;
}

static bool abort_batch(void *userdata)
{
	struct llm_batch *b = userdata;
	return b->cb->abort_batch(b->cb->userdata);
}

int llm_batch_run(struct llm_batch *b, const struct llm_callbacks *cb, const struct pb_run *run,
		  struct pb_err *err)
{
	b->cb = cb;
	struct net_batch_callbacks ncb = {b, on_answer, on_failure, on_progress, over_budget,
					  b->cb->abort_batch ? abort_batch : NULL};
	int rc = net_batch_run(b->net, &ncb, run, err);
	b->cb = NULL;
	sync_stats(b);
	/* The engine says what failed; the hint is the LLM's: which key, which option, the way out. */
	long status = net_batch_stats(b->net)->fatal_status;
	if (rc && (status == 401 || status == 403)) {
		if (b->opts.key_source)
			pb_err_hint(err, "check the key in %s; or %s", b->opts.key_source, LLM_FALLBACK);
		else
			pb_err_hint(err, "set PAPERBOY_LLM_KEY (or DEEPSEEK_API_KEY / OPENAI_API_KEY); or %s",
				    LLM_FALLBACK);
	} else if (rc && status == 404) {
		pb_err_hint(err, "%s is the API base ending in /v1 (paperboy appends the path); "
				 "check --llm-model too", LLM_URL_OPTION);
	} else if (rc == PB_ERR_NET) {
		pb_err_hint(err, "check %s and the network, or %s", LLM_URL_OPTION, LLM_FALLBACK);
	}
	return rc;
}
