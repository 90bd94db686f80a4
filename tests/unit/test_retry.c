/* Unit tests for net/retry (statuses, Retry-After in both forms, backoff bounds) and net_url_is_local. */
#include "core/common.h"

#include "net/http.h"
#include "net/retry.h"
#include "harness.h"

#include <curl/curl.h>
#include <limits.h>

/* 1994-11-06 08:49:37 UTC, the RFC 9110 example date. */
#define RFC_EXAMPLE 784111777L

static long ra(const char *value, time_t now)
{
	return net_retry_after_parse(value, strlen(value), now);
}

static void test_statuses(void)
{
	CHECK(net_status_is_retryable(408));
	CHECK(net_status_is_retryable(425));
	CHECK(net_status_is_retryable(429));
	CHECK(net_status_is_retryable(500));
	CHECK(net_status_is_retryable(503));
	CHECK(net_status_is_retryable(599));
	CHECK(!net_status_is_retryable(200));
	CHECK(!net_status_is_retryable(400));
	CHECK(!net_status_is_retryable(401));
	CHECK(!net_status_is_retryable(404));
	CHECK(!net_status_is_retryable(600));
	CHECK(net_curl_error_is_retryable(CURLE_OPERATION_TIMEDOUT));
	CHECK(net_curl_error_is_retryable(CURLE_COULDNT_CONNECT));
	CHECK(net_curl_error_is_retryable(CURLE_GOT_NOTHING));
	CHECK(!net_curl_error_is_retryable(CURLE_COULDNT_RESOLVE_HOST)); /* offline or a typo */
	CHECK(!net_curl_error_is_retryable(CURLE_URL_MALFORMAT));
}

