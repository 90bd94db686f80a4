/*
 * id3 - the ID3v2.3 writer (speak/id3.c) from hostile tags: the first record
 * is title, artist, album, date, genre, comment and cover bytes; every
 * further record a chapter (title, length in ms).
 * Properties: the tag is "ID3" v2.3 whose syncsafe size is the bytes that
 * follow; its frames (4-character ids, sizes within the tag) tile it exactly;
 * there is one CHAP frame per chapter and, with chapters, a top-level CTOC;
 * a refused tag has a message.
 */
#include "fuzz.h"

#include "core/buf.h"
#include "speak/id3.h"

#include <stdlib.h>
#include <string.h>

#define T "id3"

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void check_tag(const struct buf *b, size_t n_chapters)
{
	const unsigned char *t = (const unsigned char *)b->data;
	FUZZ_CHECK(T, b->len >= 10 && !memcmp(t, "ID3\x03\x00", 5), "header");
	for (int i = 6; i < 10; i++)
		FUZZ_CHECK(T, t[i] < 0x80, "syncsafe size");
	size_t size = (size_t)t[6] << 21 | (size_t)t[7] << 14 | (size_t)t[8] << 7 | t[9];
	FUZZ_CHECK(T, size == b->len - 10, "tag size");
	size_t chap = 0, ctoc = 0;
	for (size_t at = 10; at < b->len;) {
		FUZZ_CHECK(T, b->len - at >= 10, "a frame header cut short");
		for (int i = 0; i < 4; i++)
			FUZZ_CHECK(T, (t[at + i] >= 'A' && t[at + i] <= 'Z') ||
					      (t[at + i] >= '0' && t[at + i] <= '9'),
				   "frame id");
		uint32_t fsize = be32(t + at + 4);
		FUZZ_CHECK(T, fsize > 0 && fsize <= b->len - at - 10, "frame size");
		chap += !memcmp(t + at, "CHAP", 4);
		ctoc += !memcmp(t + at, "CTOC", 4);
		at += 10 + fsize;
	}
	FUZZ_CHECK(T, chap == n_chapters, "one CHAP per chapter");
	FUZZ_CHECK(T, !n_chapters || ctoc >= 1, "a CTOC");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_records r = {0};
	fuzz_records_split(data, size, &r);
	size_t n = r.n > 1 ? r.n - 1 : 0;
	struct id3_chapter *chapters = calloc(n ? n : 1, sizeof(*chapters));
	uint32_t at = 0;
	for (size_t i = 0; i < n; i++) {
		uint32_t len = 1 + (uint32_t)(strtoul(fuzz_field(&r, i + 1, 1), NULL, 10) % 600000);
		chapters[i] = (struct id3_chapter){fuzz_field(&r, i + 1, 0), at, at + len};
		at += len;
	}
	const char *cover = fuzz_field(&r, 0, 6);
	const struct id3_tags tags = {
		.title = fuzz_field(&r, 0, 0), .artist = fuzz_field(&r, 0, 1),
		.album = fuzz_field(&r, 0, 2), .date = *fuzz_field(&r, 0, 3) ? fuzz_field(&r, 0, 3) : NULL,
		.genre = fuzz_field(&r, 0, 4), .comment = fuzz_field(&r, 0, 5),
		.cover = *cover ? (const unsigned char *)cover : NULL, .cover_len = strlen(cover),
		.cover_mime = "image/png", .chapters = chapters, .n_chapters = n,
	};
	struct buf out;
	buf_init(&out, BUF_LIMIT_NONE);
	struct pb_err err = PB_ERR_INIT;
	if (id3_build(&tags, &out, &err) == 0)
		check_tag(&out, n);
	else
		FUZZ_CHECK(T, err.msg[0] != '\0', "a refused tag without a message");
	buf_release(&out);
	free(chapters);
	fuzz_records_release(&r);
	return 0;
}
