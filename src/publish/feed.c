/* feed.c - the podcast feed: RSS 2.0 with the iTunes and Atom namespaces. */
#include "core/common.h"

#include "publish/feed.h"
#include "core/buf.h"
#include "core/date.h"
#include "core/fsutil.h"
#include "core/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Every edition is published at 08:00 in Asia/Shanghai (UTC+8, no DST). */
#define FEED_TIME_OF_DAY "08:00:00 +0800"

/* Append <name>text</name> on a line of its own, indented. */
static void xml_elem(struct buf *out, const char *indent, const char *name, const char *text)
{
	sb_addf(out, "%s<%s>", indent, name);
	xml_escape(out, text);
	sb_addf(out, "</%s>\n", name);
}

/* Append the URL of path under base, escaped for XML. */
static void xml_url(struct buf *out, const char *base, const char *path)
{
	char *url = url_join(base, path);
	xml_escape(out, url);
	free(url);
}

/* "Fri, 26 Dec 2025 08:00:00 +0800": RFC 822 as RSS 2.0 and podcast directories want it. */
static void rfc822_date(const struct pb_date *d, char out[40])
{
	static const char *const wdays[] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	long days = date_to_days(d); /* 1970-01-01, day 0, was a Thursday */
	long wday = ((days % 7) + 7) % 7;
	snprintf(out, 40, "%s, %02d %s %04d " FEED_TIME_OF_DAY, wdays[wday], d->day % 100,
		 months[(d->month - 1) % 12], d->year % 10000);
}

/* "1:02:05": H:MM:SS, as itunes:duration accepts. */
static void format_duration(long seconds, char out[32])
{
	snprintf(out, 32, "%ld:%02ld:%02ld", seconds / 3600, seconds / 60 % 60, seconds % 60);
}

static int newest_first(const void *a, const void *b)
{
	const struct feed_item *x = *(const struct feed_item *const *)a;
	const struct feed_item *y = *(const struct feed_item *const *)b;
	return strcmp(y->date, x->date); /* YYYY-MM-DD sorts as it reads */
}

/* A usable base URL with exactly one trailing '/', or NULL with err set. */
static char *check_base_url(const char *base_url, struct pb_err *err)
{
	if (!base_url || !*base_url) {
		pb_err_set(err, PB_ERR_USAGE,
			   "the podcast feed needs the URL where the output is published: set [feed] base_url");
		pb_err_hint(err, "e.g. [feed] base_url = https://example.org/daily/");
		return NULL;
	}
	if (!url_is_http(base_url) || strpbrk(base_url, "?#")) {
		pb_err_set(err, PB_ERR_USAGE,
			   "podcast feed base URL '%.300s' is not an absolute http(s) URL: set [feed] base_url",
			   base_url);
		pb_err_hint(err, "e.g. [feed] base_url = https://example.org/daily/ (no query or fragment)");
		return NULL;
	}
	size_t len = strlen(base_url);
	return base_url[len - 1] == '/' ? xstrdup(base_url) : xasprintf("%s/", base_url);
}

/* Every item has a real date, an audio file and no negative sizes; no two share a day. */
static int check_items(const struct feed_item *const *sorted, size_t n, struct pb_err *err)
{
	for (size_t i = 0; i < n; i++) {
		const struct feed_item *it = sorted[i];
		if (!it->audio_path || !*it->audio_path)
			return pb_err_set(err, PB_ERR_USAGE, "podcast feed item %s has no audio file",
					  it->date);
		if (it->audio_bytes < 0 || it->duration_s < 0)
			return pb_err_set(err, PB_ERR_USAGE,
					  "podcast feed item %s: negative audio size or duration", it->date);
		if (i > 0 && !strcmp(it->date, sorted[i - 1]->date)) {
			pb_err_set(err, PB_ERR_USAGE,
				   "podcast feed has two items for %s: its GUID must name one episode",
				   it->date);
			pb_err_hint(err, "give one item per day");
			return PB_ERR_USAGE;
		}
	}
	return 0;
}

