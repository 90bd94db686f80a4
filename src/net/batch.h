/*
 * batch.h - many POSTs to one URL, concurrently, on libcurl's multi
 * interface: the engine under the LLM client (llm/llm.h) and the speech API
 * (speak/voice.h). It knows nothing of what the bodies mean: the caller
 * submits jobs (a request body each) and judges every raw answer in a
 * callback, which accepts it, asks for another try, sends a new body, or
 * gives the job up.
 *
 *     struct net_batch_options o;
 *     net_batch_options_default(&o);
 *     o.url = ...; o.headers = ...; o.service = "the speech API"; ...
 *     struct net_batch *b = net_batch_new(&o, &err);
 *     net_batch_add(b, body, label);            job 0, 1, ... in order
 *     net_batch_run(b, &callbacks, run, &err);  returns when every job is done,
 *                                               on a stop, the deadline or the
 *                                               budget, or a fatal error
 *     net_batch_stats(b) ...
 *     net_batch_free(b);
 *
 * Concurrency: up to `max_jobs` requests in flight over reused connections.
 * After 429s the window halves (at most once per second, so one burst of
 * 429s counts once) and grows back by one per window of successes
 * (additive increase, multiplicative decrease). `rpm` spaces request starts.
 * Retries follow net/retry.h (statuses, transport errors, Retry-After,
 * capped jittered backoff); at most retry.max_tries requests per job.
 *
 * Stop: once run's stop flag is set no request starts (retries included),
 * but requests in flight are awaited, bounded by their timeout: their
 * answers are paid for and go to on_answer as usual. Then the run returns
 * 0 with stats.stopped set. The deadline (and run->deadline) instead
 * abandons what is in flight.
 *
 * Abort: when the caller can no longer use answers (its archive cannot
 * store them: a full disk), its abort_batch callback says so and the run
 * ends at once: nothing new starts, and what is in flight is abandoned
 * (stats.abandoned: paid, but its answer can go nowhere). Waiting for those
 * answers would only delay the error; starting more would pay for nothing.
 *
 * Headers may carry a secret (Authorization): they are copied, sent, wiped
 * when the batch is freed, and never logged or put into errors.
 */
#ifndef PB_NET_BATCH_H
#define PB_NET_BATCH_H

#include "core/err.h"
#include "core/run.h"
#include "net/retry.h"

struct net_batch_options {
	const char *url;
	const char *const *headers; /* "Name: value" lines, NULL-terminated; may be NULL */
	/* For messages: what the service is ("the speech API") and the option that
	 * points at it ("--tts-url (env PAPERBOY_TTS_URL)"). Callers add their own hints. */
	const char *service;
	const char *url_option;
	int max_jobs;          /* requests in flight at most */
	double rpm;            /* request starts per minute; 0: unlimited */
	long timeout_ms;       /* per request */
	long connect_timeout_ms;
	long stall_timeout_s;  /* a request that moves no byte this long fails; 0: never (a
				  non-streaming API sends nothing until its answer is ready) */
	struct net_retry_policy retry;
	size_t max_response;   /* bytes per answer */
	double deadline_s;     /* the whole batch; 0: none */
};

void net_batch_options_default(struct net_batch_options *o);

/* One answer as it arrived: a 2xx status and its body. */
struct net_answer {
	const unsigned char *body;
	size_t len;
	long status;
	int attempt;            /* 1-based try of this job */
};

enum net_verdict {
	NET_ACCEPT,   /* the job is done */
	NET_RETRY,    /* try again at once with the same body (counts against max_tries) */
	NET_RESEND,   /* try again with the body set through net_batch_set_body */
	NET_GIVE_UP   /* the job failed; the reason is in *why */
};

struct net_batch_stats {
	size_t jobs, done, failed, in_flight;
	size_t requests;       /* requests started */
	size_t retries;        /* requests that were retries */
	size_t max_in_flight;  /* the most at once */
	size_t throttled;      /* 429 answers */
	bool deadline_hit, budget_hit, stopped;
	bool aborted;          /* abort_batch said so: the run ended at once */
	size_t abandoned;      /* requests in flight when the run ended early (deadline, abort, fatal) */
	double window;         /* current AIMD window */
	long fatal_status;     /* the HTTP status of a fatal error (401, 403, 404); 0: none or transport */
};

struct net_batch_callbacks {
	void *userdata;
	/* Judge an answer. For NET_RETRY/NET_GIVE_UP set *why (static or owned by userdata). */
	enum net_verdict (*on_answer)(void *userdata, size_t job, const struct net_answer *answer,
				      const char **why);
	/* A job failed for good (tries exhausted, 4xx); why says how. May be NULL. */
	void (*on_failure)(void *userdata, size_t job, const char *why);
	/* Something changed (a job finished, a retry was scheduled): for progress displays. May be NULL. */
	void (*on_progress)(void *userdata, const struct net_batch_stats *stats);
	/* Has the caller's budget run out? Then no new request starts. May be NULL (no budget). */
	bool (*over_budget)(void *userdata);
	/* Can the caller no longer use answers (its archive fails)? Asked after every answer;
	 * true ends the run at once (see Abort above). May be NULL. */
	bool (*abort_batch)(void *userdata);
};

struct net_batch;

/* NULL with err set when libcurl cannot start a multi handle. */
struct net_batch *net_batch_new(const struct net_batch_options *opts, struct pb_err *err);
void net_batch_free(struct net_batch *b);
/* Add a job; returns its index. The body and the label (what log lines call
 * the job, e.g. a paper id) are copied. */
size_t net_batch_add(struct net_batch *b, const char *body, const char *label);
/* Replace a job's body before answering NET_RESEND. */
void net_batch_set_body(struct net_batch *b, size_t job, const char *body);
/*
 * Run until every job is accepted or failed, or a stop, deadline or budget
 * ends it. Returns 0 even when some jobs failed (see stats); PB_ERR_USAGE
 * with err set when the server refuses the request (401, 403: the key) or
 * does not know the URL (404), PB_ERR_NET when it cannot be reached (a host
 * that does not resolve, a bad URL, no connection before any answer).
 * stats.fatal_status says which, so callers can add their own hint.
 * run gives the log, the stop flag and a deadline; it may be NULL.
 */
int net_batch_run(struct net_batch *b, const struct net_batch_callbacks *cb,
		  const struct pb_run *run, struct pb_err *err);
const struct net_batch_stats *net_batch_stats(const struct net_batch *b);

#endif
