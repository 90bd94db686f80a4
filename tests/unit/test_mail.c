/*
 * Unit tests for deliver/mail: the composed message read back byte by byte (headers,
 * RFC 2047 words, CRLF, base64 lines, cid: parts, site links), the recipients list, the
 * options check, and the transport's errors against a closed port on this machine
 * (no test here speaks SMTP; tests/e2e/test_mail.py does, to an aiosmtpd sink).
 */
#include "core/common.h"

#include "deliver/mail.h"
#include "core/fsutil.h"
#include "core/run.h"
#include "harness.h"
#include "ui_helper.h"

#include <glib.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static char tmpdir[] = "/tmp/pb-test-mail-XXXXXX";

/* A 1x1 PNG. */
static const unsigned char png[] = {
	0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44,
	0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f,
	0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8,
	0xcf, 0xc0, 0xf0, 0x1f, 0x00, 0x05, 0x00, 0x01, 0xff, 0x89, 0x99, 0x3d, 0x1d, 0x00, 0x00,
	0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82};

static const char edition_html[] =
	"<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\n"
	"<meta property=\"og:image\" content=\"../posters/2025-12-26_poster.png\">\n"
	"<meta name=\"description\" content=\"论文 ../ 日报\">\n"
	"<style>img { max-width: 100%; }</style></head><body>\n"
	"<!-- <img src=\"../images/in-a-comment.png\"> -->\n"
	"<h1>日报</h1><a href=\"#2512.00001\">目录</a>\n"
	"<a href=\"../images/2025-12-26_keywords_wordcloud.png\"><img "
	"src=\"../images/2025-12-26_keywords_wordcloud.png\" alt=\"词云\" /></a>\n"
	"<img src='../posters/2025-12-26_poster.png' alt=\"海报\">\n"
	"<img alt=\"again\" src=\"../images/2025-12-26_keywords_wordcloud.png\">\n"
	"<img src=\"../images/missing.png\" alt=\"MISSING-PICTURE\">\n"
	"<img src=\"../../../etc/passwd\" alt=\"ESCAPING-PICTURE\">\n"
	"<img src=\"../newsletters/2025-12-26_daily_paper.md\" alt=\"NOT-A-PICTURE\">\n"
	"<audio controls src=\"../audio/2025-12-26_daily_papers.mp3\"><a "
	"href=\"../audio/2025-12-26_daily_papers.mp3\">LISTEN</a></audio>\n"
	"<nav><a rel=\"prev\" href=\"2025-12-25_daily_paper.html\">PREV</a></nav>\n"
	"<a href=\"https://huggingface.co/papers/2512.00001\">HF</a>\n"
	"<script>alert(1)</script>\n"
	"</body></html>\n";

static const char hostile_title[] = "Hugging Face 论文日报 2025-12-26 · 2 篇：一个很长很长的标题，"
				    "足以分成好几个编码字\r\nBcc: victim@example.net";

static void paper(struct digest_paper *p, const char *id, const char *title, const char *summary,
		  const char *areas)
{
	p->id = xstrdup(id);
	p->title = xstrdup(title);
	p->title_en = xstrdup(title);
	p->summary = xstrdup_or_null(summary);
	p->areas = xstrdup(areas);
	p->url = xasprintf("https://huggingface.co/papers/%s", id);
}

/* A digest as digest_load makes one (freed with digest_free), the edition under tmpdir. */
static struct digest *digest_new(const struct ui_strings *ui, const char *base)
{
	struct digest *d = xcalloc(1, sizeof(*d));
	snprintf(d->date, sizeof(d->date), "2025-12-26");
	d->lang = xstrdup("zh-CN");
	d->ui = ui;
	d->title = xstrdup(hostile_title);
	d->hot_areas = xstrdup("强化学习(1)");
	d->n_papers = 2;
	d->papers = xcalloc(2, sizeof(*d->papers));
	paper(&d->papers[0], "2512.00001", "第一篇\r\nX-Injected: yes", "一句话总结。", "强化学习");
	paper(&d->papers[1], "2512.00002", "Second", NULL, "");
	d->edition_url = xstrdup("https://huggingface.co/papers/date/2025-12-26");
	d->html_path = path_join(tmpdir, "newsletters/2025-12-26_daily_paper.html");
	d->out_dir = xstrdup(tmpdir);
	d->site_base_url = xstrdup_or_null(base);
	return d;
}

