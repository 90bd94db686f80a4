/* Unit tests for speak/id3: tag bytes, validation, and a read-back by mutagen. */
#include "core/common.h"

#include "speak/id3.h"
#include "harness.h"

#include <inttypes.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static const unsigned char fake_png[] = {
	0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', /* signature */
	0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0,
	0x1f, 0x15, 0xc4, 0x89, 0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82,
};

static const struct id3_chapter chapters[] = {
	{"潜在隐式视觉推理", 0, 61500},
	{"VA-π：针对像素感知自回归生成的变分策略对齐", 61500, 130250},
	{"表情 😀 测试", 130250, 190000},
	{"Schoenfeld's Anatomy (ThinkARM)", 195000, 250000},
	{"多智能体协作的长程规划", 250000, 318400},
	{"视频生成中的物理一致性", 318400, 402000},
	{"结语", 402000, 420000},
};

static struct id3_tags sample_tags(void)
{
	struct id3_tags t = {
		.title = "Hugging Face 2025-12-26 论文日报",
		.artist = "paperboy",
		.album = "Hugging Face 论文日报",
		.date = "2025-12-26",
		.genre = "Podcast",
		.comment = "每日 Hugging Face 热门论文的中文播报",
		.cover = fake_png,
		.cover_len = sizeof(fake_png),
		.cover_mime = "image/png",
		.chapters = chapters,
		.n_chapters = PB_ARRAY_LEN(chapters),
	};
	return t;
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static bool frame_id_ok(const unsigned char *p)
{
	for (int i = 0; i < 4; i++)
		if (!((p[i] >= 'A' && p[i] <= 'Z') || (p[i] >= '0' && p[i] <= '9')))
			return false;
	return true;
}

/*
 * Walk the frames of the tag at p (len bytes, header included); each must have
 * a valid id and zero flags, and together they must fill the tag exactly.
 * Returns the number of frames, or -1.
 */
static int walk_frames(const unsigned char *p, size_t len)
{
	if (len < 10)
		return -1;
	size_t end = 10 + ((size_t)p[6] << 21 | (size_t)p[7] << 14 | (size_t)p[8] << 7 | p[9]);
	if (end != len)
		return -1;
	int n = 0;
	for (size_t at = 10; at < end; n++) {
		if (end - at < 10 || !frame_id_ok(p + at) || p[at + 8] || p[at + 9])
			return -1;
		uint32_t size = be32(p + at + 4);
		if (size == 0 || size > end - at - 10)
			return -1;
		at += 10 + size;
	}
	return n;
}

/* The payload of the first top-level frame id (NULL if absent); *size gets its length. */
static const unsigned char *find_frame(const struct buf *b, size_t start, const char *id,
				       size_t *size)
{
	const unsigned char *p = (const unsigned char *)b->data + start;
	size_t end = b->len - start;
	for (size_t at = 10; at + 10 <= end;) {
		uint32_t n = be32(p + at + 4);
		if (!memcmp(p + at, id, 4)) {
			*size = n;
			return p + at + 10;
		}
		at += 10 + n;
	}
	return NULL;
}

static bool contains(const void *hay, size_t hlen, const void *needle, size_t nlen)
{
	for (size_t i = 0; i + nlen <= hlen; i++)
		if (!memcmp((const char *)hay + i, needle, nlen))
			return true;
	return false;
}

#define CHECK_BYTES(p, n, lit) \
	CHECK((p) && (n) == sizeof(lit) - 1 && !memcmp((p), (lit), sizeof(lit) - 1))

static void test_layout(void)
{
	struct id3_tags t = sample_tags();
	struct buf b;
	struct pb_err err = PB_ERR_INIT;
	buf_init(&b, BUF_LIMIT_NONE);
	sb_adds(&b, "prefix"); /* id3_build appends */
	CHECK_INT(id3_build(&t, &b, &err), 0);
	CHECK(!pb_err_is_set(&err));
	CHECK(!memcmp(b.data, "prefix", 6));

	const unsigned char *p = (const unsigned char *)b.data + 6;
	size_t len = b.len - 6;
	CHECK(len > 10);
	CHECK(!memcmp(p, "ID3\x03\x00\x00", 6));
	CHECK(p[6] < 0x80 && p[7] < 0x80 && p[8] < 0x80 && p[9] < 0x80);
	size_t size = (size_t)p[6] << 21 | (size_t)p[7] << 14 | (size_t)p[8] << 7 | p[9];
	CHECK_INT(size, len - 10);
	CHECK(!memcmp(p + 10, "TIT2", 4));
	/* TIT2 TPE1 TALB TYER TDAT TCON COMM APIC CTOC and 7 CHAP */
	CHECK_INT(walk_frames(p, len), 9 + 7);

	size_t n;
	const unsigned char *f = find_frame(&b, 6, "TIT2", &n);
	CHECK(f && n >= 3 && f[0] == 1 && f[1] == 0xFF && f[2] == 0xFE);
	CHECK(f && n % 2 == 1);
	CHECK(f && contains(f, n, "H\0u\0g\0", 6)); /* ASCII as UTF-16LE */
	f = find_frame(&b, 6, "TPE1", &n);
	CHECK_BYTES(f, n, "\0paperboy");
	f = find_frame(&b, 6, "TYER", &n);
	CHECK_BYTES(f, n, "\0" "2025");
	f = find_frame(&b, 6, "TDAT", &n);
	CHECK_BYTES(f, n, "\0" "2612");
	f = find_frame(&b, 6, "TCON", &n);
	CHECK_BYTES(f, n, "\0Podcast");
	/* COMM: UTF-16, "chi", empty description (BOM + 16-bit NUL), BOM, "每" (U+6BCF) */
	f = find_frame(&b, 6, "COMM", &n);
	CHECK(f && n > 12 && !memcmp(f, "\x01" "chi\xFF\xFE\0\0\xFF\xFE\xCF\x6B", 12));
	/* APIC: Latin-1, MIME, front cover, empty description, the image */
	f = find_frame(&b, 6, "APIC", &n);
	CHECK(f && n == 1 + 10 + 1 + 1 + sizeof(fake_png));
	CHECK(f && !memcmp(f, "\0image/png\0\x03\0", 13) && !memcmp(f + 13, fake_png, sizeof(fake_png)));
	/* CTOC: "toc", top-level|ordered, 7 entries, chp0..chp6, then a TIT2 sub-frame */
	f = find_frame(&b, 6, "CTOC", &n);
	CHECK(f && n > 6 && !memcmp(f, "toc\0\x03\x07" "chp0\0chp1\0", 16));
	CHECK(f && contains(f, n, "chp6\0TIT2", 9));
	/* The first CHAP: id, 0 ms, 61500 ms, unused offsets, TIT2 sub-frame filling the rest */
	f = find_frame(&b, 6, "CHAP", &n);
	CHECK(f && n > 31 && !memcmp(f, "chp0\0\0\0\0\0\0\0\xF0\x3C\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF"
				     "TIT2", 25));
	CHECK(f && n > 31 && 21 + 10 + be32(f + 25) == n);
	/* 😀 (U+1F600) is the surrogate pair D83D DE00 */
	CHECK(contains(p, len, "\x3D\xD8\x00\xDE", 4));
	buf_release(&b);
}

static void test_encodings(void)
{
	struct id3_chapter ch[] = {{NULL, 1000, 2000}};
	struct id3_tags t = {.title = "bad \xff", .artist = "\xe4\xb8", .album = "Ünïcödé",
			     .date = "2025-13-40", .comment = "plain ascii", .chapters = ch,
			     .n_chapters = 1};
	struct buf b;
	struct pb_err err = PB_ERR_INIT;
	buf_init(&b, BUF_LIMIT_NONE);
	CHECK_INT(id3_build(&t, &b, &err), 0);
	CHECK_INT(walk_frames((const unsigned char *)b.data, b.len), 6);
	size_t n;
	const unsigned char *f = find_frame(&b, 0, "TIT2", &n);
	CHECK_BYTES(f, n, "\x01\xFF\xFE" "b\0a\0d\0 \0\xFD\xFF");
	/* a truncated sequence: each invalid byte becomes U+FFFD */
	f = find_frame(&b, 0, "TPE1", &n);
	CHECK_BYTES(f, n, "\x01\xFF\xFE\xFD\xFF\xFD\xFF");
	/* Latin-1 characters still go out as UTF-16 (the rule is: ASCII or UTF-16) */
	f = find_frame(&b, 0, "TALB", &n);
	CHECK_BYTES(f, n, "\x01\xFF\xFE\xDC\0n\0\xEF\0" "c\0\xF6\0" "d\0\xE9\0");
	CHECK(!find_frame(&b, 0, "TYER", &n)); /* malformed date: no TYER/TDAT */
	CHECK(!find_frame(&b, 0, "TDAT", &n));
	CHECK(!find_frame(&b, 0, "APIC", &n));
	f = find_frame(&b, 0, "COMM", &n);
	CHECK_BYTES(f, n, "\0chi\0plain ascii");
	/* a NULL chapter title is an empty TIT2; CTOC falls back to the tag's title */
	f = find_frame(&b, 0, "CHAP", &n);
	CHECK_BYTES(f, n, "chp0\0\0\0\x03\xE8\0\0\x07\xD0\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF"
			  "TIT2\0\0\0\x01\0\0\0");
	f = find_frame(&b, 0, "CTOC", &n);
	CHECK(f && contains(f, n, "TIT2\0\0\0\x0d\0\0\x01\xFF\xFE" "b\0", 15));
	buf_release(&b);

	/* Nothing at all: a bare header; no title with chapters: CTOC says 目录 */
	struct id3_tags empty = {0};
	buf_init(&b, BUF_LIMIT_NONE);
	CHECK_INT(id3_build(&empty, &b, &err), 0);
	CHECK_INT(b.len, 10);
	CHECK(!memcmp(b.data, "ID3\x03\0\0\0\0\0\0", 10));
	buf_reset(&b);
	empty.chapters = ch;
	empty.n_chapters = 1;
	CHECK_INT(id3_build(&empty, &b, &err), 0);
	f = find_frame(&b, 0, "CTOC", &n);
	CHECK(f && contains(f, n, "\x01\xFF\xFE\xEE\x76\x55\x5F", 7)); /* 目 U+76EE 录 U+5F55 */
	CHECK(!pb_err_is_set(&err));
	buf_release(&b);
}

/* id3_build must fail with PB_ERR_USAGE, name the chapter, and leave out untouched. */
static void check_rejects(const struct id3_chapter *ch, size_t n, const char *msg_part)
{
	struct id3_tags t = sample_tags();
	t.chapters = ch;
	t.n_chapters = n;
	struct buf b;
	struct pb_err err = PB_ERR_INIT;
	buf_init(&b, BUF_LIMIT_NONE);
	sb_adds(&b, "keep");
	CHECK_INT(id3_build(&t, &b, &err), PB_ERR_USAGE);
	CHECK_INT(err.status, PB_ERR_USAGE);
	CHECK_CONTAINS(err.msg, msg_part);
	CHECK_STR(b.data, "keep");
	buf_release(&b);
}

static void test_errors(void)
{
	struct id3_chapter overlap[] = {{"a", 0, 5000}, {"b", 4999, 9000}};
	check_rejects(overlap, 2, "chapter 1 ");
	struct id3_chapter backwards[] = {{"a", 0, 5000}, {"b", 5000, 9000}, {"c", 9000, 8000}};
	check_rejects(backwards, 3, "chapter 2 ");
	struct id3_chapter empty[] = {{"a", 7000, 7000}};
	check_rejects(empty, 1, "chapter 0 ");
	struct id3_chapter unordered[] = {{"a", 5000, 6000}, {"b", 0, 1000}};
	check_rejects(unordered, 2, "chapter 1 ");

	/* 255 chapters is the most one CTOC lists: still a single flat table of contents */
	struct id3_chapter *many = xcalloc(256, sizeof(*many));
	for (uint32_t i = 0; i < 256; i++)
		many[i] = (struct id3_chapter){"章节", i * 1000, i * 1000 + 1000};
	struct id3_tags t = sample_tags();
	t.chapters = many;
	t.n_chapters = 255;
	struct buf b;
	struct pb_err err = PB_ERR_INIT;
	buf_init(&b, BUF_LIMIT_NONE);
	CHECK_INT(id3_build(&t, &b, &err), 0);
	CHECK_INT(walk_frames((const unsigned char *)b.data, b.len), 9 + 255);
	size_t n;
	const unsigned char *f = find_frame(&b, 0, "CTOC", &n);
	CHECK(f && f[5] == 255 && contains(f, n, "chp254\0TIT2", 11));
	buf_release(&b);
	free(many);

	/* More than ID3_MAX_CHAPTERS (255 child CTOCs of 255) is refused, naming the count */
	size_t too_many = (size_t)ID3_MAX_CHAPTERS + 1;
	many = xcalloc(too_many, sizeof(*many));
	for (size_t i = 0; i < too_many; i++)
		many[i] = (struct id3_chapter){"x", (uint32_t)i * 10, (uint32_t)i * 10 + 10};
	char msg[32];
	snprintf(msg, sizeof(msg), "%zu chapters", too_many);
	check_rejects(many, too_many, msg);
	free(many);

	/* A cover with no MIME type is sniffed; unknown bytes are refused */
	t = sample_tags();
	t.cover_mime = NULL;
	buf_init(&b, BUF_LIMIT_NONE);
	CHECK_INT(id3_build(&t, &b, &err), 0);
	f = find_frame(&b, 0, "APIC", &n);
	CHECK(f && !memcmp(f, "\0image/png\0", 11));
	buf_release(&b);
	t.cover = (const unsigned char *)"GIF89a";
	t.cover_len = 6;
	buf_init(&b, BUF_LIMIT_NONE);
	CHECK_INT(id3_build(&t, &b, &err), PB_ERR_USAGE);
	CHECK_INT(b.len, 0);
	buf_release(&b);

	/* A limited buffer too small for the tag is left as it was */
	pb_err_clear(&err);
	t = sample_tags();
	buf_init(&b, 64);
	CHECK(id3_build(&t, &b, &err) < 0);
	CHECK(pb_err_is_set(&err));
	CHECK_INT(b.len, 0);
	buf_release(&b);
}

/* The tag, then 20 silent MPEG-1 Layer III frames (128 kbps, 44.1 kHz, 417 bytes). */
static bool write_mp3(const char *path, const struct buf *tag)
{
	FILE *fp = fopen(path, "wb");
	if (!fp)
		return false;
	bool ok = fwrite(tag->data, 1, tag->len, fp) == tag->len;
	unsigned char frame[417] = {0xFF, 0xFB, 0x90, 0x64};
	for (int i = 0; i < 20 && ok; i++)
		ok = fwrite(frame, 1, sizeof(frame), fp) == sizeof(frame);
	return fclose(fp) == 0 && ok;
}

/* Printed by Debian's python3-mutagen, one fact a line (no single quotes: it goes in '...'). */
static const char reader_py[] =
	"import sys\n"
	"from mutagen.id3 import ID3\n"
	"from mutagen.mp3 import MP3\n"
	"sys.stdout.reconfigure(encoding=\"utf-8\")\n"
	"t = ID3(sys.argv[1], translate=False)\n"
	"print(\"version\", \".\".join(str(v) for v in t.version), t.size)\n"
	"print(\"frames\", \" \".join(sorted(t.keys())))\n"
	"for k in [\"TIT2\", \"TPE1\", \"TALB\", \"TYER\", \"TDAT\", \"TCON\"]:\n"
	"    print(k, int(t[k].encoding), \"/\".join(t[k].text))\n"
	"c = t.getall(\"COMM\")[0]\n"
	"print(\"COMM\", int(c.encoding), c.lang, \"[\" + c.desc + \"]\", \"/\".join(c.text))\n"
	"a = t.getall(\"APIC\")[0]\n"
	"print(\"APIC\", a.mime, int(a.type), \"[\" + a.desc + \"]\", len(a.data), a.data[:4] == b\"\\x89PNG\")\n"
	"toc = t.getall(\"CTOC\")[0]\n"
	"print(\"CTOC\", toc.element_id, int(toc.flags), \",\".join(toc.child_element_ids),"
	" \"/\".join(toc.sub_frames[\"TIT2\"].text))\n"
	"for ch in sorted(t.getall(\"CHAP\"), key=lambda x: x.start_time):\n"
	"    print(\"CHAP\", ch.element_id, ch.start_time, ch.end_time, ch.start_offset,"
	" ch.end_offset, \"/\".join(ch.sub_frames[\"TIT2\"].text))\n"
	"m = MP3(sys.argv[1])\n"
	"print(\"MPEG\", m.info.version, m.info.layer, m.info.bitrate, m.info.sample_rate)\n";

static void test_mutagen(void)
{
	if (access("/usr/bin/python3", X_OK) != 0 ||
	    system("/usr/bin/python3 -I -c 'import mutagen' 2>/dev/null") != 0) {
		fprintf(stderr, "test_id3: /usr/bin/python3 cannot import mutagen "
				"(apt-get install python3-mutagen)\n");
		CHECK(!"mutagen is available");
		return;
	}

	struct id3_tags t = sample_tags();
	struct buf tag;
	struct pb_err err = PB_ERR_INIT;
	buf_init(&tag, BUF_LIMIT_NONE);
	CHECK_INT(id3_build(&t, &tag, &err), 0);

	char dir[] = "/tmp/pb-test-id3-XXXXXX";
	if (!mkdtemp(dir)) {
		CHECK(!"mkdtemp");
		buf_release(&tag);
		return;
	}
	char *path = xasprintf("%s/broadcast.mp3", dir);
	CHECK(write_mp3(path, &tag));

	struct buf cmd;
	buf_init(&cmd, BUF_LIMIT_NONE);
	sb_adds(&cmd, "/usr/bin/python3 -I -c '");
	sb_adds(&cmd, reader_py);
	sb_addf(&cmd, "' %s 2>&1", path); /* mkdtemp paths need no quoting */

	char *lines[64];
	size_t n_lines = 0;
	FILE *pp = popen(cmd.data, "r");
	CHECK(pp != NULL);
	if (pp) {
		char *line = NULL;
		size_t cap = 0;
		ssize_t got;
		while ((got = getline(&line, &cap, pp)) > 0) {
			if (line[got - 1] == '\n')
				line[got - 1] = '\0';
			if (n_lines < PB_ARRAY_LEN(lines))
				lines[n_lines++] = xstrdup(line);
		}
		free(line);
		int status = pclose(pp);
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}

	const char *expect[64];
	char *owned[64];
	size_t n_expect = 0, n_owned = 0;
	owned[n_owned++] = xasprintf("version 2.3.0 %zu", tag.len);
	expect[n_expect++] = owned[n_owned - 1];
	expect[n_expect++] = "frames APIC: CHAP:chp0 CHAP:chp1 CHAP:chp2 CHAP:chp3 CHAP:chp4 "
			     "CHAP:chp5 CHAP:chp6 COMM::chi CTOC:toc TALB TCON TDAT TIT2 TPE1 TYER";
	expect[n_expect++] = "TIT2 1 Hugging Face 2025-12-26 论文日报";
	expect[n_expect++] = "TPE1 0 paperboy";
	expect[n_expect++] = "TALB 1 Hugging Face 论文日报";
	expect[n_expect++] = "TYER 0 2025";
	expect[n_expect++] = "TDAT 0 2612";
	expect[n_expect++] = "TCON 0 Podcast";
	expect[n_expect++] = "COMM 1 chi [] 每日 Hugging Face 热门论文的中文播报";
	owned[n_owned++] = xasprintf("APIC image/png 3 [] %zu True", sizeof(fake_png));
	expect[n_expect++] = owned[n_owned - 1];
	expect[n_expect++] = "CTOC toc 3 chp0,chp1,chp2,chp3,chp4,chp5,chp6 "
			     "Hugging Face 2025-12-26 论文日报";
	for (size_t i = 0; i < PB_ARRAY_LEN(chapters); i++) {
		owned[n_owned++] = xasprintf("CHAP chp%zu %" PRIu32 " %" PRIu32 " 4294967295 4294967295 %s",
					     i, chapters[i].start_ms, chapters[i].end_ms,
					     chapters[i].title);
		expect[n_expect++] = owned[n_owned - 1];
	}
	expect[n_expect++] = "MPEG 1 3 128000 44100";

	CHECK_INT(n_lines, n_expect);
	for (size_t i = 0; i < n_expect || i < n_lines; i++)
		CHECK_STR(i < n_lines ? lines[i] : NULL, i < n_expect ? expect[i] : NULL);

	for (size_t i = 0; i < n_lines; i++)
		free(lines[i]);
	for (size_t i = 0; i < n_owned; i++)
		free(owned[i]);
	buf_release(&cmd);
	CHECK_INT(unlink(path), 0);
	CHECK_INT(rmdir(dir), 0);
	free(path);
	buf_release(&tag);
}

/* The child element IDs of the CTOC payload f (n bytes), comma-separated, into out. */
static void toc_children(const unsigned char *f, size_t n, char *out, size_t size)
{
	out[0] = '\0';
	size_t at = strnlen((const char *)f, n) + 1; /* element id */
	if (at + 2 > n)
		return;
	unsigned count = f[at + 1];
	at += 2;
	size_t used = 0;
	for (unsigned i = 0; i < count && at < n; i++) {
		size_t len = strnlen((const char *)f + at, n - at);
		used += (size_t)snprintf(out + used, size - used, "%s%.*s", i ? "," : "", (int)len,
					 (const char *)f + at);
		if (used >= size)
			return;
		at += len + 1;
	}
}

/*
 * A day of 300 papers: once refused after everything was synthesised. Now a
 * top-level CTOC lists child CTOCs of at most 255 chapters each (ID3v2
 * Chapter Frame Addendum 1.0, section 3.2), and mutagen reads all of it.
 */
static void test_300_chapters(void)
{
	enum { N = 300 };
	struct id3_chapter *ch = xcalloc(N, sizeof(*ch));
	char **titles = xcalloc(N, sizeof(*titles));
	for (size_t i = 0; i < N; i++) {
		titles[i] = xasprintf("论文 %zu", i);
		ch[i] = (struct id3_chapter){titles[i], (uint32_t)i * 60000, (uint32_t)i * 60000 + 60000};
	}
	struct id3_tags t = sample_tags();
	t.chapters = ch;
	t.n_chapters = N;
	struct buf b;
	struct pb_err err = PB_ERR_INIT;
	buf_init(&b, BUF_LIMIT_NONE);
	CHECK_INT(id3_build(&t, &b, &err), 0);
	CHECK(!pb_err_is_set(&err));
	/* 8 text/COMM/APIC frames, 3 CTOCs (the top and two children), 300 CHAPs, all unique ids */
	CHECK_INT(walk_frames((const unsigned char *)b.data, b.len), 8 + 3 + N);
	size_t n;
	const unsigned char *f = find_frame(&b, 0, "CTOC", &n);
	char kids[4096];
	CHECK(f && !memcmp(f, "toc\0\x03\x02", 6)); /* top-level|ordered, two children */
	if (f) {
		toc_children(f, n, kids, sizeof(kids));
		CHECK_STR(kids, "toc0,toc1");
	}
	CHECK(contains(b.data, b.len, "chp299\0", 7));
	CHECK(!contains(b.data, b.len, "chp300\0", 7));

	if (access("/usr/bin/python3", X_OK) != 0 ||
	    system("/usr/bin/python3 -I -c 'import mutagen' 2>/dev/null") != 0) {
		CHECK(!"mutagen is available");
	} else {
		char dir[] = "/tmp/pb-test-id3-XXXXXX";
		CHECK(mkdtemp(dir) != NULL);
		char *path = xasprintf("%s/broadcast.mp3", dir);
		CHECK(write_mp3(path, &b));
		/* Walk the table of contents from the top as a player would: every chapter once, in order. */
		char *cmd = xasprintf(
			"/usr/bin/python3 -I -c '"
			"import sys\n"
			"from mutagen.id3 import ID3\n"
			"t = ID3(sys.argv[1], translate=False)\n"
			"tocs = {c.element_id: c for c in t.getall(\"CTOC\")}\n"
			"chaps = {c.element_id: c for c in t.getall(\"CHAP\")}\n"
			"top = [c for c in tocs.values() if c.flags & 2]\n"
			"assert len(top) == 1, top\n"
			"def walk(e):\n"
			"    if e in tocs:\n"
			"        return [x for k in tocs[e].child_element_ids for x in walk(k)]\n"
			"    return [e]\n"
			"order = walk(top[0].element_id)\n"
			"assert order == [\"chp%%d\" %% i for i in range(%d)], order[:5]\n"
			"assert len(chaps) == %d\n"
			"assert [chaps[e].start_time for e in order] == [i * 60000 for i in range(%d)]\n"
			"assert chaps[\"chp299\"].sub_frames[\"TIT2\"].text[0] == \"论文 299\"\n"
			"print(\"ok\", len(order))\n"
			"' %s 2>&1",
			N, N, N, path);
		FILE *pp = popen(cmd, "r");
		char line[512] = "";
		if (pp) {
			size_t got = fread(line, 1, sizeof(line) - 1, pp);
			line[got] = '\0';
			int status = pclose(pp);
			CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		}
		CHECK_STR(line, "ok 300\n");
		free(cmd);
		unlink(path);
		rmdir(dir);
		free(path);
	}
	buf_release(&b);
	for (size_t i = 0; i < N; i++)
		free(titles[i]);
	free(titles);
	free(ch);
}

int main(void)
{
	test_layout();
	test_encodings();
	test_errors();
	test_mutagen();
	test_300_chapters();
	return test_report("test_id3");
}
