/*
 * http.h - GET with timeouts, a body size limit, and bounded retries.
 *
 *     struct http_client *c = http_client_new(&opts);
 *     struct http_response r;
 *     http_response_init(&r);
 *     if (http_get(c, url, &r, log, &err)) ... err says what failed ...
 *     http_response_release(&r);
 *     http_client_free(c);
 *
 * One client reuses one connection across requests (paging). Retried:
 * timeouts, connection failures and resets, HTTP 429 and 5xx, with
 * exponential backoff plus jitter, honouring Retry-After. Not retried: a
 * host that does not resolve (offline), other 4xx (the request itself is
 * wrong). Each retry is logged with its cause, wait and tries left.
 */
#ifndef PB_HTTP_H
#define PB_HTTP_H

#include "core/buf.h"
#include "core/err.h"
#include "core/log.h"

struct http_options {
	long connect_timeout_ms;
	long timeout_ms;       /* whole transfer */
	int retries;           /* extra tries after the first */
	long backoff_base_ms;  /* first wait; doubles each retry */
	long backoff_max_ms;   /* cap for one wait, Retry-After included */
	size_t max_body;
	const char *user_agent;
};

void http_options_default(struct http_options *o);

struct http_response {
	long status;     /* 0 when no response arrived */
	struct buf body;
	int tries;       /* requests made, retries included */
};

struct http_client;

/*
 * If the header line (as libcurl hands it over, not NUL-terminated) is
 * "Retry-After: <seconds>", return the seconds; else -1. The HTTP-date form
 * also gives -1: callers fall back to their own backoff.
 */
long http_retry_after(const char *line, size_t len);

/* A CURLOPT_HEADERFUNCTION storing Retry-After seconds in the long its HEADERDATA points at. */
size_t http_header_retry_after(char *data, size_t size, size_t nmemb, void *retry_after_s);

struct http_client *http_client_new(const struct http_options *opts);
void http_client_free(struct http_client *c);
void http_response_init(struct http_response *r, size_t max_body);
void http_response_release(struct http_response *r);

/*
 * GET url. Returns 0 with r->status 2xx, or PB_ERR_NET with err set (the
 * message names the URL, the status or the transport error, and the tries).
 */
int http_get(struct http_client *c, const char *url, struct http_response *r,
	     const struct pb_log *log, struct pb_err *err);

#endif