static void write_file(const char *rel, const void *data, size_t len)
{
	struct pb_err err = PB_ERR_INIT;
	char *path = path_join(tmpdir, rel);
	CHECK_INT(fs_write_atomic(path, data, len, &err), 0);
	free(path);
}

/* The header block, unfolded ("\r\n " -> " "); caller frees. */
static char *headers_of(const char *msg)
{
	const char *end = strstr(msg, "\r\n\r\n");
	struct buf b;
	buf_init(&b, BUF_LIMIT_NONE);
	for (const char *p = msg; p < end; p++) {
		if (p[0] == '\r' && p[1] == '\n' && (p[2] == ' ' || p[2] == '\t'))
			p += 1; /* drop CRLF, keep the folding blank */
		else
			sb_addc(&b, *p);
	}
	sb_adds(&b, "\r\n");
	return buf_detach(&b);
}

/* The value of header name in unfolded headers (caller frees), or NULL. */
static char *header(const char *headers, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = headers; *p; p = strstr(p, "\r\n") + 2)
		if (!g_ascii_strncasecmp(p, name, n) && p[n] == ':') {
			const char *v = p + n + 1 + (p[n + 1] == ' ');
			return xstrndup(v, strcspn(v, "\r"));
		}
	return NULL;
}

/* An RFC 2047 value decoded: every =?UTF-8?B?…?= word, the blanks between words dropped. */
static char *decode_words(const char *v)
{
	struct buf b;
	buf_init(&b, BUF_LIMIT_NONE);
	for (const char *p = v; (p = strstr(p, "=?UTF-8?B?"));) {
		const char *s = p + 10, *e = strstr(s, "?=");
		CHECK(e != NULL);
		if (!e)
			break;
		CHECK((size_t)(e + 2 - p) <= 75);
		char *b64 = xstrndup(s, (size_t)(e - s));
		gsize len;
		guchar *raw = g_base64_decode(b64, &len);
		CHECK(g_utf8_validate((const char *)raw, (gssize)len, NULL)); /* split on characters */
		sb_add(&b, raw, len);
		g_free(raw);
		free(b64);
		p = e + 2;
	}
	return buf_detach(&b);
}

/* The body of the part whose headers include `marker` (base64-decoded); caller frees. */
static char *part_body(const char *msg, const char *marker, size_t *len)
{
	const char *h = strstr(msg, marker);
	if (!h)
		return NULL;
	const char *s = strstr(h, "\r\n\r\n") + 4, *e = strstr(s, "\r\n--");
	char *b64 = xstrndup(s, (size_t)(e - s));
	gsize n;
	guchar *raw = g_base64_decode(b64, &n);
	free(b64);
	char *out = xstrndup((const char *)raw, n);
	*len = n;
	g_free(raw);
	return out;
}

