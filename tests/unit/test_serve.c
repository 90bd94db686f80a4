/*
 * Unit tests for publish/serve: the site preview, run on a thread over a
 * site folder made here, asked over real HTTP with libcurl.
 */
#include "core/common.h"

#include "core/buf.h"
#include "core/fsutil.h"
#include "core/run.h"
#include "harness.h"
#include "publish/serve.h"

#include <curl/curl.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static char tmpdir[] = "/tmp/pb_serve_XXXXXX";
static char *site; /* tmpdir/site */

/* Everything made under tmpdir, removed in reverse order at the end. */
static char *made[64];
static size_t n_made;

static void remember(char *path)
{
	CHECK(n_made < PB_ARRAY_LEN(made));
	if (n_made < PB_ARRAY_LEN(made))
		made[n_made++] = path;
	else
		free(path);
}

static void make_dir(const char *rel)
{
	char *path = path_join(tmpdir, rel);
	CHECK_INT(mkdir(path, 0755), 0);
	remember(path);
}

static void make_file(const char *rel, const void *data, size_t len)
{
	char *path = path_join(tmpdir, rel);
	struct pb_err err = PB_ERR_INIT;
	CHECK_INT(fs_write_atomic(path, data, len, &err), 0);
	remember(path);
}

static void make_text(const char *rel, const char *text)
{
	make_file(rel, text, strlen(text));
}

static void make_link(const char *rel, const char *target)
{
	char *path = path_join(tmpdir, rel);
	CHECK_INT(symlink(target, path), 0);
	remember(path);
}

static void remove_all(void)
{
	while (n_made) {
		char *path = made[--n_made];
		if (unlink(path) && errno == EISDIR)
			CHECK_INT(rmdir(path), 0);
		free(path);
	}
}

#define MP3_SIZE 4096
static unsigned char mp3[MP3_SIZE];

static const char INDEX[] = "<!doctype html><h1>zh-CN home</h1>\n";
static const char DAY[] = "<!doctype html><h1 id=\"2512.21218\">the day</h1>\n";
static const char ZH_TW[] = "<!doctype html><h1>zh-TW home</h1>\n";
static const char PAGE_404[] = "<!doctype html><p>the site's own 404 page</p>\n";
static const char SECRET[] = "TOP SECRET: outside the site folder\n";

static void make_site(void)
{
	for (size_t i = 0; i < MP3_SIZE; i++)
		mp3[i] = (unsigned char)(i * 7 + 3); /* every byte value, NULs included */
	make_text("secret.txt", SECRET);
	make_text("site-other.txt", SECRET); /* shares the site folder's name as a prefix */
	make_dir("outside");
	make_text("outside/secret2.txt", SECRET);
	make_dir("site");
	make_text("site/index.html", INDEX);
	make_text("site/404.html", PAGE_404);
	make_dir("site/days");
	make_text("site/days/2025-12-26.html", DAY);
	make_dir("site/zh-TW");
	make_text("site/zh-TW/index.html", ZH_TW);
	make_dir("site/assets");
	make_text("site/assets/site.css", "body { margin: 0 }\n");
	make_text("site/assets/search.js", "'use strict';\n");
	make_text("site/search.json", "{\"version\": 1}\n");
	make_text("site/feed.xml", "<feed xmlns=\"http://www.w3.org/2005/Atom\"/>\n");
	make_text("site/podcast.xml", "<rss version=\"2.0\"/>\n");
	make_text("site/robots.txt", "User-agent: *\n");
	make_text("site/favicon.ico", "\0\0\1\0");
	make_text("site/site.webmanifest", "{}\n");
	make_dir("site/images");
	make_file("site/images/a.png", "\x89PNG\r\n\x1a\n", 8);
	make_text("site/images/b.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n");
	make_text("site/images/blob", "no extension\n");
	make_dir("site/audio");
	make_file("site/audio/2025-12-26.mp3", mp3, sizeof(mp3));
	make_text("site/a b.html", "a name with a space\n");
	make_dir("site/empty");
	make_dir("site/.git");
	make_text("site/.git/config", "[core] git's own secret\n");
	make_link("site/leak.txt", "../secret.txt");
	make_link("site/outdir", "../outside");
	make_link("site/home.html", "index.html");
	make_link("site/abs.txt", "/etc/passwd");
	make_link("site/prefix.txt", "../site-other.txt");
	make_dir("site/x y");
	make_text("site/x y/index.html", INDEX);
	site = path_join(tmpdir, "site");
}

