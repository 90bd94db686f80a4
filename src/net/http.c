/* http.c - the easy client: one request type, retries, stop, fail-fast timeouts. */
#include "core/common.h"

#include "net/http.h"
#include "net/internal.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

struct net_client {
	CURL *curl;
	struct net_options opts;
	uint32_t rng;
};

/* ---- shared with batch.c (internal.h) --------------------------------- */

static bool host_is_loopback_v4(const char *host, size_t len)
{
	/* Exactly four decimal parts 0..255, the first 127: "127.example.com" is a name, not this machine. */
	int parts = 0;
	long first = -1;
	size_t i = 0;
	while (i < len) {
		long v = 0;
		size_t digits = 0;
		for (; i < len && host[i] >= '0' && host[i] <= '9' && digits < 4; i++, digits++)
			v = v * 10 + (host[i] - '0');
		if (!digits || digits > 3 || v > 255)
			return false;
		if (!parts)
			first = v;
		parts++;
		if (i == len)
			break;
		if (host[i] != '.' || parts == 4)
			return false;
		i++;
		if (i == len)
			return false; /* trailing dot */
	}
	return parts == 4 && first == 127;
}

/*
 * The host of a URL's authority: after "scheme://" and any user:password@ (the last
 * '@'), up to the port or the path; an IPv6 literal with its brackets. false when
 * the URL has no "://".
 */
static bool url_host_span(const char *url, const char **host, size_t *len)
{
	const char *h = url ? strstr(url, "://") : NULL;
	if (!h)
		return false;
	h += 3;
	size_t authority = strcspn(h, "/?#");
	for (size_t i = authority; i > 0; i--) {
		if (h[i - 1] == '@') {
			h += i;
			authority -= i;
			break;
		}
	}
	size_t n;
	if (h[0] == '[') {
		const char *close = memchr(h, ']', authority);
		n = close ? (size_t)(close - h) + 1 : authority;
	} else {
		n = strcspn(h, ":");
		if (n > authority)
			n = authority;
	}
	*host = h;
	*len = n;
	return true;
}

bool net_url_host(const char *url, char *out, size_t size)
{
	const char *h;
	size_t n;
	bool found = url_host_span(url, &h, &n);
	if (size)
		snprintf(out, size, "%.*s", found ? (int)(n > 255 ? 255 : n) : 0, found ? h : "");
	return found; /* no DNS name is longer than 255 */
}

bool net_url_is_local(const char *url)
{
	const char *host;
	size_t len;
	if (!url_host_span(url, &host, &len))
		return false;
	if (host[0] == '[') {
		if (len < 2 || host[len - 1] != ']')
			return false;
		size_t n = len - 2;
		return (n == 3 && !strncmp(host + 1, "::1", 3)) ||
		       (n == 15 && !strncasecmp(host + 1, "0:0:0:0:0:0:0:1", 15));
	}
	if (len == 9 && !strncasecmp(host, "localhost", 9))
		return true;
	return host_is_loopback_v4(host, len);
}

bool net_url_plain_remote_host(const char *url, char *host, size_t size)
{
	if (size)
		host[0] = '\0';
	if (!url || strncasecmp(url, "http://", 7) || net_url_is_local(url))
		return false;
	net_url_host(url, host, size);
	return true;
}

void net_easy_setup(CURL *e, const char *url, const struct net_limits *limits)
{
	curl_easy_setopt(e, CURLOPT_URL, url);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_USERAGENT, NET_USER_AGENT);
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	if (limits->connect_timeout_ms > 0)
		curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, limits->connect_timeout_ms);
	if (limits->timeout_ms > 0)
		curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, limits->timeout_ms);
	if (limits->stall_timeout_s > 0) {
		curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 1L);
		curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, limits->stall_timeout_s);
	}
	/*
	 * A proxy from the environment cannot reach this machine's servers (local
	 * models, the fakes in tests): "" disables any proxy for this handle, and
	 * NOPROXY "*" covers curl versions that read no_proxy first.
	 */
	if (net_url_is_local(url)) {
		curl_easy_setopt(e, CURLOPT_PROXY, "");
		curl_easy_setopt(e, CURLOPT_NOPROXY, "*");
	}
}

