/* id3.c - ID3v2.3 tag writer: text frames, COMM, APIC and chapters (CHAP/CTOC). */
#include "core/common.h"

#include "speak/id3.h"
#include "core/text.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/*
 * Layout choices (ID3v2.3.0 and the Chapter Frame Addendum 1.0):
 *   - text frames carry no trailing terminator (optional for one string);
 *   - terminators inside frames are one byte (0x00) for encoding 0 and two
 *     (0x00 0x00) for encoding 1;
 *   - CTOC comes before the CHAP frames; element IDs are "toc" and
 *     "chp0", "chp1", ... (the chapter's index);
 *   - up to 255 chapters, "toc" lists them; beyond, "toc" lists child
 *     CTOCs "toc0", "toc1", ... (ordered, not top-level), each of up to
 *     255 chapters in order, so walking the tree gives every chapter once.
 *     Players that ignore the tree still find every CHAP by its time.
 */

#define ID3_HEADER_LEN 10
#define ID3_MAX_TAG 0x0FFFFFFFu /* largest size 4 syncsafe bytes can hold */
#define CTOC_MAX_ENTRIES 255    /* the CTOC entry count is one byte */
#define ENC_LATIN1 0
#define ENC_UTF16 1

static void put_be32(struct buf *b, uint32_t v)
{
	unsigned char x[4] = {(unsigned char)(v >> 24), (unsigned char)(v >> 16),
			      (unsigned char)(v >> 8), (unsigned char)v};
	sb_add(b, x, sizeof(x));
}

/* Start a frame: id, a size patched by frame_end, and two zero flag bytes. */
static size_t frame_begin(struct buf *b, const char *id)
{
	size_t at = b->len;
	sb_add(b, id, 4);
	put_be32(b, 0);
	sb_add(b, "\0\0", 2);
	return at;
}

static void frame_end(struct buf *b, size_t at)
{
	/* Frames are bounded by the tag size, checked once the tag is complete. */
	uint32_t size = (uint32_t)(b->len - at - ID3_HEADER_LEN);
	unsigned char *p = (unsigned char *)b->data + at + 4;
	p[0] = (unsigned char)(size >> 24);
	p[1] = (unsigned char)(size >> 16);
	p[2] = (unsigned char)(size >> 8);
	p[3] = (unsigned char)size;
}

static bool is_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return false;
	return true;
}

static int text_encoding(const char *s)
{
	return is_ascii(s) ? ENC_LATIN1 : ENC_UTF16;
}

static void put_utf16le(struct buf *b, uint32_t unit)
{
	sb_addc(b, (char)(unit & 0xFF));
	sb_addc(b, (char)(unit >> 8));
}

/* Append s as UTF-16 with a little-endian BOM; invalid bytes become U+FFFD. */
static void add_utf16(struct buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t left = strlen(s);
	sb_add(b, "\xFF\xFE", 2);
	while (left) {
		uint32_t cp;
		size_t n = utf8_decode(p, left, &cp);
		if (n == 0) {
			cp = 0xFFFD;
			n = 1;
		}
		p += n;
		left -= n;
		if (cp >= 0x10000) {
			cp -= 0x10000;
			put_utf16le(b, 0xD800 | (cp >> 10));
			put_utf16le(b, 0xDC00 | (cp & 0x3FF));
		} else {
			put_utf16le(b, cp);
		}
	}
}

/* Append s in encoding enc, with no terminator. */
static void add_encoded(struct buf *b, int enc, const char *s)
{
	if (enc == ENC_LATIN1)
		sb_adds(b, s);
	else
		add_utf16(b, s);
}

/* A text frame: encoding byte, then the text with no terminator. */
static void add_text_frame(struct buf *b, const char *id, const char *text)
{
	int enc = text_encoding(text);
	size_t at = frame_begin(b, id);
	sb_addc(b, (char)enc);
	add_encoded(b, enc, text);
	frame_end(b, at);
}

static bool has_text(const char *s)
{
	return s && *s;
}

static bool is_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* TYER "YYYY" and TDAT "DDMM" from "YYYY-MM-DD"; nothing if date is NULL or malformed. */
static void add_date_frames(struct buf *b, const char *date)
{
	if (!date || strlen(date) != 10 || date[4] != '-' || date[7] != '-' ||
	    !is_digits(date, 4) || !is_digits(date + 5, 2) || !is_digits(date + 8, 2))
		return;
	int month = (date[5] - '0') * 10 + (date[6] - '0');
	int day = (date[8] - '0') * 10 + (date[9] - '0');
	if (month < 1 || month > 12 || day < 1 || day > 31)
		return;
	char year[5], ddmm[5];
	memcpy(year, date, 4);
	year[4] = '\0';
	ddmm[0] = date[8], ddmm[1] = date[9], ddmm[2] = date[5], ddmm[3] = date[6];
	ddmm[4] = '\0';
	add_text_frame(b, "TYER", year);
	add_text_frame(b, "TDAT", ddmm);
}