/* ---- the server on a thread ---- */

struct server_thread {
	struct serve_options o;
	struct pb_log log;
	struct pb_run run;
	volatile sig_atomic_t stop;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t ready_cv;
	bool ready, done;
	int ready_calls;
	char url[128];
	int rc;
	struct pb_err err;
	struct buf log_lines;
};

static void capture_log(void *userdata, enum pb_log_level level, const char *line)
{
	(void)level;
	struct server_thread *t = userdata;
	pthread_mutex_lock(&t->mu);
	sb_addf(&t->log_lines, "%s\n", line);
	pthread_mutex_unlock(&t->mu);
}

static void on_ready(void *userdata, const char *url)
{
	struct server_thread *t = userdata;
	pthread_mutex_lock(&t->mu);
	snprintf(t->url, sizeof(t->url), "%s", url);
	t->ready = true;
	t->ready_calls++;
	pthread_cond_signal(&t->ready_cv);
	pthread_mutex_unlock(&t->mu);
}

static void *serve_main(void *arg)
{
	struct server_thread *t = arg;
	t->rc = site_serve(&t->o, &t->run, on_ready, t, &t->err);
	pthread_mutex_lock(&t->mu);
	t->done = true;
	pthread_cond_signal(&t->ready_cv);
	pthread_mutex_unlock(&t->mu);
	return NULL;
}

/* Start the server; true once it listens (its URL in t->url), false if it ended first. */
static bool server_start(struct server_thread *t, const char *host, unsigned port)
{
	memset(t, 0, sizeof(*t));
	t->o = (struct serve_options){.root = site, .host = host, .port = port};
	t->log = (struct pb_log){.level = PB_LOG_DEBUG, .sink = capture_log, .userdata = t};
	t->run = (struct pb_run){.log = &t->log, .stop = &t->stop};
	pb_err_clear(&t->err);
	buf_init(&t->log_lines, BUF_LIMIT_NONE);
	pthread_mutex_init(&t->mu, NULL);
	pthread_cond_init(&t->ready_cv, NULL);
	pthread_create(&t->thread, NULL, serve_main, t);
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 10;
	pthread_mutex_lock(&t->mu);
	while (!t->ready && !t->done)
		if (pthread_cond_timedwait(&t->ready_cv, &t->mu, &until))
			break;
	bool ready = t->ready;
	pthread_mutex_unlock(&t->mu);
	return ready;
}

/* Set the stop flag and wait for site_serve to return; the seconds it took. */
static double server_stop(struct server_thread *t)
{
	double t0 = pb_monotonic_s();
	t->stop = 1;
	pthread_join(t->thread, NULL);
	double took = pb_monotonic_s() - t0;
	pthread_mutex_destroy(&t->mu);
	pthread_cond_destroy(&t->ready_cv);
	return took;
}

/* ---- HTTP client ---- */

struct reply {
	CURLcode code;
	long status;
	struct buf body;
	struct buf headers;
};

static size_t on_body(char *data, size_t size, size_t n, void *userdata)
{
	sb_add(userdata, data, size * n);
	return size * n;
}

/*
 * method: "GET", "HEAD", or any other (sent as is); extra: request header
 * lines ("Range: bytes=0-9"), '\n' between them, or NULL. The path goes out exactly as written
 * (CURLOPT_PATH_AS_IS: no "/../" folding on our side).
 */
static void request(const char *base, const char *method, const char *path, const char *extra,
		    struct reply *r)
{
	buf_init(&r->body, BUF_LIMIT_NONE);
	buf_init(&r->headers, BUF_LIMIT_NONE);
	r->status = 0;
	char *url = xasprintf("%.*s%s", (int)strlen(base) - 1, base, path); /* base ends in '/' */
	CURL *c = curl_easy_init();
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PATH_AS_IS, 1L);
	curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &r->body);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, &r->headers);
	if (!strcmp(method, "HEAD"))
		curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
	else if (!strcmp(method, "POST"))
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, "q=1");
	else if (strcmp(method, "GET"))
		curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	struct curl_slist *hdrs = NULL;
	for (const char *line = extra; line && *line;) {
		const char *nl = strchr(line, '\n');
		char *one = nl ? xstrndup(line, (size_t)(nl - line)) : xstrdup(line);
		hdrs = curl_slist_append(hdrs, one);
		free(one);
		line = nl ? nl + 1 : NULL;
	}
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
	r->code = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
	curl_slist_free_all(hdrs);
	curl_easy_cleanup(c);
	free(url);
}

