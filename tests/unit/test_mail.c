/*
 * Unit tests for deliver/mail: the message's headers (RFC 2047 words of at most
 * 75 characters, no header injected by a hostile title, a Message-ID stable per
 * recipient, List-Unsubscribe-Post only for https), its body (CRLF lines, base64
 * lines of at most 76, every cid: with its part), the options' checks and the
 * recipients list (comments, duplicates, a malformed line reported, not fatal).
 */
#include "core/common.h"

#include "core/fsutil.h"
#include "deliver/mail.h"
#include "lang/lang.h"
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const unsigned char PNG[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13};

static void write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	CHECK(f != NULL);
	if (f) {
		CHECK(fwrite(data, 1, len, f) == len);
		fclose(f);
	}
}

struct fixture {
	char dir[64];
	struct digest d;
	struct digest_paper paper;
	struct ui_strings *ui;
};

static void fixture_init(struct fixture *fx, const char *title)
{
	snprintf(fx->dir, sizeof(fx->dir), "/tmp/pb-test-mail-XXXXXX");
	CHECK(mkdtemp(fx->dir) != NULL);
	char *news = path_join(fx->dir, "newsletters"), *images = path_join(fx->dir, "images");
	struct pb_err merr = PB_ERR_INIT;
	CHECK(fs_mkdir_p(news, &merr) == 0 && fs_mkdir_p(images, &merr) == 0);
	char *html = path_join(news, "2025-12-26_daily_paper.html");
	const char *page = "<html><head><meta property=\"og:image\" content=\"../images/a.png\"></head>"
			   "<body><img src=\"../images/a.png\"><img src=\"../images/a.png\">"
			   "<a href=\"../audio/x.mp3\">listen</a><a href=\"https://arxiv.org/\">x</a>"
			   "</body></html>";
	write_file(html, page, strlen(page));
	char *png = path_join(images, "a.png");
	write_file(png, PNG, sizeof(PNG));
	struct pb_err err = PB_ERR_INIT;
	CHECK(ui_strings_load(lang_default(), &fx->ui, &err) == 0);
	fx->paper = (struct digest_paper){(char *)"2512.21218", (char *)title, (char *)"English",
					  (char *)"一句话总结", (char *)"", (char *)"https://huggingface.co/papers/2512.21218", 3};
	fx->d = (struct digest){.date = "2025-12-26", .lang = (char *)"zh-CN", .ui = fx->ui,
				.title = (char *)title, .hot_areas = (char *)"强化学习(3)",
				.papers = &fx->paper, .n_papers = 1,
				.edition_url = (char *)"https://huggingface.co/papers/date/2025-12-26",
				.html_path = html, .out_dir = fx->dir};
	free(news);
	free(images);
	free(png);
}

static void fixture_release(struct fixture *fx)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx->dir);
	CHECK(system(cmd) == 0);
	free(fx->d.html_path);
	ui_strings_free(fx->ui);
}

/* The header block (up to the first empty line), unfolded lines kept as they are. */
static char *headers_of(const struct mail_message *m)
{
	const char *end = strstr(m->data.data, "\r\n\r\n");
	return end ? xstrndup(m->data.data, (size_t)(end - m->data.data) + 2) : xstrdup("");
}

