/* Unit tests for publish/feed: the podcast RSS, read back by an independent XML parser. */
#include "core/common.h"

#include "core/buf.h"
#include "core/fsutil.h"
#include "harness.h"
#include "publish/feed.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/*
 * Debian's Python (not whatever python3 is first on PATH) parses the feed
 * with xml.etree and prints what a podcast app reads, one value a line.
 * Passed with -c inside single quotes, so it has none.
 */
static const char CHECK_SCRIPT[] =
	"import sys, xml.etree.ElementTree as ET\n"
	"sys.stdout.reconfigure(encoding=\"utf-8\")\n"
	"IT = \"{http://www.itunes.com/dtds/podcast-1.0.dtd}\"\n"
	"ATOM = \"{http://www.w3.org/2005/Atom}\"\n"
	"rss = ET.parse(sys.argv[1]).getroot()\n"
	"ch = rss.find(\"channel\")\n"
	"print(ch.findtext(\"title\"))\n"
	"items = ch.findall(\"item\")\n"
	"print(len(items))\n"
	"print(rss.get(\"version\"))\n"
	"print(ch.findtext(\"link\"))\n"
	"print(ch.findtext(\"lastBuildDate\"))\n"
	"print(ch.find(ATOM + \"link\").get(\"href\"))\n"
	"img = ch.find(IT + \"image\")\n"
	"print(img.get(\"href\") if img is not None else \"-\")\n"
	"print(ch.findtext(\"image/url\") or \"-\")\n"
	"print(ch.findtext(IT + \"explicit\"), ch.find(IT + \"category\").get(\"text\"))\n"
	"for it in items:\n"
	"    enc = it.find(\"enclosure\")\n"
	"    print(it.findtext(\"title\"))\n"
	"    print(it.findtext(\"link\"))\n"
	"    print(it.find(\"guid\").get(\"isPermaLink\"), it.findtext(\"guid\"))\n"
	"    print(it.findtext(\"pubDate\"))\n"
	"    print(enc.get(\"url\"))\n"
	"    print(enc.get(\"length\"))\n"
	"    print(enc.get(\"type\"))\n"
	"    print(it.findtext(IT + \"duration\"))\n";

static char tmpdir[] = "/tmp/pb-test-feed-XXXXXX";

/* The parser's output lines (newlines stripped), NULL-terminated; NULL if it failed. */
static char **parse_feed(const char *path)
{
	char *cmd = xasprintf("/usr/bin/python3 -c '%s' '%s'", CHECK_SCRIPT, path);
	FILE *p = popen(cmd, "r");
	free(cmd);
	CHECK(p != NULL);
	if (!p)
		return NULL;
	char **lines = NULL;
	size_t n = 0, cap = 0;
	char line[4096];
	while (fgets(line, sizeof(line), p)) {
		line[strcspn(line, "\n")] = '\0';
		GROW(lines, cap, n + 2);
		lines[n++] = xstrdup(line);
	}
	GROW(lines, cap, n + 1);
	lines[n] = NULL;
	int status = pclose(p);
	CHECK_INT(status, 0);
	return lines;
}

static void free_lines(char **lines)
{
	for (size_t i = 0; lines && lines[i]; i++)
		free(lines[i]);
	free(lines);
}

static void check_lines(char **got, const char *const *expect, size_t n)
{
	size_t i = 0;
	for (; got && got[i] && i < n; i++)
		CHECK_STR(got[i], expect[i]);
	CHECK_INT(i, n);
	CHECK(got && got[i] == NULL);
}

static char *read_text(const char *path)
{
	struct buf b;
	struct pb_err err = PB_ERR_INIT;
	buf_init(&b, BUF_LIMIT_FILE);
	CHECK_INT(fs_read_file(path, &b, &err), 0);
	return buf_detach(&b);
}

static const struct feed_channel CHANNEL = {
	.title = "Hugging Face 论文日报",
	.base_url = "https://example.org/daily", /* no trailing '/': one is added */
	.description = "每天的 Hugging Face 热门论文，中文播报。",
	.author = "paperboy",
	.self_path = "feed/podcast.xml",
	.language = "zh-cn",
	.image_path = "posters/2026-01-05_poster.png",
	.owner_email = "editor@example.org",
};

/* Out of date order on purpose. */
static const struct feed_item ITEMS[] = {
	{"2025-12-24", "Hugging Face 论文日报 2025-12-24", "三篇论文。", "audio/2025-12-24_daily_papers.mp3",
	 1234567, 754, "newsletters/2025-12-24_daily_paper.html", "posters/2025-12-24_poster.png"},
	{"2026-01-05", "<b>&\"' 论文日报", "a <i>b</i> & c", "audio/2026-01-05_daily_papers.mp3", 42,
	 3725, "newsletters/2026-01-05 daily.html", NULL},
	{"2025-12-26", "论文日报：VA-π 与 FilmAgent", "VA-π：变分策略对齐。", "/audio/每日.mp3",
	 9876543210LL, 59, NULL, NULL},
};