static void reply_release(struct reply *r)
{
	buf_release(&r->body);
	buf_release(&r->headers);
}

/* The value of a response header (case-insensitive name), or "" when it is absent. */
static const char *header(const struct reply *r, const char *name)
{
	static char value[256];
	value[0] = '\0';
	size_t n = strlen(name);
	for (const char *line = r->headers.data; line && *line;) {
		const char *end = strstr(line, "\r\n");
		size_t len = end ? (size_t)(end - line) : strlen(line);
		if (len > n && !strncasecmp(line, name, n) && line[n] == ':') {
			const char *v = line + n + 1;
			while (*v == ' ')
				v++;
			snprintf(value, sizeof(value), "%.*s", (int)(len - (size_t)(v - line)), v);
		}
		line = end ? end + 2 : NULL;
	}
	return value;
}

/* GET path: its status, and its body equals want (want NULL: not checked). */
static void check_get(const char *base, const char *path, long status, const char *want,
		      const char *type)
{
	struct reply r;
	request(base, "GET", path, NULL, &r);
	if (r.status != status)
		fprintf(stderr, "GET %s\n", path);
	CHECK_INT(r.status, status);
	if (want)
		CHECK_STR(r.body.data, want);
	if (type)
		CHECK_STR(header(&r, "Content-Type"), type);
	reply_release(&r);
}

/* ---- the tests ---- */

static void test_files(const char *base)
{
	struct reply r;
	request(base, "GET", "/", NULL, &r);
	CHECK_INT(r.code, CURLE_OK);
	CHECK_INT(r.status, 200);
	CHECK_STR(r.body.data, INDEX);
	CHECK_STR(header(&r, "Content-Type"), "text/html; charset=utf-8");
	CHECK_INT(atol(header(&r, "Content-Length")), strlen(INDEX));
	CHECK_STR(header(&r, "Cache-Control"), "no-cache");
	CHECK_STR(header(&r, "X-Content-Type-Options"), "nosniff");
	reply_release(&r);

	check_get(base, "/days/2025-12-26.html", 200, DAY, "text/html; charset=utf-8");
	check_get(base, "/index.html", 200, INDEX, NULL);
	/* the search page's own query: the path alone picks the file */
	check_get(base, "/index.html?q=%E5%BC%BA%E5%8C%96&x=../../secret.txt", 200, INDEX, NULL);
	check_get(base, "/./days//2025-12-26.html", 200, DAY, NULL); /* "." and empty segments drop */
	check_get(base, "/a%20b.html", 200, "a name with a space\n", NULL);
	check_get(base, "/home.html", 200, INDEX, NULL); /* a symlink that stays inside */

	/* A folder without the slash: redirected, so its relative links resolve inside it. */
	request(base, "GET", "/zh-TW", NULL, &r);
	CHECK_INT(r.status, 301);
	CHECK_STR(header(&r, "Location"), "/zh-TW/");
	reply_release(&r);
	check_get(base, "/zh-TW/", 200, ZH_TW, "text/html; charset=utf-8");
	/* the Location is rebuilt from the checked path: never "//host/" (another site) */
	request(base, "GET", "//zh-TW", NULL, &r);
	CHECK_INT(r.status, 301);
	CHECK_STR(header(&r, "Location"), "/zh-TW/");
	reply_release(&r);
	request(base, "GET", "/a%20b%3f", NULL, &r); /* no such folder: not a redirect */
	CHECK_INT(r.status, 404);
	reply_release(&r);
	/* the Location is %-escaped again */
	request(base, "GET", "/x%20y", NULL, &r);
	CHECK_INT(r.status, 301);
	CHECK_STR(header(&r, "Location"), "/x%20y/");
	reply_release(&r);
	check_get(base, "/x%20y/", 200, INDEX, NULL);
	/* a folder without index.html is not listed */
	check_get(base, "/empty/", 404, PAGE_404, NULL);
	request(base, "GET", "/empty", NULL, &r);
	CHECK_INT(r.status, 301);
	CHECK_STR(header(&r, "Location"), "/empty/");
	reply_release(&r);

	/* A missing file: 404 with the site's own page. */
	check_get(base, "/days/1999-01-01.html", 404, PAGE_404, "text/html; charset=utf-8");
	check_get(base, "/days/2025-12-26.html/x", 404, PAGE_404, NULL); /* a file as a folder */
}

