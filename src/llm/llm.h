/*
 * llm.h - the chat protocol of OpenAI-compatible APIs
 * (POST {base}/chat/completions) on top of the batch engine (net/batch.h).
 *
 * Owns: the request body (llm_chat_body), reading a chat completion
 * (content, finish_reason, token usage), token and cost accounting with the
 * budget, and the LLM's wording of errors (a refused key names the variable
 * it came from; a 404 names --llm-url). Transport, concurrency, pacing,
 * retries and the stop flag are net/batch.h's; it knows nothing of papers:
 * the caller submits jobs (a request body each) and judges every answer in a
 * callback, which may accept it, ask for another try, or send a new body
 * (e.g. a stricter prompt).
 *
 *     struct llm_batch *b = llm_batch_new(&opts, &err);
 *     llm_batch_add(b, body, label);          job 0, 1, ... in order
 *     llm_batch_run(b, &callbacks, run, &err);
 *     llm_batch_stats(b) ...
 *     llm_batch_free(b);
 *
 * The API key only ever goes into the Authorization header: it is never
 * logged or copied into errors.
 */
#ifndef PB_LLM_H
#define PB_LLM_H

#include "core/err.h"
#include "core/run.h"
#include "net/batch.h"

struct llm_options {
	const char *base_url;  /* ".../v1"; "/chat/completions" is appended */
	const char *api_key;   /* NULL: no Authorization header (local servers) */
	const char *key_source; /* the variable the key came from, for messages */
	int max_jobs;          /* requests in flight at most */
	double rpm;            /* request starts per minute; 0: unlimited */
	long timeout_ms;       /* per request: long, answers can take minutes */
	long connect_timeout_ms;
	int max_tries;         /* per job, first try included */
	long backoff_base_ms;
	long backoff_max_ms;
	double deadline_s;     /* the whole batch; 0: none */
	long long budget_tokens; /* stop starting requests past this many tokens; 0: none */
	double budget_cost;      /* ... or past this cost; 0: none */
	double price_in, price_out; /* cost per million input/output tokens */
};

void llm_options_default(struct llm_options *o);

/* One chat completion as it arrived. */
struct llm_answer {
	const char *content;       /* choices[0].message.content */
	const char *finish_reason; /* "stop", "length", ... (may be NULL) */
	long tokens_in, tokens_out;
	int attempt;               /* 1-based try of this job */
};

enum llm_verdict {
	LLM_ACCEPT,   /* the job is done */
	LLM_RETRY,    /* try again with the same body (counts against max_tries) */
	LLM_RESEND,   /* try again with the body set through llm_batch_set_body */
	LLM_GIVE_UP   /* the job failed; the reason is in *why */
};

/* The batch engine's counters plus the tokens and their cost, in one flat struct for reports. */
struct llm_stats {
	size_t jobs, done, failed, in_flight;
	size_t requests;       /* requests started */
	size_t retries;        /* requests that were retries */
	size_t max_in_flight;  /* the most at once */
	long long tokens_in, tokens_out;
	size_t throttled;      /* 429 answers */
	double cost;           /* from the token counts and the prices */
	bool deadline_hit, budget_hit, stopped;
	bool aborted;          /* abort_batch ended the run (see net/batch.h) */
	size_t abandoned;      /* requests in flight when the run ended early: paid, answers lost */
	double window;         /* current AIMD window */
};

struct llm_callbacks {
	void *userdata;
	/* Judge an answer. For LLM_RETRY/LLM_GIVE_UP set *why (static or owned by userdata). */
	enum llm_verdict (*on_answer)(void *userdata, size_t job, const struct llm_answer *answer,
				      const char **why);
	/* A job failed for good (tries exhausted, 4xx); why says how. */
	void (*on_failure)(void *userdata, size_t job, const char *why);
	/* Something changed (a job finished, a retry was scheduled): for progress displays. */
	void (*on_progress)(void *userdata, const struct llm_stats *stats);
	/* Can the caller no longer use answers (the archive fails)? Then the run ends at once:
	 * nothing new starts, what is in flight is abandoned (net/batch.h). May be NULL. */
	bool (*abort_batch)(void *userdata);
};

struct llm_batch;

/* NULL with err set when the HTTP engine cannot start. */
struct llm_batch *llm_batch_new(const struct llm_options *opts, struct pb_err *err);
void llm_batch_free(struct llm_batch *b);
/* Add a job; returns its index. The body (a JSON request) and the label
 * (what log lines call the job, e.g. a paper id) are copied. */
size_t llm_batch_add(struct llm_batch *b, const char *body, const char *label);
/* Replace a job's body before answering LLM_RESEND. */
void llm_batch_set_body(struct llm_batch *b, size_t job, const char *body);
/*
 * Run until every job is accepted or failed (see net_batch_run for stop,
 * deadline and budget). Returns 0 even when some jobs failed (see stats);
 * PB_ERR_NET/PB_ERR_USAGE with err set on a fatal error (401/403 naming
 * key_source, 404 naming --llm-url, a host that does not resolve, or a
 * server unreachable before any answer). run may be NULL.
 */
int llm_batch_run(struct llm_batch *b, const struct llm_callbacks *cb, const struct pb_run *run,
		  struct pb_err *err);
const struct llm_stats *llm_batch_stats(const struct llm_batch *b);

/* Build a chat request body: {"model", "messages": [system, user], "temperature"}. Caller frees. */
char *llm_chat_body(const char *model, const char *system_prompt, const char *user_prompt,
		    double temperature);

/*
 * Read a chat completion: content, finish_reason and usage from body. false
 * when it is not one (not JSON, no choices[0].message.content string).
 * The strings in *ans live in *root; json_decref(*root) when done (also on false).
 */
struct json_t;
bool llm_parse_answer(const char *body, size_t len, struct json_t **root, struct llm_answer *ans);

/*
 * The most tokens one answer may claim for its prompt or its completion: far
 * beyond any model's context window, yet small enough that no sum of them
 * overflows. A server's usage counts are clamped to 0..this (negative ones
 * would make tokens and cost negative and a --budget unreachable; 1e30 or
 * 2^63-1 would overflow the sums); integers and reals alike.
 */
#define LLM_TOKENS_MAX 100000000L

/* total + n, saturating at LLONG_MAX; a negative n adds nothing. */
long long llm_tokens_add(long long total, long long n);

#endif