static void test_feed(void)
{
	char *path = xasprintf("%s/feed/podcast.xml", tmpdir); /* feed/ does not exist yet */
	struct pb_err err = PB_ERR_INIT;
	CHECK_INT(feed_write_podcast(&CHANNEL, ITEMS, PB_ARRAY_LEN(ITEMS), path, &err), 0);
	CHECK_STR(err.msg, "");
	char *whole = read_text(path);
	CHECK_CONTAINS(whole, "<itunes:email>editor@example.org</itunes:email>");
	CHECK_CONTAINS(whole, "<itunes:image href=\"https://example.org/daily/posters/2025-12-24_poster.png\"/>");
	free(whole);

	static const char *const expect[] = {
		"Hugging Face 论文日报",
		"3",
		"2.0",
		"https://example.org/daily/",
		"Mon, 05 Jan 2026 08:00:00 +0800",
		"https://example.org/daily/feed/podcast.xml",
		"https://example.org/daily/posters/2026-01-05_poster.png",
		"https://example.org/daily/posters/2026-01-05_poster.png",
		"false Technology",

		"<b>&\"' 论文日报",
		"https://example.org/daily/newsletters/2026-01-05%20daily.html",
		"false paperboy-2026-01-05",
		"Mon, 05 Jan 2026 08:00:00 +0800",
		"https://example.org/daily/audio/2026-01-05_daily_papers.mp3",
		"42",
		"audio/mpeg",
		"1:02:05",

		"论文日报：VA-π 与 FilmAgent",
		"None",
		"false paperboy-2025-12-26",
		"Fri, 26 Dec 2025 08:00:00 +0800",
		"https://example.org/daily/audio/%E6%AF%8F%E6%97%A5.mp3",
		"9876543210",
		"audio/mpeg",
		"0:00:59",

		"Hugging Face 论文日报 2025-12-24",
		"https://example.org/daily/newsletters/2025-12-24_daily_paper.html",
		"false paperboy-2025-12-24",
		"Wed, 24 Dec 2025 08:00:00 +0800",
		"https://example.org/daily/audio/2025-12-24_daily_papers.mp3",
		"1234567",
		"audio/mpeg",
		"0:12:34",
	};
	char **lines = parse_feed(path);
	check_lines(lines, expect, PB_ARRAY_LEN(expect));
	free_lines(lines);

	/* The text itself: declaration first, markup in titles escaped, never raw. */
	char *xml = read_text(path);
	CHECK(!strncmp(xml, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\" ", 58));
	CHECK_CONTAINS(xml, "<title>&lt;b&gt;&amp;&quot;&#39; 论文日报</title>");
	CHECK_CONTAINS(xml, "<description>a &lt;i&gt;b&lt;/i&gt; &amp; c</description>");
	CHECK_CONTAINS(xml, "<itunes:episodeType>full</itunes:episodeType>");
	CHECK_CONTAINS(xml, "<itunes:type>episodic</itunes:type>");
	CHECK_CONTAINS(xml, "<language>zh-cn</language>");
	CHECK_CONTAINS(xml, "<itunes:author>paperboy</itunes:author>");
	CHECK_CONTAINS(xml, "rel=\"self\" type=\"application/rss+xml\"/>");
	CHECK(!strstr(xml, "<b>"));

	/* Same input, same bytes: nothing depends on the clock. */
	CHECK_INT(feed_write_podcast(&CHANNEL, ITEMS, PB_ARRAY_LEN(ITEMS), path, &err), 0);
	char *again = read_text(path);
	CHECK_STR(again, xml);
	free(again);
	free(xml);

	CHECK_INT(unlink(path), 0);
	char *dir = path_join(tmpdir, "feed");
	CHECK_INT(rmdir(dir), 0);
	free(dir);
	free(path);
}