static void test_retry_after(void)
{
	/* delta-seconds */
	CHECK_INT(ra("0", 0), 0);
	CHECK_INT(ra("5", 0), 5);
	CHECK_INT(ra("  120 \r\n", 0), 120);
	/* huge values clamp, never overflow */
	CHECK_INT(ra("9223372036854775807", 0), NET_RETRY_AFTER_MAX_S);
	CHECK_INT(ra("99999999999999999999999999999999", 0), NET_RETRY_AFTER_MAX_S);
	CHECK_INT(ra("86401", 0), NET_RETRY_AFTER_MAX_S);
	/* garbage */
	CHECK_INT(ra("", 0), -1);
	CHECK_INT(ra("   ", 0), -1);
	CHECK_INT(ra("-5", 0), -1);
	CHECK_INT(ra("5s", 0), -1);
	CHECK_INT(ra("soon", 0), -1);
	CHECK_INT(ra("1.5", 0), -1);
	CHECK_INT(ra("Sun, 06 Nov 1994 08:49:37", 0), -1);    /* no GMT */
	CHECK_INT(ra("Sun, 32 Nov 1994 08:49:37 GMT", 0), -1); /* no such day */
	CHECK_INT(ra("Sun, 06 Foo 1994 08:49:37 GMT", 0), -1);
	CHECK_INT(ra("Sun, 06 Nov 1994 25:49:37 GMT", 0), -1);
	/* HTTP-date, all three forms of RFC 9110 */
	CHECK_INT(ra("Sun, 06 Nov 1994 08:49:37 GMT", RFC_EXAMPLE - 30), 30);
	CHECK_INT(ra("Sunday, 06-Nov-94 08:49:37 GMT", RFC_EXAMPLE - 30), 30);
	CHECK_INT(ra("Sun Nov  6 08:49:37 1994", RFC_EXAMPLE - 30), 30);
	/* in the past: retry now */
	CHECK_INT(ra("Sun, 06 Nov 1994 08:49:37 GMT", RFC_EXAMPLE + 3600), 0);
	/* far in the future: clamped */
	CHECK_INT(ra("Fri, 31 Dec 9999 23:59:59 GMT", RFC_EXAMPLE), NET_RETRY_AFTER_MAX_S);
	/* a leap day, to check the calendar arithmetic: 2024-02-29 00:00:00 is 1709164800 */
	CHECK_INT(ra("Thu, 29 Feb 2024 00:00:00 GMT", 1709164800L - 7), 7);
	/* whole header lines as curl hands them over */
	const char *line = "Retry-After: 7\r\n";
	CHECK_INT(net_retry_after_header(line, strlen(line), 0), 7);
	line = "retry-after:Sun, 06 Nov 1994 08:49:37 GMT\r\n";
	CHECK_INT(net_retry_after_header(line, strlen(line), RFC_EXAMPLE - 2), 2);
	line = "Content-Type: 7\r\n";
	CHECK_INT(net_retry_after_header(line, strlen(line), 0), -1);
	/* Through the curl header callback, into the wait: bounded, and garbage keeps what was there. */
	{
		struct net_retry_policy p;
		net_retry_policy_default(&p);
		uint32_t rng = 1;
		long stored = -1;
		char huge[] = "Retry-After: 9223372036854775807\r\n";
		CHECK_INT(net_header_retry_after(huge, 1, strlen(huge), &stored), strlen(huge));
		CHECK_INT(stored, NET_RETRY_AFTER_MAX_S);
		CHECK_INT(net_backoff_ms(&p, 1, stored, &rng), p.backoff_max_ms);
		char negative[] = "Retry-After: -9223372036854775808\r\n";
		net_header_retry_after(negative, 1, strlen(negative), &stored);
		CHECK_INT(stored, NET_RETRY_AFTER_MAX_S);
		stored = -1;
		char garbage[] = "Retry-After: \xff\xfe tomorrow\r\n";
		net_header_retry_after(garbage, 1, strlen(garbage), &stored);
		CHECK_INT(stored, -1);
		CHECK(net_backoff_ms(&p, 1, stored, &rng) <= p.backoff_base_ms);
		char far[] = "Retry-After: Fri, 31 Dec 9999 23:59:60 GMT\r\n";
		net_header_retry_after(far, 1, strlen(far), &stored);
		CHECK_INT(stored, NET_RETRY_AFTER_MAX_S);
		/* A negative Retry-After handed in directly is "none": the normal backoff. */
		CHECK(net_backoff_ms(&p, 1, LONG_MIN, &rng) <= p.backoff_base_ms);
	}
	/* 10,000 digits, RFC 850 and asctime dates far ahead, year 0: no overflow anywhere. */
	{
		char digits[10001];
		memset(digits, '9', sizeof(digits) - 1);
		digits[sizeof(digits) - 1] = '\0';
		CHECK_INT(ra(digits, 0), NET_RETRY_AFTER_MAX_S);
		CHECK_INT(ra("Thursday, 31-Dec-69 23:59:59 GMT", 0), NET_RETRY_AFTER_MAX_S);
		CHECK_INT(ra("Fri Dec 31 23:59:59 9999", 0), NET_RETRY_AFTER_MAX_S);
		CHECK_INT(ra("Sat, 01 Jan 0000 00:00:00 GMT", 0), 0);
		CHECK_INT(ra("Fri, 31 Dec 9999 23:59:59 GMT", (time_t)LLONG_MAX / 2), 0);
	}
}

static void test_backoff(void)
{
	struct net_retry_policy p;
	net_retry_policy_default(&p);
	p.backoff_base_ms = 1000;
	p.backoff_max_ms = 60000;
	uint32_t rng = net_jitter_seed(&p);
	bool varied = false;
	long first = -1;
	for (int round = 0; round < 200; round++) {
		for (int tries = 1; tries <= 40; tries++) {
			long full = 1000L << (tries - 1 < 20 ? tries - 1 : 20);
			if (full > 60000)
				full = 60000;
			long w = net_backoff_ms(&p, tries, -1, &rng);
			CHECK(w >= full / 2 && w <= full);
			if (tries == 1) {
				if (first >= 0 && w != first)
					varied = true;
				first = w;
			}
		}
	}
	CHECK(varied); /* jittered, not a fixed schedule */
	/* Many tries never overflow past the cap. */
	CHECK(net_backoff_ms(&p, INT_MAX, -1, &rng) <= 60000);
	/* Retry-After wins, exactly (no jitter), capped by backoff_max_ms. */
	CHECK_INT(net_backoff_ms(&p, 1, 1, &rng), 1000);
	CHECK_INT(net_backoff_ms(&p, 3, 0, &rng), 0);
	CHECK_INT(net_backoff_ms(&p, 1, 3600, &rng), 60000);
	CHECK_INT(net_backoff_ms(&p, 1, LONG_MAX, &rng), 60000);
	/* A zero base means no wait. */
	p.backoff_base_ms = 0;
	CHECK_INT(net_backoff_ms(&p, 5, -1, &rng), 0);
	/* The generator never sticks at zero. */
	uint32_t zero = 0;
	CHECK(net_jitter(&zero) != 0);
}

