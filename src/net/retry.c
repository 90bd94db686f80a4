/* retry.c - retryable answers, Retry-After in both forms, capped jittered backoff. */
#include "core/common.h"

#include "net/retry.h"

#include <curl/curl.h>
#include <string.h>
#include <strings.h>

void net_retry_policy_default(struct net_retry_policy *p)
{
	p->max_tries = 4;
	p->backoff_base_ms = 1000;
	p->backoff_max_ms = 60000;
}

bool net_status_is_retryable(long status)
{
	return status == 408 || status == 425 || status == 429 || (status >= 500 && status <= 599);
}

bool net_curl_error_is_retryable(int curl_code)
{
	switch ((CURLcode)curl_code) {
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

/* ---- HTTP-date (RFC 9110 section 5.6.7) ------------------------------- */

struct cursor {
	const char *p, *end;
};

static bool at_end(const struct cursor *c)
{
	return c->p >= c->end;
}

static bool take_char(struct cursor *c, char ch)
{
	if (at_end(c) || *c->p != ch)
		return false;
	c->p++;
	return true;
}

/* Exactly `digits` digits (or 1..digits when `at_most`). */
static bool take_number(struct cursor *c, int digits, bool at_most, int *out)
{
	int n = 0, v = 0;
	while (n < digits && !at_end(c) && *c->p >= '0' && *c->p <= '9') {
		v = v * 10 + (*c->p - '0');
		c->p++;
		n++;
	}
	*out = v;
	return at_most ? n >= 1 : n == digits;
}

static bool take_word(struct cursor *c, const char *const *words, int n_words, int *index)
{
	for (int i = 0; i < n_words; i++) {
		size_t len = strlen(words[i]);
		if ((size_t)(c->end - c->p) >= len && !strncmp(c->p, words[i], len)) {
			c->p += len;
			*index = i;
			return true;
		}
	}
	return false;
}

static const char *const month_names[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
static long long days_from_civil(long long y, int m, int d)
{
	y -= m <= 2;
	long long era = (y >= 0 ? y : y - 399) / 400;
	long long yoe = y - era * 400;
	long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static bool take_time(struct cursor *c, int *h, int *mi, int *s)
{
	return take_number(c, 2, false, h) && take_char(c, ':') && take_number(c, 2, false, mi) &&
	       take_char(c, ':') && take_number(c, 2, false, s) && *h < 24 && *mi < 60 && *s <= 60;
}

/* Seconds since the epoch of an HTTP-date, or false. */
static bool parse_http_date(struct cursor c, long long *out)
{
	static const char *const long_days[] = {"Monday", "Tuesday", "Wednesday", "Thursday",
						"Friday", "Saturday", "Sunday"};
	static const char *const short_days[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
	int day = 0, month = 0, year = 0, h = 0, mi = 0, s = 0, ignored;
	bool ok;
	if (take_word(&c, long_days, 7, &ignored)) {
		/* RFC 850: Sunday, 06-Nov-94 08:49:37 GMT */
		ok = take_char(&c, ',') && take_char(&c, ' ') && take_number(&c, 2, false, &day) &&
		     take_char(&c, '-') && take_word(&c, month_names, 12, &month) && take_char(&c, '-') &&
		     take_number(&c, 2, false, &year) && take_char(&c, ' ') && take_time(&c, &h, &mi, &s) &&
		     take_char(&c, ' ') && take_char(&c, 'G') && take_char(&c, 'M') && take_char(&c, 'T');
		/* Two-digit years: RFC 9110 says one more than 50 years ahead is in the past. */
		year += year < 70 ? 2000 : 1900;
	} else if (take_word(&c, short_days, 7, &ignored)) {
		if (take_char(&c, ',')) {
			/* IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT */
			ok = take_char(&c, ' ') && take_number(&c, 2, false, &day) && take_char(&c, ' ') &&
			     take_word(&c, month_names, 12, &month) && take_char(&c, ' ') &&
			     take_number(&c, 4, false, &year) && take_char(&c, ' ') &&
			     take_time(&c, &h, &mi, &s) && take_char(&c, ' ') && take_char(&c, 'G') &&
			     take_char(&c, 'M') && take_char(&c, 'T');
		} else {
			/* asctime: Sun Nov  6 08:49:37 1994 */
			ok = take_char(&c, ' ') && take_word(&c, month_names, 12, &month) &&
			     take_char(&c, ' ');
			if (ok && !at_end(&c) && *c.p == ' ')
				c.p++;
			ok = ok && take_number(&c, 2, true, &day) && take_char(&c, ' ') &&
			     take_time(&c, &h, &mi, &s) && take_char(&c, ' ') &&
			     take_number(&c, 4, false, &year);
		}
	} else {
		return false;
	}
	if (!ok || !at_end(&c) || day < 1 || day > 31)
		return false;
	*out = days_from_civil(year, month + 1, day) * 86400LL + h * 3600LL + mi * 60LL + s;
	return true;
}

long net_retry_after_parse(const char *value, size_t len, time_t now)
{
	struct cursor c = {value, value + len};
	while (!at_end(&c) && (*c.p == ' ' || *c.p == '\t'))
		c.p++;
	while (c.end > c.p && (c.end[-1] == ' ' || c.end[-1] == '\t' || c.end[-1] == '\r' ||
			       c.end[-1] == '\n'))
		c.end--;
	if (at_end(&c))
		return -1;
	if (*c.p >= '0' && *c.p <= '9') {
		/* delta-seconds: saturate instead of overflowing (9223372036854775807 and beyond). */
		long s = 0;
		for (; !at_end(&c); c.p++) {
			if (*c.p < '0' || *c.p > '9')
				return -1;
			if (s < NET_RETRY_AFTER_MAX_S)
				s = s * 10 + (*c.p - '0');
		}
		return s < NET_RETRY_AFTER_MAX_S ? s : NET_RETRY_AFTER_MAX_S;
	}
	long long when;
	if (!parse_http_date(c, &when))
		return -1;
	long long delta = when - (long long)now;
	if (delta <= 0)
		return 0;
	return delta < NET_RETRY_AFTER_MAX_S ? (long)delta : NET_RETRY_AFTER_MAX_S;
}

long net_retry_after_header(const char *line, size_t len, time_t now)
{
	static const char name[] = "retry-after:";
	size_t name_len = sizeof(name) - 1;
	if (len <= name_len || strncasecmp(line, name, name_len))
		return -1;
	return net_retry_after_parse(line + name_len, len - name_len, now);
}

size_t net_header_retry_after(char *data, size_t size, size_t nmemb, void *retry_after_s)
{
	size_t n = size * nmemb;
	long s = net_retry_after_header(data, n, time(NULL));
	if (s >= 0)
		*(long *)retry_after_s = s;
	return n;
}

/* ---- backoff ---------------------------------------------------------- */

uint32_t net_jitter(uint32_t *state)
{
	/* xorshift32: good enough to spread retries, and never stuck at 0 once seeded non-zero. */
	uint32_t x = *state ? *state : 0x9E3779B9u;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*state = x;
	return x;
}

uint32_t net_jitter_seed(const void *salt)
{
	uint32_t s = (uint32_t)time(NULL) ^ (uint32_t)(uintptr_t)salt ^ 0x9E3779B9u;
	return s ? s : 1;
}

long net_backoff_ms(const struct net_retry_policy *p, int tries, long retry_after_s,
		    uint32_t *rng)
{
	long cap = p->backoff_max_ms > 0 ? p->backoff_max_ms : 0;
	if (retry_after_s >= 0) {
		if (retry_after_s > NET_RETRY_AFTER_MAX_S)
			retry_after_s = NET_RETRY_AFTER_MAX_S;
		long ms = retry_after_s * 1000;
		return ms < cap ? ms : cap;
	}
	long d = p->backoff_base_ms > 0 ? p->backoff_base_ms : 0;
	for (int i = 1; i < tries && d < cap; i++)
		d *= 2; /* d < cap before each doubling, so this never overflows */
	if (d > cap)
		d = cap;
	long half = d / 2;
	return half + (half ? (long)((uint64_t)net_jitter(rng) % (uint64_t)(half + 1)) : 0);
}
