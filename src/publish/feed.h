/*
 * feed.h - feed/podcast.xml: an RSS 2.0 podcast feed with the iTunes and
 * Atom namespaces, one item per day with audio, newest first.
 *
 * Owns: the feed format and the checks podcast directories apply: absolute
 * URLs, an enclosure with its byte length and type, itunes:duration,
 * itunes:owner, itunes:category, itunes:explicit, a square channel image
 * that does not change daily (episodes may carry their own), a GUID
 * that never changes for a day, RFC 822 dates, escaped text. Pure: it
 * formats what it is given and writes the file atomically.
 */
#ifndef PB_FEED_H
#define PB_FEED_H

#include "core/buf.h"
#include "core/err.h"

#include <stddef.h>

struct feed_channel {
	const char *title;       /* "Hugging Face 论文日报" */
	const char *base_url;    /* where OUT is published, absolute http(s), e.g. "https://x.org/daily/" */
	const char *description;
	const char *author;
	const char *language;    /* "zh-cn" */
	const char *image_path;  /* the show's square cover, relative to base_url ("feed/cover.png"); may be NULL */
	const char *owner_email; /* itunes:owner's e-mail (directories contact it); may be NULL */
	const char *category;    /* itunes:category, e.g. "Science"; NULL: "Technology" */
	const char *self_path;   /* the feed's own path relative to base_url: "feed/podcast.xml" */
};

struct feed_item {
	const char *date;        /* YYYY-MM-DD: the GUID is derived from it and never changes */
	const char *title;
	const char *description; /* plain text, escaped here */
	const char *audio_path;  /* relative to base_url: "audio/D_daily_papers.mp3" */
	long long audio_bytes;
	long duration_s;
	const char *page_path;   /* relative to base_url: "newsletters/D_daily_paper.html" */
	const char *image_path;  /* the episode's own picture (the day's poster); may be NULL */
};

/* Append the feed to out; items in any order (they are sorted newest first). */
int feed_render_podcast(const struct feed_channel *channel, const struct feed_item *items, size_t n,
			struct buf *out, struct pb_err *err);
/* Write the feed; items in any order (they are sorted newest first). */
int feed_write_podcast(const struct feed_channel *channel, const struct feed_item *items, size_t n,
		       const char *path, struct pb_err *err);

#endif