static void test_headers_and_body(void)
{
	/* A title that tries to add a header of its own, long enough to need several words. */
	const char *title = "Hugging Face 论文日报 2025-12-26 · 7 篇\r\nBcc: victim@example.com "
			    "一个很长很长很长很长很长很长很长很长很长很长很长很长的标题";
	struct fixture fx;
	fixture_init(&fx, title);
	struct mail_options o = {.url = "smtp://127.0.0.1:2525", .from = "论文日报 <daily@example.com>",
				 .unsubscribe = "https://example.com/u", .list_id = NULL};
	struct pb_err err = PB_ERR_INIT;
	struct mail_message m, again, other;
	CHECK(mail_compose(&o, &fx.d, "a@example.com", 1766736000, &m, &err) == 0);
	CHECK(mail_compose(&o, &fx.d, "a@example.com", 1766739600, &again, &err) == 0);
	CHECK(mail_compose(&o, &fx.d, "b@example.com", 1766736000, &other, &err) == 0);
	CHECK_STR(m.message_id, again.message_id);
	CHECK(strcmp(m.message_id, other.message_id) != 0);
	CHECK_CONTAINS(m.message_id, "2025-12-26.zh-CN.");
	CHECK_CONTAINS(m.message_id, "@example.com");

	char *h = headers_of(&m);
	CHECK(strstr(h, "\r\nBcc:") == NULL);
	CHECK_CONTAINS(h, "Subject: =?UTF-8?B?");
	CHECK_CONTAINS(h, "From: =?UTF-8?B?");
	CHECK_CONTAINS(h, " <daily@example.com>\r\n");
	CHECK_CONTAINS(h, "Date: Fri, 26 Dec 2025 08:00:00 +0000\r\n");
	CHECK_CONTAINS(h, "List-Id: <daily-papers.example.com>\r\n");
	CHECK_CONTAINS(h, "List-Unsubscribe: <https://example.com/u>\r\n");
	CHECK_CONTAINS(h, "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n");
	CHECK_CONTAINS(h, "Content-Language: zh-CN\r\n");
	/* Every encoded word is at most 75 characters. */
	for (const char *w = strstr(h, "=?UTF-8?B?"); w; w = strstr(w + 1, "=?UTF-8?B?")) {
		const char *end = strstr(w + 10, "?=");
		CHECK(end != NULL && end + 2 - w <= 75);
	}
	free(h);

	/* CRLF only; base64 lines at most 76; the picture once, as a part its cid: names. */
	const char *data = m.data.data;
	for (size_t i = 0; i < m.data.len; i++)
		if (data[i] == '\n')
			CHECK(i > 0 && data[i - 1] == '\r');
	for (const char *line = data; *line;) {
		size_t len = strcspn(line, "\r");
		CHECK(len <= 998);
		line += len + (line[len] ? 2 : 0);
	}
	CHECK_CONTAINS(data, "Content-Type: multipart/alternative; boundary=\"=_pb_alt_");
	CHECK_CONTAINS(data, "Content-Type: multipart/related; boundary=\"=_pb_rel_");
	CHECK_CONTAINS(data, "Content-Type: image/png; name=\"a.png\"");
	const char *cid = strstr(data, "Content-ID: <");
	CHECK(cid != NULL);
	CHECK(cid && strstr(cid + 1, "Content-ID: <") == NULL); /* the same file once */
	mail_message_release(&m);
	mail_message_release(&again);
	mail_message_release(&other);

	/* With a mailto: address there is no one-click Post header; a base URL links pictures. */
	o.unsubscribe = "mailto:leave@example.com";
	fx.d.site_base_url = (char *)"https://papers.example.org/";
	CHECK(mail_compose(&o, &fx.d, "a@example.com", 1766736000, &m, &err) == 0);
	h = headers_of(&m);
	CHECK_CONTAINS(h, "List-Unsubscribe: <mailto:leave@example.com>\r\n");
	CHECK(strstr(h, "List-Unsubscribe-Post") == NULL);
	free(h);
	CHECK(strstr(m.data.data, "Content-ID:") == NULL);
	mail_message_release(&m);
	fixture_release(&fx);
}

static void test_options(void)
{
	struct pb_err err = PB_ERR_INIT;
	struct mail_options o = {.url = "smtps://smtp.example.com", .from = "a@example.com"};
	CHECK(mail_options_check(&o, &err) == 0);
	o.url = "http://smtp.example.com";
	CHECK(mail_options_check(&o, &err) == PB_ERR_USAGE);
	CHECK_CONTAINS(err.msg, "[mail] url");
	pb_err_clear(&err);
	o.url = "smtp://user:pw@smtp.example.com";
	CHECK(mail_options_check(&o, &err) == PB_ERR_USAGE);
	CHECK(strstr(err.msg, "pw@") == NULL);
	pb_err_clear(&err);
	o.url = "smtp://smtp.example.com:587";
	o.from = "Name <not an address>";
	CHECK(mail_options_check(&o, &err) == PB_ERR_USAGE);
	CHECK_CONTAINS(err.msg, "[mail] from");
}

static void test_recipients(void)
{
	char path[] = "/tmp/pb-test-rcpt-XXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	const char *text = "# readers\nb@example.org\n\nA@Example.com  # again, other case\n"
			   "bad@\nc@example.net\n";
	CHECK(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
	close(fd);
	char **list, **bad;
	size_t n, n_bad;
	struct pb_err err = PB_ERR_INIT;
	CHECK(mail_read_recipients("a@example.com, b@example.org", path, &list, &n, &bad, &n_bad,
				   &err) == 0);
	CHECK_INT(n, 3);
	if (n == 3) {
		CHECK_STR(list[0], "a@example.com");
		CHECK_STR(list[1], "b@example.org");
		CHECK_STR(list[2], "c@example.net");
	}
	CHECK_INT(n_bad, 1);
	if (n_bad == 1) {
		CHECK_CONTAINS(bad[0], "'bad@'");
		CHECK_CONTAINS(bad[0], "line 5");
	}
	mail_recipients_free(list, n);
	mail_recipients_free(bad, n_bad);
	CHECK(mail_read_recipients(NULL, "/nonexistent/readers.txt", &list, &n, &bad, &n_bad, &err) != 0);
	CHECK_CONTAINS(err.msg, "/nonexistent/readers.txt");
	unlink(path);
}

int main(void)
{
	test_headers_and_body();
	test_options();
	test_recipients();
	return test_report("test_mail");
}