static void check_lines(const struct buf *m)
{
	bool crlf = true, short_b64 = true, short_lines = true, short_headers = true;
	const char *body = strstr(m->data, "\r\n\r\n");
	for (size_t i = 0, start = 0; i < m->len; i++) {
		if (m->data[i] == '\r' && (i + 1 >= m->len || m->data[i + 1] != '\n'))
			crlf = false;
		if (m->data[i] != '\n')
			continue;
		if (!i || m->data[i - 1] != '\r')
			crlf = false;
		size_t len = i - 1 - start;
		const char *line = m->data + start;
		if (len > 998)
			short_lines = false;
		if (line < body && len > 78)
			short_headers = false;
		if (len && strspn(line, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=") ==
				   len && len > 76)
			short_b64 = false;
		start = i + 1;
	}
	CHECK(crlf);
	CHECK(short_b64);
	CHECK(short_lines);
	CHECK(short_headers);
}

static void test_compose(const struct ui_strings *ui)
{
	struct digest *d = digest_new(ui, NULL);
	struct mail_options o = {.url = "smtp://127.0.0.1:2525", .from = "论文日报 <daily@example.com>",
				 .unsubscribe = "mailto:leave@example.com"};
	struct pb_err err = PB_ERR_INIT;
	struct mail_message m;
	time_t now = 1766736000; /* 2025-12-26 08:00:00 UTC, a Friday */
	CHECK_INT(mail_compose(&o, d, "reader@example.org", now, &m, &err), 0);
	if (err.msg[0])
		fprintf(stderr, "compose: %s\n", err.msg);
	check_lines(&m.data);

	char *h = headers_of(m.data.data);
	CHECK(!strstr(h, "\r\nBcc:") && !strstr(m.data.data, "\nX-Injected"));
	char *subject = header(h, "Subject"), *decoded = decode_words(subject);
	CHECK_STR(decoded, "Hugging Face 论文日报 2025-12-26 · 2 篇：一个很长很长的标题，"
			   "足以分成好几个编码字  Bcc: victim@example.net");
	CHECK(strstr(m.data.data, "Subject: =?UTF-8?B?") != NULL);
	char *from = header(h, "From"), *from_name = decode_words(from);
	CHECK_STR(from_name, "论文日报");
	CHECK(g_str_has_suffix(from, " <daily@example.com>"));
	char *date = header(h, "Date");
	CHECK_STR(date, "Fri, 26 Dec 2025 08:00:00 +0000");
	char *to = header(h, "To"), *mime = header(h, "MIME-Version"), *cl = header(h, "Content-Language");
	CHECK_STR(to, "reader@example.org");
	CHECK_STR(mime, "1.0");
	CHECK_STR(cl, "zh-CN");
	char *list_id = header(h, "List-Id"), *unsub = header(h, "List-Unsubscribe");
	CHECK_STR(list_id, "<daily-papers.example.com>");
	CHECK_STR(unsub, "<mailto:leave@example.com>");
	CHECK(header(h, "List-Unsubscribe-Post") == NULL); /* one click needs an https URL */
	char *mid = header(h, "Message-ID");
	CHECK(g_str_has_prefix(mid, "<2025-12-26.zh-CN.") && g_str_has_suffix(mid, "@example.com>"));
	CHECK_INT(strlen(m.message_id), strlen("2025-12-26.zh-CN.") + 16 + strlen("@example.com"));
	char *ct = header(h, "Content-Type");
	CHECK(g_str_has_prefix(ct, "multipart/alternative; boundary="));

	/* Stable per (day, language, reader), whatever the time and the address's case. */
	struct mail_message same, other;
	CHECK_INT(mail_compose(&o, d, "Reader@Example.org", now + 3600, &same, &err), 0);
	CHECK_INT(mail_compose(&o, d, "someone@example.org", now, &other, &err), 0);
	CHECK_STR(same.message_id, m.message_id);
	CHECK(strcmp(other.message_id, m.message_id) != 0);
	mail_message_release(&same);
	mail_message_release(&other);

	/* The text part: the digest readable without HTML. */
	size_t len;
	char *text = part_body(m.data.data, "Content-Type: text/plain; charset=UTF-8", &len);
	CHECK_CONTAINS(text, "1. 第一篇 X-Injected: yes\r\n   一句话总结。\r\n   领域：强化学习\r\n"
			     "   https://huggingface.co/papers/2512.00001\r\n");
	CHECK_CONTAINS(text, "2. Second\r\n   （暂无一句话总结）\r\n");
	CHECK_CONTAINS(text, "热门领域：强化学习(1)");
	CHECK_CONTAINS(text, "阅读全文：https://huggingface.co/papers/date/2025-12-26");
	CHECK_CONTAINS(text, "退订：mailto:leave@example.com");

	/* The HTML: every cid: has its part, each picture once; nothing points into OUT. */
	char *html = part_body(m.data.data, "Content-Type: text/html; charset=UTF-8", &len);
	size_t cids = 0;
	for (const char *p = html; (p = strstr(p, "\"cid:")); p += 5) {
		char *cid = xstrndup(p + 5, strcspn(p + 5, "\""));
		char *want = xasprintf("Content-ID: <%s>\r\n", cid);
		CHECK_CONTAINS(m.data.data, want);
		free(want);
		free(cid);
		cids++;
	}
	CHECK_INT(cids, 3); /* the cloud twice, the poster once */
	size_t parts = 0;
	for (const char *p = m.data.data; (p = strstr(p, "Content-ID: <")); p++)
		parts++;
	CHECK_INT(parts, 2);
	char *png_part = part_body(m.data.data, "Content-Type: image/png", &len);
	CHECK_INT(len, sizeof(png));
	CHECK(png_part && !memcmp(png_part, png, sizeof(png)));
	CHECK(!strstr(html, "\"../") && !strstr(html, "'../"));
	CHECK(!strstr(html, "MISSING-PICTURE") && !strstr(html, "ESCAPING-PICTURE") &&
	      !strstr(html, "NOT-A-PICTURE"));
	CHECK(!strstr(html, "<script") && !strstr(html, "<audio") && !strstr(html, "LISTEN"));
	CHECK_CONTAINS(html, "<a rel=\"prev\">PREV</a>");         /* no broken relative link */
	CHECK_CONTAINS(html, "<a href=\"#2512.00001\">");          /* fragments stay */
	CHECK_CONTAINS(html, "href=\"https://huggingface.co/papers/2512.00001\"");
	CHECK_CONTAINS(html, "content=\"论文 ../ 日报\"");           /* text, not a link */
	CHECK_CONTAINS(html, "<style>img { max-width: 100%; }</style>");
	fprintf(stderr, "test_mail: HTML part %zu bytes, message %zu bytes\n", strlen(html), m.data.len);
	if (getenv("TEST_MAIL_DUMP")) /* the message and its HTML, to read them */
		fprintf(stderr, "%s\n----\n%s\n", m.data.data, html);

	free(png_part);
	free(html);
	free(text);
	free(ct);
	free(mid);
	free(unsub);
	free(list_id);
	free(cl);
	free(mime);
	free(to);
	free(date);
	free(from_name);
	free(from);
	free(decoded);
	free(subject);
	free(h);
	mail_message_release(&m);

	/* Hostile recipients never reach a header. */
	CHECK_INT(mail_compose(&o, d, "a@example.org\r\nBcc: b@example.org", now, &m, &err),
		  PB_ERR_USAGE);
	mail_message_release(&m);
	digest_free(d);
}

static void test_site_links(const struct ui_strings *ui)
{
	struct digest *d = digest_new(ui, "https://papers.example.org/");
	struct mail_options o = {.url = "smtps://smtp.example.com", .from = "Daily <daily@example.com>",
				 .unsubscribe = "mailto:leave@example.com, https://example.com/u?x=1",
				 .list_id = "papers.example.com"};
	struct pb_err err = PB_ERR_INIT;
	struct mail_message m;
	CHECK_INT(mail_compose(&o, d, "reader@example.org", 0, &m, &err), 0);
	check_lines(&m.data);
	char *h = headers_of(m.data.data);
	char *unsub = header(h, "List-Unsubscribe"), *post = header(h, "List-Unsubscribe-Post");
	char *list_id = header(h, "List-Id"), *from = header(h, "From");
	CHECK_STR(unsub, "<mailto:leave@example.com>, <https://example.com/u?x=1>");
	CHECK_STR(post, "List-Unsubscribe=One-Click");
	CHECK_STR(list_id, "<papers.example.com>");
	CHECK_STR(from, "Daily <daily@example.com>");
	CHECK(!strstr(m.data.data, "Content-ID:"));
	size_t len;
	char *html = part_body(m.data.data, "Content-Type: text/html; charset=UTF-8", &len);
	CHECK_CONTAINS(html, "src=\"https://papers.example.org/images/2025-12-26_keywords_wordcloud.png\"");
	CHECK_CONTAINS(html, "src=\"https://papers.example.org/posters/2025-12-26_poster.png\"");
	CHECK_CONTAINS(html, "content=\"https://papers.example.org/posters/2025-12-26_poster.png\"");
	CHECK_CONTAINS(html, "href=\"https://papers.example.org/days/2025-12-25.html\"");
	CHECK_CONTAINS(html, "<a href=\"https://papers.example.org/audio/2025-12-26_daily_papers.mp3\">"
			     "LISTEN</a>");
	CHECK(!strstr(html, "<audio") && !strstr(html, "ESCAPING-PICTURE") && !strstr(html, "\"../"));
	free(html);
	free(from);
	free(list_id);
	free(post);
	free(unsub);
	free(h);
	mail_message_release(&m);

	/* http: is no one-click URL. */
	o.unsubscribe = "http://example.com/u";
	CHECK_INT(mail_compose(&o, d, "reader@example.org", 0, &m, &err), 0);
	CHECK(strstr(m.data.data, "List-Unsubscribe: <http://example.com/u>\r\n") != NULL);
	CHECK(!strstr(m.data.data, "List-Unsubscribe-Post"));
	mail_message_release(&m);
	digest_free(d);
}

static void test_recipients(void)
{
	char *file = path_join(tmpdir, "readers.txt");
	const char text[] = "# our readers\n\nc@z.example.net  # joined in May\nB@Y.example.com\n\t\n"
			    "not an address\n<d@x.example.org>\n";
	write_file("readers.txt", text, strlen(text));
	char **list, **bad;
	size_t n, n_bad;
	struct pb_err err = PB_ERR_INIT;
	CHECK_INT(mail_read_recipients(" a@x.example.org, b@y.example.com ,a@x.example.org,", file,
				       &list, &n, &bad, &n_bad, &err), 0);
	CHECK_INT(n, 3);
	if (n == 3) {
		CHECK_STR(list[0], "a@x.example.org");
		CHECK_STR(list[1], "b@y.example.com"); /* B@Y.example.com is the same reader */
		CHECK_STR(list[2], "c@z.example.net");
	}
	/* A malformed line is left out and named by file and line; the others still get theirs. */
	CHECK_INT(n_bad, 2);
	if (n_bad == 2) {
		CHECK_CONTAINS(bad[0], "'not an address'");
		CHECK_CONTAINS(bad[0], file);
		CHECK_CONTAINS(bad[0], "line 6");
		CHECK_CONTAINS(bad[1], "line 7");
	}
	mail_recipients_free(list, n);
	mail_recipients_free(bad, n_bad);

	const char *invalid[] = {"<a@x.example.org>", "a b@x.example.org", "a@x.example.org\rBcc",
				 "@x.example.org", "a@", "a@@x.org", "\"q\"@x.example.org"};
	for (size_t i = 0; i < PB_ARRAY_LEN(invalid); i++) {
		CHECK_INT(mail_read_recipients(invalid[i], NULL, &list, &n, &bad, &n_bad, &err), 0);
		CHECK_INT(n, 0);
		CHECK_INT(n_bad, 1);
		if (n_bad == 1)
			CHECK_CONTAINS(bad[0], "[mail] to");
		mail_recipients_free(list, n);
		mail_recipients_free(bad, n_bad);
	}
	CHECK_INT(mail_read_recipients(NULL, "/nonexistent/readers.txt", &list, &n, &bad, &n_bad, &err),
		  PB_ERR_IO);
	CHECK_CONTAINS(err.msg, "/nonexistent/readers.txt");
	free(file);
}

static void test_options(void)
{
	struct pb_err err = PB_ERR_INIT;
	struct mail_options ok = {.url = "smtps://smtp.example.com:465", .from = "a@example.com"};
	CHECK_INT(mail_options_check(&ok, &err), 0);
	struct mail_options bad[] = {
		{.url = "https://smtp.example.com", .from = "a@example.com"},
		{.url = "smtp://user:pw@smtp.example.com", .from = "a@example.com"},
		{.url = "smtp://smtp.example.com", .from = "Name <not-an-address>"},
		{.url = "smtp://smtp.example.com", .from = "a@example.com", .unsubscribe = "javascript:x"},
		{.url = "smtp://smtp.example.com", .from = "a@example.com", .list_id = "a <b>"},
		{.url = "smtp://smtp.example.com", .from = "a@example.com", .password = "x"},
	};
	for (size_t i = 0; i < PB_ARRAY_LEN(bad); i++) {
		pb_err_clear(&err);
		CHECK_INT(mail_options_check(&bad[i], &err), PB_ERR_USAGE);
		CHECK(!strstr(err.msg, "pw@")); /* a password in the URL is not repeated */
	}
}

/* A port on 127.0.0.1 that nothing listens on: bound, then closed. */
static int closed_port(void)
{
	int s = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t l = sizeof(a);
	int port = -1;
	if (s >= 0 && !bind(s, (struct sockaddr *)&a, sizeof(a)) &&
	    !getsockname(s, (struct sockaddr *)&a, &l))
		port = ntohs(a.sin_port);
	if (s >= 0)
		close(s);
	return port;
}

static void test_send_errors(void)
{
	char *url = xasprintf("smtp://127.0.0.1:%d", closed_port());
	struct mail_options o = {.url = url, .from = "a@example.com", .user = "a@example.com",
				 .password = "SECRET-pw-1", .max_tries = 2, .backoff_base_ms = 10,
				 .connect_timeout_ms = 2000, .timeout_ms = 5000};
	struct mail_message m = {.recipient = xstrdup("reader@example.org")};
	buf_init(&m.data, BUF_LIMIT_NONE);
	sb_adds(&m.data, "Subject: x\r\n\r\nx\r\n");
	struct pb_err err = PB_ERR_INIT;
	CHECK_INT(mail_send(&o, &m, NULL, &err), PB_ERR_NET);
	CHECK_CONTAINS(err.msg, "reader@example.org");
	CHECK_CONTAINS(err.msg, "127.0.0.1");
	CHECK_CONTAINS(err.msg, "after retries");
	CHECK(!strstr(err.msg, "SECRET") && !strstr(err.hint, "SECRET"));
	CHECK(err.hint[0] != '\0');

	volatile sig_atomic_t stop = 1;
	struct pb_run run = {.stop = &stop};
	pb_err_clear(&err);
	CHECK_INT(mail_send(&o, &m, &run, &err), PB_ERR_STOPPED);
	mail_message_release(&m);
	free(url);
}

/* tests/fakes/fake_smtp.py under Debian's python3 (aiosmtpd is its package); -1 to skip. */
static pid_t start_sink(const char *dir, int *port)
{
	if (system("/usr/bin/python3 -I -c 'import aiosmtpd' 2>/dev/null") != 0) {
		fprintf(stderr, "test_mail: /usr/bin/python3 cannot import aiosmtpd (apt-get install "
				"python3-aiosmtpd): skipping the SMTP checks\n");
		return -1;
	}
	char *portfile = path_join(dir, "port"), *spool = path_join(dir, "spool");
	char *tls = path_join(dir, "tls");
	pid_t pid = fork();
	if (pid == 0) {
		execl("/usr/bin/python3", "python3", TEST_FIXTURES "/../fakes/fake_smtp.py", "--portfile",
		      portfile, "--spool", spool, "--starttls", tls, "--user", "daily@example.com",
		      "--password", "SECRET-pw-2", "--reject", "nobody@example.org", "--tempfail", "1",
		      (char *)NULL);
		_exit(127);
	}
	*port = -1;
	for (int i = 0; i < 300 && pid > 0; i++) { /* 15 s: the certificate is made at start */
		struct buf b;
		buf_init(&b, 64);
		struct pb_err ignored = PB_ERR_INIT;
		if (fs_read_file(portfile, &b, &ignored) == 0)
			*port = atoi(b.data);
		buf_release(&b);
		if (*port > 0 || waitpid(pid, NULL, WNOHANG) == pid)
			break;
		pb_sleep_ms(NULL, 50);
	}
	free(tls);
	free(spool);
	free(portfile);
	return *port > 0 ? pid : -1;
}

/* mail_send against the sink: STARTTLS with its certificate, AUTH, a greylisting 451 retried,
 * a 550 with the server's words, an untrusted certificate, a wrong password. */
static void test_send_smtp(const struct ui_strings *ui)
{
	char *dir = path_join(tmpdir, "sink");
	int port;
	pid_t pid = start_sink(dir, &port);
	CHECK(pid != 0);
	if (pid < 0) {
		free(dir);
		return;
	}
	char *url = xasprintf("smtp://127.0.0.1:%d", port);
	char *ca = path_join(dir, "tls/cert.pem");
	struct mail_options o = {.url = url, .from = "日报 <daily@example.com>",
				 .user = "daily@example.com", .password = "SECRET-pw-2", .ca_file = ca,
				 .max_tries = 2, .backoff_base_ms = 10, .connect_timeout_ms = 5000,
				 .timeout_ms = 20000};
	struct digest *d = digest_new(ui, NULL);
	struct pb_err err = PB_ERR_INIT;
	struct mail_message m;
	CHECK_INT(mail_compose(&o, d, "reader@example.org", 0, &m, &err), 0);
	CHECK_INT(mail_send(&o, &m, NULL, &err), 0); /* the first try is greylisted */
	if (err.msg[0])
		fprintf(stderr, "send: %s (%s)\n", err.msg, err.hint);
	char *env_path = path_join(dir, "spool/1.json"), *eml_path = path_join(dir, "spool/1.eml");
	struct buf env, eml;
	buf_init(&env, BUF_LIMIT_NONE);
	buf_init(&eml, BUF_LIMIT_NONE);
	CHECK_INT(fs_read_file(env_path, &env, &err), 0);
	CHECK_INT(fs_read_file(eml_path, &eml, &err), 0);
	CHECK_CONTAINS(env.data, "\"rcpt\": [\"reader@example.org\"], \"auth\": true, \"tls\": true");
	CHECK_CONTAINS(env.data, "\"from\": \"daily@example.com\"");
	CHECK(eml.len > 0 && strstr(eml.data, m.message_id) != NULL);
	buf_release(&env);
	buf_release(&eml);
	free(env_path);
	free(eml_path);
	mail_message_release(&m);

	CHECK_INT(mail_compose(&o, d, "nobody@example.org", 0, &m, &err), 0);
	CHECK_INT(mail_send(&o, &m, NULL, &err), PB_ERR_NET);
	CHECK_CONTAINS(err.msg, "nobody@example.org");
	CHECK_CONTAINS(err.msg, "550 5.1.1");
	CHECK_CONTAINS(err.msg, "127.0.0.1");
	CHECK(strstr(err.msg, "after retries") == NULL); /* a 5xx is final at once */
	CHECK_CONTAINS(err.hint, "to/to_file");
	mail_message_release(&m);

	CHECK_INT(mail_compose(&o, d, "reader@example.org", 0, &m, &err), 0);
	o.ca_file = NULL; /* the system's CAs do not know the sink's certificate */
	pb_err_clear(&err);
	CHECK_INT(mail_send(&o, &m, NULL, &err), PB_ERR_NET);
	CHECK_CONTAINS(err.hint, "certificate");
	o.ca_file = ca;
	o.password = "wrong-pw-3";
	pb_err_clear(&err);
	CHECK_INT(mail_send(&o, &m, NULL, &err), PB_ERR_NET);
	CHECK_CONTAINS(err.hint, "user and password");
	CHECK(!strstr(err.msg, "wrong-pw") && !strstr(err.hint, "wrong-pw"));
	fprintf(stderr, "test_mail: a refused login reads: %s\n", err.msg);
	mail_message_release(&m);
	digest_free(d);

	int status = -1;
	kill(pid, SIGTERM);
	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	free(ca);
	free(url);
	free(dir);
}

int main(void)
{
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	write_file("newsletters/2025-12-26_daily_paper.html", edition_html, strlen(edition_html));
	write_file("newsletters/2025-12-26_daily_paper.md", "# md\n", 5);
	write_file("images/2025-12-26_keywords_wordcloud.png", png, sizeof(png));
	write_file("posters/2025-12-26_poster.png", png, sizeof(png));
	struct ui_strings *ui = ui_of("zh-CN");
	CHECK(ui != NULL);
	if (ui) {
		test_compose(ui);
		test_site_links(ui);
		test_send_smtp(ui);
	}
	test_recipients();
	test_options();
	test_send_errors();
	ui_strings_free(ui);
	char *cmd = xasprintf("rm -rf '%s'", tmpdir);
	CHECK_INT(system(cmd), 0);
	free(cmd);
	return test_report("test_mail");
}