/* COMM: encoding, language "chi", an empty terminated description, the text. */
static void add_comment_frame(struct buf *b, const char *text)
{
	int enc = text_encoding(text);
	size_t at = frame_begin(b, "COMM");
	sb_addc(b, (char)enc);
	sb_add(b, "chi", 3);
	if (enc == ENC_LATIN1)
		sb_add(b, "\0", 1);
	else
		sb_add(b, "\xFF\xFE\0\0", 4); /* BOM, then the 16-bit terminator */
	add_encoded(b, enc, text);
	frame_end(b, at);
}

/* APIC: encoding 0, MIME type, picture type 3 (front cover), empty description, data. */
static void add_picture_frame(struct buf *b, const char *mime, const unsigned char *data,
			      size_t len)
{
	size_t at = frame_begin(b, "APIC");
	sb_addc(b, ENC_LATIN1);
	sb_add(b, mime, strlen(mime) + 1);
	sb_addc(b, 0x03);
	sb_addc(b, 0);
	sb_add(b, data, len);
	frame_end(b, at);
}

static const char *guess_mime(const unsigned char *data, size_t len)
{
	if (len >= 8 && !memcmp(data, "\x89PNG\r\n\x1a\n", 8))
		return "image/png";
	if (len >= 3 && !memcmp(data, "\xFF\xD8\xFF", 3))
		return "image/jpeg";
	return NULL;
}

static void chapter_id(char *id, size_t size, size_t i)
{
	snprintf(id, size, "chp%zu", i);
}

/* One CTOC frame: id, flags, the count, the child ids from child_id(first..first+n-1), a TIT2. */
static void add_toc(struct buf *b, const char *id, unsigned flags, size_t first, size_t n,
		    void (*child_id)(char *, size_t, size_t), const char *title)
{
	size_t at = frame_begin(b, "CTOC");
	sb_add(b, id, strlen(id) + 1);
	sb_addc(b, (char)flags);
	sb_addc(b, (char)n); /* n <= CTOC_MAX_ENTRIES, checked by check_tags */
	for (size_t i = first; i < first + n; i++) {
		char child[32];
		child_id(child, sizeof(child), i);
		sb_add(b, child, strlen(child) + 1);
	}
	add_text_frame(b, "TIT2", title);
	frame_end(b, at);
}

static void toc_id(char *id, size_t size, size_t i)
{
	snprintf(id, size, "toc%zu", i);
}

#define TOC_TOP_LEVEL 0x02
#define TOC_ORDERED 0x01

/*
 * The table of contents: one top-level CTOC of the chapters, or, past 255,
 * a top-level CTOC of child CTOCs, each titled with the chapters it holds
 * ("1-255": numbers, so the tag stays language-neutral).
 */
static void add_toc_frames(struct buf *b, size_t n, const char *title)
{
	if (n <= CTOC_MAX_ENTRIES) {
		add_toc(b, "toc", TOC_TOP_LEVEL | TOC_ORDERED, 0, n, chapter_id, title);
		return;
	}
	size_t groups = (n + CTOC_MAX_ENTRIES - 1) / CTOC_MAX_ENTRIES;
	add_toc(b, "toc", TOC_TOP_LEVEL | TOC_ORDERED, 0, groups, toc_id, title);
	for (size_t g = 0; g < groups; g++) {
		size_t first = g * CTOC_MAX_ENTRIES;
		size_t count = n - first < CTOC_MAX_ENTRIES ? n - first : CTOC_MAX_ENTRIES;
		char id[32], range[48];
		toc_id(id, sizeof(id), g);
		snprintf(range, sizeof(range), "%zu-%zu", first + 1, first + count);
		add_toc(b, id, TOC_ORDERED, first, count, chapter_id, range);
	}
}

/* CHAP: element ID, start/end in ms, byte offsets unused (0xFFFFFFFF), a TIT2 sub-frame. */
static void add_chapter_frame(struct buf *b, size_t i, const struct id3_chapter *ch)
{
	char id[32];
	chapter_id(id, sizeof(id), i);
	size_t at = frame_begin(b, "CHAP");
	sb_add(b, id, strlen(id) + 1);
	put_be32(b, ch->start_ms);
	put_be32(b, ch->end_ms);
	put_be32(b, 0xFFFFFFFFu);
	put_be32(b, 0xFFFFFFFFu);
	add_text_frame(b, "TIT2", ch->title ? ch->title : "");
	frame_end(b, at);
}

