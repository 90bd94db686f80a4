/* http.c - libcurl easy GET with retries. */
#include "core/common.h"

#include "core/http.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

struct http_client {
	CURL *curl;
	struct http_options opts;
	unsigned jitter_state;
};

void http_options_default(struct http_options *o)
{
	o->connect_timeout_ms = 10000;
	o->timeout_ms = 30000;
	o->retries = 3;
	o->backoff_base_ms = 1000;
	o->backoff_max_ms = 60000;
	o->max_body = BUF_LIMIT_HTTP;
	o->user_agent = "paperboy/" PAPERBOY_VERSION " (+https://github.com/paperboy)";
}

struct http_client *http_client_new(const struct http_options *opts)
{
	/* curl_global_init() is the CLI's job (src/cli/main.c), once per process. */
	struct http_client *c = xcalloc(1, sizeof(*c));
	c->curl = curl_easy_init();
	if (!c->curl) {
		free(c);
		return NULL;
	}
	c->opts = *opts;
	c->jitter_state = (unsigned)time(NULL) ^ (unsigned)(uintptr_t)c;
	return c;
}

void http_client_free(struct http_client *c)
{
	if (!c)
		return;
	curl_easy_cleanup(c->curl);
	free(c);
}

void http_response_init(struct http_response *r, size_t max_body)
{
	r->status = 0;
	r->tries = 0;
	buf_init(&r->body, max_body);
}

void http_response_release(struct http_response *r)
{
	buf_release(&r->body);
}

struct transfer {
	struct buf *body;
	bool too_big;
	long retry_after_s;
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

long http_retry_after(const char *line, size_t len)
{
	static const char name[] = "retry-after:";
	size_t name_len = sizeof(name) - 1;
	if (len <= name_len || strncasecmp(line, name, name_len))
		return -1;
	char value[32];
	size_t vlen = len - name_len < sizeof(value) - 1 ? len - name_len : sizeof(value) - 1;
	memcpy(value, line + name_len, vlen);
	value[vlen] = '\0';
	char *end;
	long s = strtol(value, &end, 10);
	return end != value && s >= 0 ? s : -1;
}

size_t http_header_retry_after(char *data, size_t size, size_t nmemb, void *retry_after_s)
{
	size_t n = size * nmemb;
	long s = http_retry_after(data, n);
	if (s >= 0)
		*(long *)retry_after_s = s;
	return n;
}

static bool transport_error_is_retryable(CURLcode rc)
{
	switch (rc) {
	case CURLE_COULDNT_CONNECT:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		return true;
	default:
		return false;
	}
}

/* Servers explain a 4xx in the body ({"error":"Invalid date"}): show a short, one-line excerpt. */
static void append_body_excerpt(char *cause, size_t size, const struct buf *body)
{
	size_t used = strlen(cause);
	if (!body->len || used + 8 >= size)
		return;
	char excerpt[161];
	size_t n = 0;
	for (size_t i = 0; i < body->len && n < sizeof(excerpt) - 1; i++) {
		unsigned char c = (unsigned char)body->data[i];
		excerpt[n++] = c < 0x20 || c == 0x7f ? ' ' : (char)c;
	}
	/* Do not cut a UTF-8 sequence in half. */
	while (n > 0 && ((unsigned char)excerpt[n - 1] & 0xC0) == 0x80)
		n--;
	if (n > 0 && ((unsigned char)excerpt[n - 1] & 0xC0) == 0xC0)
		n--;
	excerpt[n] = '\0';
	snprintf(cause + used, size - used, ": %s%s", excerpt, n < body->len ? "..." : "");
}

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static long backoff_ms(struct http_client *c, int attempt, long retry_after_s)
{
	long cap = c->opts.backoff_max_ms;
	if (retry_after_s >= 0) {
		long ms = retry_after_s * 1000;
		return ms < cap ? ms : cap;
	}
	long ms = c->opts.backoff_base_ms;
	for (int i = 0; i < attempt && ms < cap; i++)
		ms *= 2;
	if (ms > cap)
		ms = cap;
	/* Up to 25% jitter so many clients retrying together spread out. */
	c->jitter_state = c->jitter_state * 1103515245u + 12345u;
	long jitter = ms / 4 ? (long)((c->jitter_state >> 8) % (unsigned)(ms / 4 + 1)) : 0;
	return ms + jitter;
}

int http_get(struct http_client *c, const char *url, struct http_response *r,
	     const struct pb_log *log, struct pb_err *err)
{
	CURL *curl = c->curl;
	char errbuf[CURL_ERROR_SIZE];
	for (int attempt = 0;; attempt++) {
		struct transfer t = {&r->body, false, -1};
		buf_reset(&r->body);
		r->status = 0;
		r->tries = attempt + 1;
		errbuf[0] = '\0';
		curl_easy_reset(curl);
		curl_easy_setopt(curl, CURLOPT_URL, url);
		curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
		curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
		curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
		curl_easy_setopt(curl, CURLOPT_MAXREDIRS, 5L);
		curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
		curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
		curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, c->opts.connect_timeout_ms);
		curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, c->opts.timeout_ms);
		curl_easy_setopt(curl, CURLOPT_USERAGENT, c->opts.user_agent);
		curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");
		curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
		curl_easy_setopt(curl, CURLOPT_WRITEDATA, &t);
		curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, http_header_retry_after);
		curl_easy_setopt(curl, CURLOPT_HEADERDATA, &t.retry_after_s);

		CURLcode rc = curl_easy_perform(curl);
		if (rc == CURLE_OK)
			curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &r->status);

		char cause[CURL_ERROR_SIZE + 64];
		bool retryable;
		if (t.too_big) {
			return pb_err_set(err, PB_ERR_NET,
					  "response from '%s' is larger than %zu bytes", url,
					  r->body.limit);
		} else if (rc != CURLE_OK) {
			snprintf(cause, sizeof(cause), "%s",
				 errbuf[0] ? errbuf : curl_easy_strerror(rc));
			retryable = transport_error_is_retryable(rc);
		} else if (r->status >= 200 && r->status < 300) {
			return 0;
		} else {
			snprintf(cause, sizeof(cause), "HTTP %ld", r->status);
			append_body_excerpt(cause, sizeof(cause), &r->body);
			retryable = r->status == 429 || r->status == 408 || r->status >= 500;
		}

		if (!retryable || attempt >= c->opts.retries) {
			pb_err_set(err, PB_ERR_NET, "GET '%s' failed: %s%s", url, cause,
				   attempt ? " (after retries)" : "");
			if (rc == CURLE_COULDNT_RESOLVE_HOST || rc == CURLE_COULDNT_CONNECT)
				pb_err_hint(err, "check the network connection or the base URL option");
			else if (r->status == 429)
				pb_err_hint(err, "the server is rate limiting; wait a while and run again");
			return PB_ERR_NET;
		}
		long wait = backoff_ms(c, attempt, r->status == 429 || r->status == 503
							   ? t.retry_after_s
							   : -1);
		pb_warn(log, "GET %s: %s; retrying in %.1f s (%d %s left)", url, cause,
			wait / 1000.0, c->opts.retries - attempt,
			c->opts.retries - attempt == 1 ? "try" : "tries");
		sleep_ms(wait);
	}
}
