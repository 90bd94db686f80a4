/*
 * feed - the podcast feed (publish/feed.c) and the site's Atom feed
 * (publish/atom.c) from hostile text: one item or entry per record (title,
 * description, summary, content as HTML, audio size, duration), the
 * channel's title, description and author from the first record's fields
 * 11-13.
 * Properties: both documents are well-formed XML 1.0 (libxml2, strict: any
 * character XML forbids, an unescaped '<' or '&', or a broken UTF-8 sequence
 * fails the parse), and the podcast feed has one <item> per day.
 */
#include "fuzz.h"

#include "core/buf.h"
#include "core/common.h"
#include "publish/atom.h"
#include "publish/feed.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <stdlib.h>
#include <string.h>

#define T "feed"

static void quiet(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

static xmlDocPtr parse_xml(const struct buf *b, const char *what)
{
	xmlSetGenericErrorFunc(NULL, quiet);
	xmlDocPtr doc = xmlReadMemory(b->data, (int)b->len, what, NULL, XML_PARSE_NONET);
	if (!doc) {
		const xmlError *e = xmlGetLastError();
		fuzz_fail(T, "not well-formed XML", e && e->message ? e->message : what);
	}
	return doc;
}

static size_t count_items(xmlNode *n)
{
	size_t count = 0;
	for (; n; n = n->next) {
		if (n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, "item"))
			count++;
		count += count_items(n->children);
	}
	return count;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_records r = {0};
	fuzz_records_split(data, size, &r);
	size_t n = r.n;
	struct feed_item *items = xcalloc(n ? n : 1, sizeof(*items));
	struct atom_entry *entries = xcalloc(n ? n : 1, sizeof(*entries));
	char **dates = xcalloc(n ? n : 1, sizeof(*dates));
	for (size_t i = 0; i < n; i++) {
		/* One day each, going back from 2025-12-26: a GUID is a day's. */
		dates[i] = xasprintf("2025-%02zu-%02zu", 12 - (i / 28) % 12, 28 - i % 28);
		items[i] = (struct feed_item){
			.date = dates[i], .title = fuzz_field(&r, i, 0), .description = fuzz_field(&r, i, 1),
			.audio_path = "audio/x.mp3", .audio_bytes = strtoll(fuzz_field(&r, i, 4), NULL, 10),
			.duration_s = strtol(fuzz_field(&r, i, 5), NULL, 10),
			.page_path = "newsletters/x.html",
			.image_path = *fuzz_field(&r, i, 6) ? fuzz_field(&r, i, 6) : NULL,
		};
		entries[i] = (struct atom_entry){
			.id = dates[i], .title = fuzz_field(&r, i, 0), .link = fuzz_field(&r, i, 6),
			.updated = "2025-12-26T08:00:00Z", .summary = fuzz_field(&r, i, 2),
			.content = fuzz_field(&r, i, 3), .base = fuzz_field(&r, i, 7),
		};
	}
	const struct feed_channel channel = {
		.title = fuzz_field(&r, 0, 11), .base_url = "https://example.org/daily/",
		.description = fuzz_field(&r, 0, 12), .author = fuzz_field(&r, 0, 13),
		.language = "zh-cn", .image_path = "feed/cover.png", .owner_email = fuzz_field(&r, 0, 8),
		.category = *fuzz_field(&r, 0, 9) ? fuzz_field(&r, 0, 9) : NULL,
		.self_path = "feed/podcast.xml",
	};
	struct buf out;
	buf_init(&out, BUF_LIMIT_NONE);
	struct pb_err err = PB_ERR_INIT;
	if (feed_render_podcast(&channel, items, n, &out, &err) == 0) {
		xmlDocPtr doc = parse_xml(&out, "podcast.xml");
		FUZZ_CHECK(T, count_items(xmlDocGetRootElement(doc)) == n, "one item per day");
		xmlFreeDoc(doc);
	} else {
		FUZZ_CHECK(T, err.msg[0] != '\0', "a refused feed without a message");
	}
	buf_reset(&out);

	const struct atom_feed feed = {
		.id = "https://example.org/daily/", .title = fuzz_field(&r, 0, 11),
		.subtitle = fuzz_field(&r, 0, 12), .lang = "zh-CN", .self = "feed.xml",
		.home = "index.html", .author = fuzz_field(&r, 0, 13), .updated = "2025-12-26T08:00:00Z",
	};
	atom_render(&feed, entries, n, &out);
	xmlFreeDoc(parse_xml(&out, "feed.xml"));
	buf_release(&out);
	for (size_t i = 0; i < n; i++)
		free(dates[i]);
	free(dates);
	free(items);
	free(entries);
	fuzz_records_release(&r);
	return 0;
}