static int check_tags(const struct id3_tags *t, const char **mime, struct pb_err *err)
{
	if (t->n_chapters > ID3_MAX_CHAPTERS)
		return pb_err_set(err, PB_ERR_USAGE,
				  "id3: %zu chapters, at most %d fit in a table of contents "
				  "(%d CTOCs of %d)",
				  t->n_chapters, ID3_MAX_CHAPTERS, CTOC_MAX_ENTRIES, CTOC_MAX_ENTRIES);
	if (t->n_chapters && !t->chapters)
		return pb_err_set(err, PB_ERR_USAGE, "id3: %zu chapters but no chapter array",
				  t->n_chapters);
	for (size_t i = 0; i < t->n_chapters; i++) {
		const struct id3_chapter *ch = &t->chapters[i];
		if (ch->end_ms <= ch->start_ms)
			return pb_err_set(err, PB_ERR_USAGE,
					  "id3: chapter %zu ends at %" PRIu32
					  " ms, not after its start %" PRIu32 " ms",
					  i, ch->end_ms, ch->start_ms);
		if (i > 0 && ch->start_ms < t->chapters[i - 1].end_ms)
			return pb_err_set(err, PB_ERR_USAGE,
					  "id3: chapter %zu starts at %" PRIu32
					  " ms, before chapter %zu ends at %" PRIu32 " ms",
					  i, ch->start_ms, i - 1, t->chapters[i - 1].end_ms);
	}
	*mime = NULL;
	if (t->cover) {
		if (t->cover_len == 0)
			return pb_err_set(err, PB_ERR_USAGE, "id3: the cover image is empty");
		if (t->cover_len > ID3_MAX_TAG)
			return pb_err_set(err, PB_ERR_USAGE,
					  "id3: the cover image (%zu bytes) is too large for a tag",
					  t->cover_len);
		*mime = has_text(t->cover_mime) ? t->cover_mime
						: guess_mime(t->cover, t->cover_len);
		if (!*mime)
			return pb_err_set(err, PB_ERR_USAGE, "id3: no MIME type for the cover image");
		if (!is_ascii(*mime))
			return pb_err_set(err, PB_ERR_USAGE,
					  "id3: the cover MIME type \"%s\" is not ASCII", *mime);
	}
	return 0;
}

int id3_build(const struct id3_tags *tags, struct buf *out, struct pb_err *err)
{
	if (!tags || !out)
		return pb_err_set(err, PB_ERR_USAGE, "id3: no tags or no output buffer");
	const char *mime = NULL;
	int rc = check_tags(tags, &mime, err);
	if (rc)
		return rc;

	struct buf b;
	buf_init(&b, BUF_LIMIT_NONE);
	sb_add(&b, "ID3\x03\x00\x00", 6);
	put_be32(&b, 0); /* syncsafe size, patched below */

	if (has_text(tags->title))
		add_text_frame(&b, "TIT2", tags->title);
	if (has_text(tags->artist))
		add_text_frame(&b, "TPE1", tags->artist);
	if (has_text(tags->album))
		add_text_frame(&b, "TALB", tags->album);
	add_date_frames(&b, tags->date);
	if (has_text(tags->genre))
		add_text_frame(&b, "TCON", tags->genre);
	if (has_text(tags->comment))
		add_comment_frame(&b, tags->comment);
	if (tags->cover)
		add_picture_frame(&b, mime, tags->cover, tags->cover_len);
	if (tags->n_chapters) {
		add_toc_frames(&b, tags->n_chapters, has_text(tags->title) ? tags->title : "目录");
		for (size_t i = 0; i < tags->n_chapters; i++)
			add_chapter_frame(&b, i, &tags->chapters[i]);
	}

	size_t size = b.len - ID3_HEADER_LEN;
	if (size > ID3_MAX_TAG) {
		buf_release(&b);
		return pb_err_set(err, PB_ERR_USAGE,
				  "id3: the tag would be %zu bytes, more than ID3v2 allows", size);
	}
	unsigned char *p = (unsigned char *)b.data + 6;
	p[0] = (unsigned char)((size >> 21) & 0x7F);
	p[1] = (unsigned char)((size >> 14) & 0x7F);
	p[2] = (unsigned char)((size >> 7) & 0x7F);
	p[3] = (unsigned char)(size & 0x7F);

	/* One append, so a limited out is left as it was if the tag does not fit. */
	if (buf_add(out, b.data, b.len)) {
		rc = pb_err_set(err, PB_ERR,
				"id3: the %zu-byte tag does not fit in the output buffer", b.len);
		buf_release(&b);
		return rc;
	}
	buf_release(&b);
	return 0;
}