/* Replace every occurrence of secret in *text (a heap string) by "[redacted]". */
static void redact(char **text, const char *secret, size_t len)
{
	if (len < 4)
		return; /* too short to be a credential, and would blank ordinary words */
	char *needle = xstrndup(secret, len);
	struct buf out;
	buf_init(&out, 0);
	const char *p = *text;
	for (const char *hit; (hit = strstr(p, needle)); p = hit + len) {
		sb_add(&out, p, (size_t)(hit - p));
		sb_adds(&out, "[redacted]");
	}
	sb_adds(&out, p);
	free(needle);
	free(*text);
	*text = buf_detach(&out);
}

static bool name_holds_secret(const char *name, size_t n)
{
	static const char *const words[] = {"authorization", "key", "token", "secret", "cookie"};
	for (size_t w = 0; w < PB_ARRAY_LEN(words); w++) {
		size_t wl = strlen(words[w]);
		for (size_t i = 0; i + wl <= n; i++)
			if (!strncasecmp(name + i, words[w], wl))
				return true;
	}
	return false;
}

/* Each credential of the headers sent, out of text. */
static void redact_headers(char **text, const struct curl_slist *sent)
{
	for (const struct curl_slist *h = sent; h; h = h->next) {
		const char *colon = strchr(h->data, ':');
		if (!colon || !name_holds_secret(h->data, (size_t)(colon - h->data)))
			continue;
		const char *v = colon + 1;
		v += strspn(v, " \t");
		size_t len = strlen(v);
		while (len && (v[len - 1] == ' ' || v[len - 1] == '\r' || v[len - 1] == '\n'))
			len--;
		redact(text, v, len);
		/* "Bearer sk-…": the token alone, as servers quote it. */
		const char *space = memchr(v, ' ', len);
		if (space)
			redact(text, space + 1, len - (size_t)(space + 1 - v));
	}
}

void net_body_excerpt(const struct buf *body, const struct curl_slist *sent, char *out, size_t size)
{
	/* Redact before cutting, so no credential is cut in half and shown in part. */
	size_t take = body->len < 8192 ? body->len : 8192;
	char *text = xstrndup(body->data ? body->data : "", take);
	redact_headers(&text, sent);
	size_t n = 0;
	for (size_t i = 0; text[i] && n + 1 < size; i++) {
		unsigned char c = (unsigned char)text[i];
		out[n++] = c < 0x20 || c == 0x7f ? ' ' : (char)c;
	}
	free(text);
	/* Do not cut a UTF-8 sequence in half. */
	while (n > 0 && ((unsigned char)out[n - 1] & 0xC0) == 0x80)
		n--;
	if (n > 0 && ((unsigned char)out[n - 1] & 0xC0) == 0xC0)
		n--;
	if (size)
		out[n] = '\0';
}

/* ---- the easy client -------------------------------------------------- */

void net_options_default(struct net_options *o)
{
	memset(o, 0, sizeof(*o));
	o->connect_timeout_ms = 10000;
	o->timeout_ms = 30000;
	o->stall_timeout_s = 15;
	o->deadline_ms = 40000;
	net_retry_policy_default(&o->retry);
	o->max_body = BUF_LIMIT_HTTP;
}

struct net_client *net_client_new(const struct net_options *opts, struct pb_err *err)
{
	/* curl_global_init() is the CLI's job (src/cli/main.c), once per process. */
	CURL *curl = curl_easy_init();
	if (!curl) {
		pb_err_set(err, PB_ERR_NET, "cannot start an HTTP client (curl_easy_init failed)");
		pb_err_hint(err, "libcurl could not allocate a handle: the machine may be out of memory");
		return NULL;
	}
	struct net_client *c = xcalloc(1, sizeof(*c));
	c->curl = curl;
	c->opts = *opts;
	if (c->opts.retry.max_tries < 1)
		c->opts.retry.max_tries = 1;
	c->rng = net_jitter_seed(c);
	return c;
}