static void test_types(const char *base)
{
	static const struct {
		const char *path, *type;
	} cases[] = {
		{"/assets/site.css", "text/css; charset=utf-8"},
		{"/assets/search.js", "text/javascript; charset=utf-8"},
		{"/search.json", "application/json"},
		{"/feed.xml", "application/xml; charset=utf-8"},
		{"/podcast.xml", "application/xml; charset=utf-8"},
		{"/robots.txt", "text/plain; charset=utf-8"},
		{"/images/a.png", "image/png"},
		{"/images/b.svg", "image/svg+xml"},
		{"/images/blob", "application/octet-stream"},
		{"/audio/2025-12-26.mp3", "audio/mpeg"},
		{"/favicon.ico", "image/x-icon"},
		{"/site.webmanifest", "application/manifest+json"},
	};
	for (size_t i = 0; i < PB_ARRAY_LEN(cases); i++)
		check_get(base, cases[i].path, 200, NULL, cases[i].type);
	/* the PNG's bytes come through untouched (binary, with a NUL-free but \r\n-bearing header) */
	struct reply r;
	request(base, "GET", "/images/a.png", NULL, &r);
	CHECK_INT(r.body.len, 8);
	CHECK(r.body.len == 8 && !memcmp(r.body.data, "\x89PNG\r\n\x1a\n", 8));
	reply_release(&r);
}

/* Nothing outside the folder, however the path is spelled. */
static void test_containment(const char *base)
{
	static const char *const attempts[] = {
		"/../secret.txt",
		"/%2e%2e/secret.txt",
		"/%2E%2E/secret.txt",
		"/days/..%2f..%2fsecret.txt",
		"/days/%2e%2e/%2e%2e/secret.txt",
		"/..%5csecret.txt",
		"/..\\secret.txt",
		"/index.html%00.txt",
		"/%zz",
		"/%2",
	};
	for (size_t i = 0; i < PB_ARRAY_LEN(attempts); i++) {
		struct reply r;
		request(base, "GET", attempts[i], NULL, &r);
		if (r.status != 400)
			fprintf(stderr, "GET %s -> %ld\n", attempts[i], r.status);
		CHECK_INT(r.status, 400);
		CHECK(!strstr(r.body.data, "TOP SECRET"));
		reply_release(&r);
	}
	/* Symlinks out of the folder, to a file, a folder, an absolute path: 404. */
	static const char *const links[] = {"/leak.txt", "/outdir/secret2.txt", "/outdir/",
					    "/outdir", "/abs.txt", "/prefix.txt"};
	for (size_t i = 0; i < PB_ARRAY_LEN(links); i++) {
		struct reply r;
		request(base, "GET", links[i], NULL, &r);
		if (r.status != 404)
			fprintf(stderr, "GET %s -> %ld\n", links[i], r.status);
		CHECK_INT(r.status, 404);
		CHECK_STR(r.body.data, PAGE_404);
		reply_release(&r);
	}
	/* Hidden names (a .git beside the site) are not served. */
	check_get(base, "/.git/config", 404, PAGE_404, NULL);
	check_get(base, "/%2egit/config", 404, PAGE_404, NULL);
}

static void test_methods(const char *base)
{
	struct reply r;
	request(base, "HEAD", "/days/2025-12-26.html", NULL, &r);
	CHECK_INT(r.code, CURLE_OK);
	CHECK_INT(r.status, 200);
	CHECK_INT(r.body.len, 0);
	CHECK_INT(atol(header(&r, "Content-Length")), strlen(DAY));
	CHECK_STR(header(&r, "Content-Type"), "text/html; charset=utf-8");
	reply_release(&r);

	request(base, "HEAD", "/nothing-here", NULL, &r);
	CHECK_INT(r.status, 404);
	CHECK_INT(r.body.len, 0);
	reply_release(&r);

	static const char *const refused[] = {"POST", "PUT", "DELETE", "OPTIONS"};
	for (size_t i = 0; i < PB_ARRAY_LEN(refused); i++) {
		request(base, refused[i], "/index.html", NULL, &r);
		CHECK_INT(r.status, 405);
		CHECK_STR(header(&r, "Allow"), "GET, HEAD");
		CHECK(!strstr(r.body.data, "zh-CN home"));
		reply_release(&r);
	}
}

