/*
 * script - the broadcast's words (speak/script.c): papers from records, in
 * both contents, and every field made speakable on its own.
 * Properties: the script has an intro, one segment and one chapter title per
 * paper, and an outro; every segment is valid UTF-8 without control
 * characters and not empty; a Chinese text (one with a CJK character) comes
 * out with no ASCII digit left, since the voice would read it in English.
 */
#include "fuzz.h"

#include "core/text.h"
#include "lang/lang.h"
#include "speak/script.h"

#include <stdlib.h>
#include <string.h>

#define T "script"

static void check_text(const char *s, const char *what)
{
	size_t len = strlen(s);
	FUZZ_CHECK(T, utf8_is_valid(s, len), what);
	for (size_t i = 0; i < len; i++)
		FUZZ_CHECK(T, (unsigned char)s[i] >= 0x20 || s[i] == '\n', what);
}

static bool is_chinese(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p >= 0xE3 && *p <= 0xE9)
			return true;
	return false;
}

static void check_speakable(const char *field)
{
	char *said = speakable(fuzz_ui_zh_cn(T), field);
	check_text(said, "speakable");
	char *norm = text_normalize(field); /* speakable decides on the normalised text */
	bool chinese = is_chinese(norm);
	free(norm);
	if (chinese)
		for (const char *p = said; *p; p++)
			FUZZ_CHECK(T, *p < '0' || *p > '9', said);
	free(said);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_records r = {0};
	fuzz_records_split(data, size, &r);
	struct paper_list papers = {0};
	fuzz_papers(&r, &papers);
	for (int content = SCRIPT_BRIEF; content <= SCRIPT_FULL; content++) {
		struct script s = {0};
		script_build(fuzz_ui_zh_cn(T), "2025-12-26", &papers, (enum script_content)content, &s);
		FUZZ_CHECK(T, s.n_papers == papers.n, "chapters");
		FUZZ_CHECK(T, s.n_segments == papers.n + 2, "segments");
		for (size_t i = 0; i < s.n_segments; i++) {
			check_text(s.segments[i], "segment");
			FUZZ_CHECK(T, *s.segments[i], "an empty segment");
		}
		for (size_t i = 0; i < s.n_papers; i++)
			check_text(s.titles[i], "chapter title");
		char *all = script_text(&s);
		check_text(all, "script text");
		free(all);
		script_release(&s);
	}
	for (size_t i = 0; i < r.n; i++)
		for (size_t f = 0; f < r.n_fields[i] && f < 5; f++)
			check_speakable(r.fields[i][f]);
	paper_list_release(&papers);
	fuzz_records_release(&r);
	return 0;
}
