/*
 * atom.h - an Atom feed (RFC 4287): the site's feed.xml, one entry per
 * edition with its full content.
 *
 * Owns: the format. Pure: it formats what it is given (every string
 * escaped for XML, characters XML cannot carry dropped) into a buffer.
 * Links may be relative (resolved against the feed's own URL, as RFC 4287
 * §2 and xml:base allow), so a site without a base URL still has a feed.
 */
#ifndef PB_ATOM_H
#define PB_ATOM_H

#include "core/buf.h"

#include <stddef.h>

struct atom_feed {
	const char *id;        /* an IRI that never changes: the site's URL, or a urn:uuid: */
	const char *title;
	const char *subtitle;  /* may be NULL */
	const char *lang;      /* xml:lang, "zh-CN" */
	const char *self;      /* the feed's own URL (rel="self") */
	const char *home;      /* the site's front page (rel="alternate") */
	const char *author;
	const char *updated;   /* RFC 3339: the newest entry's */
};

struct atom_entry {
	const char *id;        /* never changes for the edition */
	const char *title;
	const char *link;      /* the day's page */
	const char *updated;   /* RFC 3339 */
	const char *summary;   /* plain text; may be NULL */
	const char *content;   /* the edition as HTML (type="html", escaped here) */
	const char *base;      /* xml:base of the content: its relative links resolve as on the page */
};

/* Append the feed with entries in the order given (newest first). */
void atom_render(const struct atom_feed *feed, const struct atom_entry *entries, size_t n,
		 struct buf *out);

/* A stable urn:uuid: for name (RFC 9562 version 8: the name's SHA-256, version and variant set). Caller frees. */
char *atom_uuid_urn(const char *name);

#endif