static void test_url_is_local(void)
{
	CHECK(net_url_is_local("http://127.0.0.1"));
	CHECK(net_url_is_local("http://127.0.0.1:8080/v1"));
	CHECK(net_url_is_local("http://127.1.2.3/"));
	CHECK(net_url_is_local("http://[::1]:11434/v1"));
	CHECK(net_url_is_local("http://[::1]"));
	CHECK(net_url_is_local("http://localhost"));
	CHECK(net_url_is_local("http://localhost:8080"));
	CHECK(net_url_is_local("https://LocalHost/v1"));
	CHECK(net_url_is_local("http://user:pw@127.0.0.1:9/"));
	CHECK(!net_url_is_local("http://127.example.com"));
	CHECK(!net_url_is_local("http://127.example.com:8080/v1"));
	CHECK(!net_url_is_local("http://example.com"));
	CHECK(!net_url_is_local("http://localhost.example.com/"));
	CHECK(!net_url_is_local("http://localhostx:80/"));
	CHECK(!net_url_is_local("http://127.0.0.1.example.com/"));
	CHECK(!net_url_is_local("http://127.0.0/"));
	CHECK(!net_url_is_local("http://127.0.0.256/"));
	CHECK(!net_url_is_local("http://128.0.0.1/"));
	CHECK(!net_url_is_local("http://[::2]/"));
	CHECK(!net_url_is_local("http://example.com/?next=http://127.0.0.1"));
	CHECK(!net_url_is_local("http://127.0.0.1@example.com/"));
	CHECK(!net_url_is_local("127.0.0.1"));
	CHECK(!net_url_is_local(NULL));
}

/* Where a key would travel unencrypted: plain http:// to anything but this machine. */
static void test_plain_remote_host(void)
{
	char host[256];
	CHECK(net_url_plain_remote_host("http://llm.example.com/v1", host, sizeof(host)));
	CHECK_STR(host, "llm.example.com");
	CHECK(net_url_plain_remote_host("HTTP://user:pw@10.0.0.5:8000/v1", host, sizeof(host)));
	CHECK_STR(host, "10.0.0.5"); /* no user:password, no port */
	CHECK(net_url_plain_remote_host("http://[2001:db8::1]:8080/v1", host, sizeof(host)));
	CHECK_STR(host, "[2001:db8::1]");
	/* look-alikes of loopback are remote */
	CHECK(net_url_plain_remote_host("http://127.example.com:8080/v1", host, sizeof(host)));
	CHECK_STR(host, "127.example.com");
	CHECK(net_url_plain_remote_host("http://localhost.example.com/", host, sizeof(host)));
	CHECK_STR(host, "localhost.example.com");
	CHECK(net_url_plain_remote_host("http://127.0.0.1@evil.example/", host, sizeof(host)));
	CHECK_STR(host, "evil.example");
	/* a small buffer truncates, never overflows */
	char tiny[4];
	CHECK(net_url_plain_remote_host("http://example.com/", tiny, sizeof(tiny)));
	CHECK_STR(tiny, "exa");
	/* loopback and https are fine, and leave host empty */
	snprintf(host, sizeof(host), "x");
	CHECK(!net_url_plain_remote_host("http://127.0.0.1:9/v1", host, sizeof(host)));
	CHECK_STR(host, "");
	CHECK(!net_url_plain_remote_host("http://[::1]:11434/v1", host, sizeof(host)));
	CHECK(!net_url_plain_remote_host("http://localhost:8080/v1", host, sizeof(host)));
	CHECK(!net_url_plain_remote_host("https://api.deepseek.com/v1", host, sizeof(host)));
	CHECK(!net_url_plain_remote_host("HTTPS://api.example.com", host, sizeof(host)));
	CHECK(!net_url_plain_remote_host(NULL, host, sizeof(host)));
}

int main(void)
{
	test_statuses();
	test_retry_after();
	test_backoff();
	test_url_is_local();
	test_plain_remote_host();
	return test_report("test_retry");
}