/* No items, no image, weekdays across a century and a leap day. */
static void test_edges(void)
{
	char *path = path_join(tmpdir, "edge.xml");
	struct feed_channel ch = {"T", "http://h", "D", NULL, NULL, NULL, NULL, NULL, "feed/podcast.xml"};
	struct pb_err err = PB_ERR_INIT;
	CHECK_INT(feed_write_podcast(&ch, NULL, 0, path, &err), 0);
	static const char *const empty[] = {
		"T", "0", "2.0", "http://h/", "None", "http://h/feed/podcast.xml", "-", "-", "false Technology",
	};
	char **lines = parse_feed(path);
	check_lines(lines, empty, PB_ARRAY_LEN(empty));
	free_lines(lines);

	const struct feed_item days[] = {
		{"2000-01-01", "a", "", "a.mp3", 0, 0, "a.html", NULL},
		{"2024-02-29", "b", "", "b.mp3", 1, 36000, "b.html", NULL},
		{"2999-12-31", "c", "", "c.mp3", 1, 1, "c.html", NULL},
	};
	CHECK_INT(feed_write_podcast(&ch, days, PB_ARRAY_LEN(days), path, &err), 0);
	char *xml = read_text(path);
	CHECK_CONTAINS(xml, "<pubDate>Sat, 01 Jan 2000 08:00:00 +0800</pubDate>");
	CHECK_CONTAINS(xml, "<pubDate>Thu, 29 Feb 2024 08:00:00 +0800</pubDate>");
	CHECK_CONTAINS(xml, "<pubDate>Tue, 31 Dec 2999 08:00:00 +0800</pubDate>");
	CHECK_CONTAINS(xml, "<lastBuildDate>Tue, 31 Dec 2999 08:00:00 +0800</lastBuildDate>");
	CHECK_CONTAINS(xml, "<itunes:duration>10:00:00</itunes:duration>");
	CHECK_CONTAINS(xml, "<itunes:duration>0:00:00</itunes:duration>");
	CHECK_CONTAINS(xml, "<link>http://h/a.html</link>");
	CHECK(!strstr(xml, "<language>"));
	CHECK(!strstr(xml, "itunes:image"));
	/* Directories want an owner, a category and explicit, on the channel and each episode. */
	CHECK_CONTAINS(xml, "<itunes:owner>\n      <itunes:name>T</itunes:name>\n    </itunes:owner>");
	CHECK_CONTAINS(xml, "<itunes:category text=\"Technology\"/>");
	CHECK_CONTAINS(xml, "      <itunes:explicit>false</itunes:explicit>\n      <itunes:episodeType>");
	free(xml);

	/* Control characters and invalid UTF-8 would make the feed unreadable. */
	const struct feed_item odd[] = {
		{"2025-12-26", "bell\a tab\t bad\xff byte", "x", "a.mp3", 1, 1, NULL, NULL},
	};
	CHECK_INT(feed_write_podcast(&ch, odd, 1, path, &err), 0);
	lines = parse_feed(path);
	CHECK(lines && lines[9]);
	if (lines && lines[9])
		CHECK_STR(lines[9], "bell tab bad\xEF\xBF\xBD byte");
	free_lines(lines);
	CHECK_INT(unlink(path), 0);
	free(path);
}

static void check_error(const struct feed_channel *ch, const struct feed_item *items, size_t n,
			const char *needle)
{
	char *path = path_join(tmpdir, "bad.xml");
	struct pb_err err = PB_ERR_INIT;
	CHECK_INT(feed_write_podcast(ch, items, n, path, &err), PB_ERR_USAGE);
	CHECK_INT(err.status, PB_ERR_USAGE);
	CHECK_CONTAINS(err.msg, needle);
	CHECK(access(path, F_OK) != 0); /* nothing written */
	free(path);
}

static void test_errors(void)
{
	static const char *const bad_bases[] = {
		"example.org/daily/", "ftp://example.org/", "https://", "https:///x", "javascript:alert(1)",
		"https://example.org/a b/", "https://example.org/?q=1", "https://example.org/#top", "",
	};
	struct feed_channel ch = CHANNEL;
	for (size_t i = 0; i < PB_ARRAY_LEN(bad_bases); i++) {
		ch.base_url = bad_bases[i];
		check_error(&ch, ITEMS, PB_ARRAY_LEN(ITEMS), "[feed] base_url");
	}
	ch.base_url = NULL;
	check_error(&ch, ITEMS, PB_ARRAY_LEN(ITEMS), "[feed] base_url");

	struct feed_item items[3];
	memcpy(items, ITEMS, sizeof(items));
	static const char *const bad_dates[] = {
		"2025-13-01", "2025-02-30", "2025-1-05", "../x", "", "1999-12-31",
	};
	for (size_t i = 0; i < PB_ARRAY_LEN(bad_dates); i++) {
		items[1].date = bad_dates[i];
		char *needle = xasprintf("item 2 (<b>&\"' 论文日报): invalid date '%s'", bad_dates[i]);
		check_error(&CHANNEL, items, 3, needle);
		free(needle);
	}
	items[1].date = NULL;
	check_error(&CHANNEL, items, 3, "invalid date ''");

	/* One GUID per episode; every item has audio. */
	memcpy(items, ITEMS, sizeof(items));
	items[2].date = "2025-12-24";
	check_error(&CHANNEL, items, 3, "two items for 2025-12-24");
	memcpy(items, ITEMS, sizeof(items));
	items[0].audio_path = NULL;
	check_error(&CHANNEL, items, 3, "2025-12-24 has no audio file");
	memcpy(items, ITEMS, sizeof(items));
	items[0].duration_s = -1;
	check_error(&CHANNEL, items, 3, "negative");
}

int main(void)
{
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	test_feed();
	test_edges();
	test_errors();
	CHECK_INT(rmdir(tmpdir), 0);
	return test_report("test_feed");
}
