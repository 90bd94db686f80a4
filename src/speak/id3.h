/*
 * id3.h - ID3v2.3 tags for the broadcast MP3, chapters included.
 *
 * Owns: the tag bytes written before the MPEG frames: TIT2 (title), TPE1
 * (artist), TALB (album), TYER/TDAT (date), TCON (genre), COMM (comment),
 * APIC (cover art), and the ID3v2 Chapter Frame Addendum: one CHAP frame per
 * chapter (start/end in milliseconds, its own TIT2 sub-frame) and a CTOC
 * frame listing them in order, so podcast apps can jump between papers.
 * A CTOC lists at most 255 entries (its count is one byte), so more than
 * 255 chapters go into child CTOCs of 255 each, listed by the top-level one
 * (the addendum's nested tables of contents): up to ID3_MAX_CHAPTERS.
 * Text is ISO-8859-1 when ASCII, else UTF-16 with a byte-order mark: the
 * encodings every ID3v2.3 reader knows. Pure: bytes in, bytes out.
 */
#ifndef PB_ID3_H
#define PB_ID3_H

#include "core/buf.h"
#include "core/err.h"

#include <stdint.h>

/* 255 child CTOCs of 255 chapters each. speak checks this before synthesis. */
#define ID3_MAX_CHAPTERS (255 * 255)

struct id3_chapter {
	const char *title;        /* e.g. the paper's Chinese title */
	uint32_t start_ms, end_ms; /* end > start; chapters in order, not overlapping */
};

struct id3_tags {
	const char *title;   /* TIT2 */
	const char *artist;  /* TPE1 */
	const char *album;   /* TALB */
	const char *date;    /* "YYYY-MM-DD" -> TYER "YYYY" and TDAT "DDMM"; may be NULL */
	const char *genre;   /* TCON, e.g. "Podcast"; may be NULL */
	const char *comment; /* COMM; may be NULL */
	const unsigned char *cover; /* APIC front cover; may be NULL */
	size_t cover_len;
	const char *cover_mime; /* "image/png" */
	const struct id3_chapter *chapters;
	size_t n_chapters;
};

/* Append a complete ID3v2.3 tag (header and frames, no padding) to out. */
int id3_build(const struct id3_tags *tags, struct buf *out, struct pb_err *err);

#endif