static void add_channel(struct buf *out, const struct feed_channel *ch, const char *base,
			const char *last_build)
{
	xml_elem(out, "    ", "title", ch->title ? ch->title : "");
	xml_elem(out, "    ", "link", base);
	xml_elem(out, "    ", "description", ch->description ? ch->description : "");
	if (ch->language && *ch->language)
		xml_elem(out, "    ", "language", ch->language);
	sb_adds(out, "    <atom:link href=\"");
	xml_url(out, base, ch->self_path ? ch->self_path : "");
	sb_adds(out, "\" rel=\"self\" type=\"application/rss+xml\"/>\n");
	if (ch->author && *ch->author)
		xml_elem(out, "    ", "itunes:author", ch->author);
	xml_elem(out, "    ", "itunes:summary", ch->description ? ch->description : "");
	sb_adds(out, "    <itunes:owner>\n");
	xml_elem(out, "      ", "itunes:name", ch->author && *ch->author ? ch->author : ch->title);
	if (ch->owner_email && *ch->owner_email)
		xml_elem(out, "      ", "itunes:email", ch->owner_email);
	sb_adds(out, "    </itunes:owner>\n    <itunes:explicit>false</itunes:explicit>\n"
		     "    <itunes:category text=\"");
	xml_escape(out, ch->category && *ch->category ? ch->category : "Technology");
	sb_adds(out, "\"/>\n    <itunes:type>episodic</itunes:type>\n");
	if (ch->image_path && *ch->image_path) {
		sb_adds(out, "    <itunes:image href=\"");
		xml_url(out, base, ch->image_path);
		sb_adds(out, "\"/>\n    <image>\n      <url>");
		xml_url(out, base, ch->image_path);
		sb_adds(out, "</url>\n");
		xml_elem(out, "      ", "title", ch->title ? ch->title : "");
		xml_elem(out, "      ", "link", base);
		sb_adds(out, "    </image>\n");
	}
	if (last_build)
		xml_elem(out, "    ", "lastBuildDate", last_build);
}

static void add_item(struct buf *out, const struct feed_item *it, const struct pb_date *d,
		     const char *base)
{
	char pub[40], duration[32];
	rfc822_date(d, pub);
	format_duration(it->duration_s, duration);
	sb_adds(out, "    <item>\n");
	xml_elem(out, "      ", "title", it->title ? it->title : it->date);
	if (it->page_path && *it->page_path) {
		sb_adds(out, "      <link>");
		xml_url(out, base, it->page_path);
		sb_adds(out, "</link>\n");
	}
	xml_elem(out, "      ", "description", it->description ? it->description : "");
	sb_adds(out, "      <guid isPermaLink=\"false\">paperboy-");
	xml_escape(out, it->date);
	sb_adds(out, "</guid>\n");
	xml_elem(out, "      ", "pubDate", pub);
	sb_adds(out, "      <enclosure url=\"");
	xml_url(out, base, it->audio_path);
	sb_addf(out, "\" length=\"%lld\" type=\"audio/mpeg\"/>\n", it->audio_bytes);
	xml_elem(out, "      ", "itunes:duration", duration);
	sb_adds(out, "      <itunes:explicit>false</itunes:explicit>\n");
	if (it->image_path && *it->image_path) {
		sb_adds(out, "      <itunes:image href=\"");
		xml_url(out, base, it->image_path);
		sb_adds(out, "\"/>\n");
	}
	sb_adds(out, "      <itunes:episodeType>full</itunes:episodeType>\n"
		     "    </item>\n");
}

int feed_render_podcast(const struct feed_channel *channel, const struct feed_item *items, size_t n,
			struct buf *out, struct pb_err *err)
{
	char *base = check_base_url(channel->base_url, err);
	if (!base)
		return PB_ERR_USAGE;
	/* Dates first: a malformed one must not reach a GUID or the sort. */
	struct pb_date *dates = xcalloc(n ? n : 1, sizeof(*dates));
	const struct feed_item **sorted = xcalloc(n ? n : 1, sizeof(*sorted));
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		struct pb_err e = PB_ERR_INIT;
		sorted[i] = &items[i];
		if (date_parse(items[i].date, &dates[i], &e)) {
			rc = pb_err_set(err, PB_ERR_USAGE, "podcast feed item %zu (%.200s): %s", i + 1,
					items[i].title ? items[i].title : "untitled", e.msg);
			pb_err_hint(err, "%s", e.hint);
		}
	}
	if (rc == 0) {
		qsort(sorted, n, sizeof(*sorted), newest_first);
		rc = check_items(sorted, n, err);
	}
	if (rc) {
		free(sorted);
		free(dates);
		free(base);
		return rc;
	}

	sb_adds(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		      "<rss version=\"2.0\" xmlns:itunes=\"http://www.itunes.com/dtds/podcast-1.0.dtd\""
		      " xmlns:atom=\"http://www.w3.org/2005/Atom\">\n"
		      "  <channel>\n");
	/* lastBuildDate is the newest episode's date, never the clock: same input, same bytes. */
	char last_build[40];
	if (n)
		rfc822_date(&dates[sorted[0] - items], last_build);
	add_channel(out, channel, base, n ? last_build : NULL);
	for (size_t i = 0; i < n; i++)
		add_item(out, sorted[i], &dates[sorted[i] - items], base);
	sb_adds(out, "  </channel>\n</rss>\n");
	free(sorted);
	free(dates);
	free(base);
	return 0;
}

int feed_write_podcast(const struct feed_channel *channel, const struct feed_item *items, size_t n,
		       const char *path, struct pb_err *err)
{
	struct buf out;
	buf_init(&out, BUF_LIMIT_NONE);
	int rc = feed_render_podcast(channel, items, n, &out, err);
	if (!rc)
		rc = fs_write_atomic(path, out.data, out.len, err);
	buf_release(&out);
	return rc;
}