void net_client_free(struct net_client *c)
{
	if (!c)
		return;
	curl_easy_cleanup(c->curl);
	free(c);
}

void net_response_init(struct net_response *r, size_t max_body)
{
	r->status = 0;
	r->tries = 0;
	buf_init(&r->body, max_body);
}

void net_response_release(struct net_response *r)
{
	buf_release(&r->body);
}

struct transfer {
	struct buf *body;
	bool too_big;
	long retry_after_s;
	const struct pb_run *run;
};

static size_t on_body(char *data, size_t size, size_t nmemb, void *userdata)
{
	struct transfer *t = userdata;
	if (buf_add(t->body, data, size * nmemb)) {
		t->too_big = true;
		return 0; /* makes curl fail with CURLE_WRITE_ERROR */
	}
	return size * nmemb;
}

/* Called by curl about once a second and on every read: a stop aborts the transfer at once. */
static int on_progress(void *userdata, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
		       curl_off_t ulnow)
{
	(void)dltotal, (void)dlnow, (void)ultotal, (void)ulnow;
	struct transfer *t = userdata;
	return pb_run_stopped(t->run) ? 1 : 0;
}

static const char *method_name(enum net_method m)
{
	return m == NET_POST ? "POST" : "GET";
}

/* What messages call the request: its label when its URL is a secret, else 'URL'. */
static void request_name(const struct net_request *req, char *out, size_t size)
{
	if (req->label)
		snprintf(out, size, "%s", req->label);
	else
		snprintf(out, size, "'%s'", req->url);
}

static int stopped(const struct net_request *req, struct pb_err *err)
{
	char name[512];
	request_name(req, name, sizeof(name));
	return pb_err_set(err, PB_ERR_STOPPED, "%s %s interrupted", method_name(req->method), name);
}