/* A GET of the MP3 with a Range line: 206, its Content-Range, exactly those bytes. */
static void check_range(const char *base, const char *range, size_t from, size_t to)
{
	struct reply r;
	request(base, "GET", "/audio/2025-12-26.mp3", range, &r);
	CHECK_INT(r.status, 206);
	char want[64];
	snprintf(want, sizeof(want), "bytes %zu-%zu/%d", from, to, MP3_SIZE);
	CHECK_STR(header(&r, "Content-Range"), want);
	CHECK_INT(r.body.len, to - from + 1);
	CHECK_INT(atol(header(&r, "Content-Length")), to - from + 1);
	CHECK(r.body.len == to - from + 1 && !memcmp(r.body.data, mp3 + from, r.body.len));
	CHECK_STR(header(&r, "Content-Type"), "audio/mpeg");
	reply_release(&r);
}

static void check_416(const char *base, const char *range)
{
	struct reply r;
	request(base, "GET", "/audio/2025-12-26.mp3", range, &r);
	if (r.status != 416)
		fprintf(stderr, "%s -> %ld\n", range, r.status);
	CHECK_INT(r.status, 416);
	CHECK_STR(header(&r, "Content-Range"), "bytes */4096");
	CHECK(r.body.len < 100); /* not the file */
	reply_release(&r);
}

static void test_ranges(const char *base)
{
	struct reply r;
	request(base, "GET", "/audio/2025-12-26.mp3", NULL, &r);
	CHECK_INT(r.status, 200);
	CHECK_STR(header(&r, "Accept-Ranges"), "bytes");
	CHECK_INT(r.body.len, MP3_SIZE);
	CHECK(r.body.len == MP3_SIZE && !memcmp(r.body.data, mp3, MP3_SIZE));
	reply_release(&r);

	check_range(base, "Range: bytes=100-199", 100, 199);
	check_range(base, "Range: bytes=0-0", 0, 0);
	check_range(base, "Range: bytes=4000-", 4000, 4095);
	check_range(base, "Range: bytes=-10", 4086, 4095);
	check_range(base, "Range: bytes=-99999", 0, 4095);      /* a suffix longer than the file */
	check_range(base, "Range: bytes=4095-99999999999999999999", 4095, 4095); /* end clamps */

	check_416(base, "Range: bytes=4096-");
	check_416(base, "Range: bytes=5000-6000");
	check_416(base, "Range: bytes=200-100");
	check_416(base, "Range: bytes=-0");
	check_416(base, "Range: bytes=abc");
	check_416(base, "Range: bytes=99999999999999999999999-");

	/* Several ranges, another unit, or an If-Range: the whole file, 200. */
	static const char *const whole[] = {"Range: bytes=0-1,5-6", "Range: items=0-1"};
	for (size_t i = 0; i < PB_ARRAY_LEN(whole); i++) {
		request(base, "GET", "/audio/2025-12-26.mp3", whole[i], &r);
		CHECK_INT(r.status, 200);
		CHECK_INT(r.body.len, MP3_SIZE);
		reply_release(&r);
	}
	/* no validators are sent, so no If-Range can match */
	request(base, "GET", "/audio/2025-12-26.mp3", "Range: bytes=0-9\nIf-Range: \"x\"", &r);
	CHECK_INT(r.status, 200);
	CHECK_INT(r.body.len, MP3_SIZE);
	reply_release(&r);

	/* a range on a page works the same way */
	request(base, "GET", "/index.html", "Range: bytes=0-8", &r);
	CHECK_INT(r.status, 206);
	CHECK_STR(r.body.data, "<!doctype");
	reply_release(&r);
}

