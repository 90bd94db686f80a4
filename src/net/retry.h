/*
 * retry.h - the one retry policy of every HTTP caller (net/http.h, the easy
 * client; net/batch.h, the concurrent engine): which answers are worth
 * another try, how long to wait before it, and what a server's Retry-After
 * asks for.
 *
 *     struct net_retry_policy p;
 *     net_retry_policy_default(&p);
 *     if (net_status_is_retryable(status) && tries < p.max_tries)
 *         wait = net_backoff_ms(&p, tries, retry_after_s, &rng);
 *
 * Retried: 408, 425, 429 and every 5xx; timeouts, refused or reset
 * connections, empty or cut-off replies. Not retried: other 4xx (the request
 * itself is wrong) and a host that does not resolve (offline, or a typo).
 * Pure functions only: no I/O, no clock except the `now` handed in.
 */
#ifndef PB_NET_RETRY_H
#define PB_NET_RETRY_H

#include "core/common.h"

#include <stdint.h>
#include <time.h>

/* A Retry-After beyond this is taken as this (then capped by backoff_max_ms). */
#define NET_RETRY_AFTER_MAX_S 86400L

struct net_retry_policy {
	int max_tries;         /* requests per job or call, the first included; >= 1 */
	long backoff_base_ms;  /* the first wait; doubles each retry */
	long backoff_max_ms;   /* cap for one wait, Retry-After included */
};

void net_retry_policy_default(struct net_retry_policy *p);

/* 408, 425, 429, 5xx. */
bool net_status_is_retryable(long status);

/* Is this CURLcode (an int, so callers need not include curl) a transient transport failure? */
bool net_curl_error_is_retryable(int curl_code);

/*
 * The seconds a Retry-After value (not NUL-terminated; surrounding blanks
 * allowed) asks for: delta-seconds ("120") or an HTTP-date (RFC 9110: IMF-
 * fixdate, RFC 850 or asctime form) measured from `now`; a date in the past
 * is 0. Values beyond NET_RETRY_AFTER_MAX_S are clamped to it, never
 * overflow. -1 for anything else (garbage, negative numbers, bad dates).
 */
long net_retry_after_parse(const char *value, size_t len, time_t now);

/* The same for a whole header line as libcurl hands it over ("Retry-After: 5\r\n"); -1 if it is another header. */
long net_retry_after_header(const char *line, size_t len, time_t now);

/* A CURLOPT_HEADERFUNCTION storing Retry-After seconds in the long its HEADERDATA points at. */
size_t net_header_retry_after(char *data, size_t size, size_t nmemb, void *retry_after_s);

/* The next pseudo-random number of a xorshift generator; *state must not be 0 (seeded by net_jitter_seed). */
uint32_t net_jitter(uint32_t *state);
uint32_t net_jitter_seed(const void *salt);

/*
 * The wait before try number `tries` + 1, after `tries` (>= 1) tries. With a
 * Retry-After (>= 0) it is that, capped by backoff_max_ms, without jitter: the
 * server said when. Otherwise base * 2^(tries-1), capped, then drawn from
 * [d/2, d] ("equal jitter") so many clients retrying together spread out but
 * none waits less than half the backoff.
 */
long net_backoff_ms(const struct net_retry_policy *p, int tries, long retry_after_s,
		    uint32_t *rng);

#endif