int net_perform(struct net_client *c, const struct net_request *req, struct net_response *r,
		const struct pb_run *run, struct pb_err *err)
{
	CURL *curl = c->curl;
	const struct net_options *o = &c->opts;
	const struct pb_log *log = run ? run->log : NULL;
	const volatile sig_atomic_t *stop = run ? run->stop : NULL;
	const char *method = method_name(req->method);
	char name[512];
	request_name(req, name, sizeof(name));
	size_t limit = req->max_response ? req->max_response : r->body.limit;
	double deadline = o->deadline_ms > 0 ? pb_monotonic_s() + o->deadline_ms / 1000.0 : 0;
	if (run && run->deadline > 0 && (deadline == 0 || run->deadline < deadline))
		deadline = run->deadline;

	struct curl_slist *headers = NULL;
	for (size_t i = 0; req->headers && req->headers[i]; i++)
		headers = curl_slist_append(headers, req->headers[i]);

	char errbuf[CURL_ERROR_SIZE];
	int rc = PB_ERR_NET;
	for (int attempt = 1;; attempt++) {
		if (pb_run_stopped(run)) {
			rc = stopped(req, err);
			break;
		}
		struct transfer t = {&r->body, false, -1, run};
		buf_reset(&r->body);
		r->body.limit = limit;
		r->status = 0;
		r->tries = attempt;
		errbuf[0] = '\0';

		/* The deadline shortens the last try instead of letting it run past. */
		struct net_limits limits = {o->connect_timeout_ms, o->timeout_ms, o->stall_timeout_s};
		if (deadline > 0) {
			long left = (long)((deadline - pb_monotonic_s()) * 1000);
			if (left < 1)
				left = 1;
			if (limits.timeout_ms <= 0 || left < limits.timeout_ms)
				limits.timeout_ms = left;
		}
		if (limits.connect_timeout_ms > limits.timeout_ms && limits.timeout_ms > 0)
			limits.connect_timeout_ms = limits.timeout_ms;

		curl_easy_reset(curl);
		net_easy_setup(curl, req->url, &limits);
		curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
		curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
		curl_easy_setopt(curl, CURLOPT_MAXREDIRS, 5L);
		curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
		curl_easy_setopt(curl, CURLOPT_WRITEDATA, &t);
		curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, net_header_retry_after);
		curl_easy_setopt(curl, CURLOPT_HEADERDATA, &t.retry_after_s);
		curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, on_progress);
		curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &t);
		curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
		if (headers)
			curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
		if (req->method == NET_POST) {
			curl_easy_setopt(curl, CURLOPT_POST, 1L);
			curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len);
			curl_easy_setopt(curl, CURLOPT_POSTFIELDS, req->body ? req->body : "");
		}

		CURLcode cc = curl_easy_perform(curl);
		if (cc == CURLE_OK)
			curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &r->status);

		char cause[CURL_ERROR_SIZE + 200];
		bool retryable;
		if (cc == CURLE_ABORTED_BY_CALLBACK && pb_run_stopped(run)) {
			rc = stopped(req, err);
			break;
		} else if (t.too_big) {
			rc = pb_err_set(err, PB_ERR_NET, "response from %s is larger than %zu bytes",
					name, r->body.limit);
			break;
		} else if (cc != CURLE_OK) {
			snprintf(cause, sizeof(cause), "%s", errbuf[0] ? errbuf : curl_easy_strerror(cc));
			retryable = net_curl_error_is_retryable(cc);
		} else if (r->status >= 200 && r->status < 300) {
			rc = 0;
			break;
		} else {
			char excerpt[161];
			net_body_excerpt(&r->body, headers, excerpt, sizeof(excerpt));
			snprintf(cause, sizeof(cause), "HTTP %ld%s%s%s", r->status, excerpt[0] ? ": " : "",
				 excerpt, excerpt[0] && strlen(excerpt) < r->body.len ? "..." : "");
			retryable = net_status_is_retryable(r->status);
		}

		long wait = retryable ? net_backoff_ms(&o->retry, attempt, t.retry_after_s, &c->rng) : 0;
		bool out_of_time = deadline > 0 && pb_monotonic_s() + wait / 1000.0 >= deadline;
		if (!retryable || attempt >= o->retry.max_tries || out_of_time) {
			pb_err_set(err, PB_ERR_NET, "%s %s failed: %s%s", method, name, cause,
				   attempt > 1 ? " (after retries)" : "");
			if (retryable && out_of_time && attempt < o->retry.max_tries)
				pb_err_hint(err, "no answer within %.0f s, retries included; check the network "
						 "(a proxy in http_proxy/https_proxy?) or the server",
					    o->deadline_ms / 1000.0);
			else if (cc == CURLE_COULDNT_RESOLVE_HOST || cc == CURLE_COULDNT_CONNECT ||
				 cc == CURLE_OPERATION_TIMEDOUT)
				pb_err_hint(err, "check the network connection or the base URL option");
			else if (r->status == 429)
				pb_err_hint(err, "the server is rate limiting; wait a while and run again");
			rc = PB_ERR_NET;
			break;
		}
		int left = o->retry.max_tries - attempt;
		pb_warn(log, "%s %s: %s; retrying in %.1f s (%d %s left)", method,
			req->label ? req->label : req->url, cause,
			wait / 1000.0, left, left == 1 ? "try" : "tries");
		if (pb_sleep_ms(stop, wait)) {
			rc = stopped(req, err);
			break;
		}
	}
	curl_slist_free_all(headers);
	return rc;
}

int net_get(struct net_client *c, const char *url, struct net_response *r,
	    const struct pb_run *run, struct pb_err *err)
{
	struct net_request req = {.method = NET_GET, .url = url};
	return net_perform(c, &req, r, run, err);
}

int net_post(struct net_client *c, const char *url, const char *content_type, const void *body,
	     size_t len, struct net_response *r, const struct pb_run *run, struct pb_err *err)
{
	char *ct = xasprintf("Content-Type: %s", content_type ? content_type : "application/octet-stream");
	const char *headers[] = {ct, NULL};
	struct net_request req = {.method = NET_POST, .url = url, .headers = headers,
				  .body = body, .body_len = len};
	int rc = net_perform(c, &req, r, run, err);
	free(ct);
	return rc;
}