/* The errors the CLI shows, each saying what to do. */
static void test_errors(unsigned busy_port)
{
	struct pb_err err = PB_ERR_INIT;
	/* stop already asked for: a call that wrongly succeeded returns at once instead of serving */
	volatile sig_atomic_t stopped = 1;
	struct pb_run run = {.stop = &stopped};
	/* the port of the running server */
	struct serve_options o = {.root = site, .host = "127.0.0.1", .port = busy_port};
	CHECK_INT(site_serve(&o, &run, NULL, NULL, &err), PB_ERR_NET);
	char port[16];
	snprintf(port, sizeof(port), "%u", busy_port);
	CHECK_CONTAINS(err.msg, port);
	CHECK_CONTAINS(err.msg, "in use");
	CHECK_CONTAINS(err.hint, "--port");

	pb_err_clear(&err);
	char *missing = path_join(tmpdir, "no-site");
	o = (struct serve_options){.root = missing, .host = "127.0.0.1", .port = 0};
	CHECK_INT(site_serve(&o, &run, NULL, NULL, &err), PB_ERR_IO);
	CHECK_CONTAINS(err.msg, missing);
	CHECK_CONTAINS(err.hint, "paperboy site");
	free(missing);

	pb_err_clear(&err);
	char *file = path_join(tmpdir, "secret.txt"); /* a file, not a folder */
	o.root = file;
	CHECK_INT(site_serve(&o, &run, NULL, NULL, &err), PB_ERR_IO);
	CHECK_CONTAINS(err.hint, "paperboy site");
	free(file);

	/* never anything but loopback */
	static const char *const hosts[] = {"0.0.0.0", "::", "192.168.1.1", "example.org"};
	for (size_t i = 0; i < PB_ARRAY_LEN(hosts); i++) {
		pb_err_clear(&err);
		o = (struct serve_options){.root = site, .host = hosts[i], .port = 0};
		CHECK_INT(site_serve(&o, &run, NULL, NULL, &err), PB_ERR_USAGE);
		CHECK_CONTAINS(err.msg, hosts[i]);
		CHECK_CONTAINS(err.msg, "loopback");
	}

	pb_err_clear(&err);
	o = (struct serve_options){.root = site, .host = NULL, .port = 70000};
	CHECK_INT(site_serve(&o, &run, NULL, NULL, &err), PB_ERR_USAGE);
	CHECK_CONTAINS(err.msg, "70000");
}

/* ::1, when this machine has IPv6 loopback at all. */
static void test_ipv6(void)
{
	struct server_thread t;
	if (!server_start(&t, "::1", 0)) {
		server_stop(&t);
		fprintf(stderr, "test_serve: no IPv6 loopback here (%s): [::1] not tested\n", t.err.msg);
		CHECK_INT(t.err.status, PB_ERR_NET);
		buf_release(&t.log_lines);
		return;
	}
	CHECK(!strncmp(t.url, "http://[::1]:", 13));
	check_get(t.url, "/zh-TW/", 200, ZH_TW, NULL);
	CHECK(server_stop(&t) < 1.0);
	CHECK_INT(t.rc, 0);
	buf_release(&t.log_lines);
}

int main(void)
{
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	make_site();

	struct server_thread t;
	CHECK(server_start(&t, NULL, 0));
	CHECK(!strncmp(t.url, "http://127.0.0.1:", 17));
	unsigned port = (unsigned)atoi(t.url + 17);
	CHECK(port > 0);
	CHECK(t.url[strlen(t.url) - 1] == '/');
	if (t.ready) {
		test_files(t.url);
		test_types(t.url);
		test_containment(t.url);
		test_methods(t.url);
		test_ranges(t.url);
		test_errors(port);
	}
	/* each request logged at debug level */
	pthread_mutex_lock(&t.mu);
	CHECK_CONTAINS(t.log_lines.data, "GET /days/2025-12-26.html -> 200");
	CHECK_CONTAINS(t.log_lines.data, "POST /index.html -> 405");
	pthread_mutex_unlock(&t.mu);

	/* A stop ends it within a poll or two, and then nothing listens. */
	CHECK(server_stop(&t) < 1.0);
	CHECK_INT(t.rc, 0);
	CHECK_INT(t.ready_calls, 1);
	CHECK(!pb_err_is_set(&t.err));
	struct reply r;
	request(t.url, "GET", "/", NULL, &r);
	CHECK_INT(r.code, CURLE_COULDNT_CONNECT);
	reply_release(&r);
	buf_release(&t.log_lines);

	/* The port it left can be had again at once (SO_REUSEADDR past TIME_WAIT). */
	struct server_thread again;
	CHECK(server_start(&again, "localhost", port));
	char want[64];
	snprintf(want, sizeof(want), "http://127.0.0.1:%u/", port);
	CHECK_STR(again.url, want);
	if (again.ready)
		check_get(again.url, "/", 200, INDEX, NULL);
	server_stop(&again);
	CHECK_INT(again.rc, 0);
	buf_release(&again.log_lines);

	test_ipv6();

	remove_all();
	free(site);
	CHECK_INT(rmdir(tmpdir), 0);
	curl_global_cleanup();
	return test_report("test_serve");
}
