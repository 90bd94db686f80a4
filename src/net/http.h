/*
 * http.h - one HTTP request at a time on one reused connection, with the
 * shared retry policy (net/retry.h), timeouts that fail fast on a dead
 * network, and the run's stop flag.
 *
 *     struct net_options o;
 *     net_options_default(&o);
 *     struct net_client *c = net_client_new(&o, &err);
 *     struct net_response r;
 *     net_response_init(&r, o.max_body);
 *     if (net_get(c, url, &r, run, &err)) ... err says what failed ...
 *     net_response_release(&r);
 *     net_client_free(c);
 *
 * A request is a struct net_request (method, URL, headers, body, response
 * cap); net_get and net_post are shorthands. Each retry is logged through
 * run->log with its cause, wait and tries left. Waits end early on a stop:
 * a transfer in progress is aborted at once (the answer of a GET or of a
 * webhook POST is not worth waiting for) and the call returns
 * PB_ERR_STOPPED, so callers can tell "interrupted" from "failed".
 *
 * Fail fast: a connection that does not open within connect_timeout_ms, a
 * transfer that moves no byte for stall_timeout_s, or one longer than
 * timeout_ms is a failed try; deadline_ms bounds one call's tries and
 * waits together (and run->deadline, when set, bounds it too).
 *
 * Proxies from the environment (http_proxy, https_proxy, no_proxy, ...) are
 * honoured, except for loopback hosts, which are never proxied.
 */
#ifndef PB_NET_HTTP_H
#define PB_NET_HTTP_H

#include "core/buf.h"
#include "core/err.h"
#include "core/run.h"
#include "net/retry.h"

struct net_options {
	long connect_timeout_ms;
	long timeout_ms;        /* one try, the whole transfer */
	long stall_timeout_s;   /* a try that moves no byte this long fails; 0: never */
	long deadline_ms;       /* one call, every try and wait included; 0: none */
	struct net_retry_policy retry;
	size_t max_body;        /* default response cap */
};

void net_options_default(struct net_options *o);

enum net_method { NET_GET, NET_POST };

struct net_request {
	enum net_method method;
	const char *url;
	const char *const *headers; /* "Name: value" lines, NULL-terminated; may be NULL */
	const void *body;           /* POST only */
	size_t body_len;
	size_t max_response;        /* 0: the client's max_body */
	const char *label;          /* names the request in logs and errors instead of its URL, for
				     * URLs that carry a secret (webhooks); NULL: the URL */
};

struct net_response {
	long status;     /* 0 when no response arrived */
	struct buf body;
	int tries;       /* requests made, retries included */
};

struct net_client;

/* NULL with err set when libcurl cannot start a handle. */
struct net_client *net_client_new(const struct net_options *opts, struct pb_err *err);
void net_client_free(struct net_client *c);

void net_response_init(struct net_response *r, size_t max_body);
void net_response_release(struct net_response *r);

/*
 * Perform req. Returns 0 with r->status 2xx; PB_ERR_STOPPED when the run's
 * stop flag ended it; PB_ERR_NET otherwise, with err naming the method and
 * URL, the status (and a body excerpt) or the transport error, and whether
 * it was retried. run may be NULL (no log, never stopped).
 */
int net_perform(struct net_client *c, const struct net_request *req, struct net_response *r,
		const struct pb_run *run, struct pb_err *err);

int net_get(struct net_client *c, const char *url, struct net_response *r,
	    const struct pb_run *run, struct pb_err *err);

/* POST body (content_type e.g. "application/json") with retries: for webhooks. */
int net_post(struct net_client *c, const char *url, const char *content_type, const void *body,
	     size_t len, struct net_response *r, const struct pb_run *run, struct pb_err *err);

/*
 * Is the URL's host this machine: 127.0.0.0/8 (dotted quad), [::1] or
 * "localhost" exactly (any case; a port or path may follow)? Such hosts are
 * never proxied, and local model servers need no API key.
 * "127.example.com" and "localhost.example.com" are not local.
 */
bool net_url_is_local(const char *url);

/*
 * Would a secret sent to this URL cross a network unencrypted: a plain
 * http:// URL whose host is not this machine (net_url_is_local)? Then true,
 * with the host (no user:password@, no port) copied into host; false for
 * https://, loopback hosts and NULL, with host "".
 */
bool net_url_plain_remote_host(const char *url, char *host, size_t size);

/* The URL's host for messages ("smtp.example.com", "[::1]"): no user:password@, no port.
 * false, and "", when the URL has no "://". */
bool net_url_host(const char *url, char *out, size_t size);

#endif
