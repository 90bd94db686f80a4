/*
 * internal.h - what the easy client (http.c) and the batch engine (batch.c)
 * share inside src/net/, so both set up a transfer and quote a server the
 * same way. Not for use outside src/net/.
 */
#ifndef PB_NET_INTERNAL_H
#define PB_NET_INTERNAL_H

#include "core/buf.h"

#include <curl/curl.h>

/* The one User-Agent of every request paperboy makes. */
#define NET_USER_AGENT "paperboy/" PAPERBOY_VERSION

struct net_limits {
	long connect_timeout_ms; /* 0: curl's default */
	long timeout_ms;         /* the whole transfer; 0: none */
	long stall_timeout_s;    /* abort when under 1 byte/s for this long; 0: never */
};

/*
 * The settings every transfer gets: URL, protocols (http/https only, also
 * after redirects), timeouts and stall limit, User-Agent, compression, no
 * signals, and the proxy rule (loopback never proxied; see net_url_is_local).
 */
void net_easy_setup(CURL *e, const char *url, const struct net_limits *limits);

/*
 * A one-line excerpt of a server's body for messages: control bytes blanked,
 * no cut UTF-8 sequence, and every credential the request carried in its
 * headers (Authorization's value and its token, any *key*, *token* or *secret*
 * header) replaced by "[redacted]" before it is cut, so a server that echoes
 * the key ("Incorrect API key provided: sk-…") never puts it into an error,
 * a report or the archive. sent may be NULL.
 */
void net_body_excerpt(const struct buf *body, const struct curl_slist *sent, char *out, size_t size);

#endif
