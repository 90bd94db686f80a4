/* Unit tests for line breaking: ICU's rules, whole words and chips, no orphans, ellipsis. */
#include "core/common.h"

#include "render/linebreak.h"
#include "harness.h"

#include <glib.h>
#include <stdlib.h>
#include <string.h>

/* Every character one unit wide, a space half a unit: a fixed-width stand-in for the font. */
static double units(void *ud, const char *text)
{
	(void)ud;
	double w = 0;
	for (const char *p = text; *p; p = g_utf8_next_char(p))
		w += *p == ' ' ? 0.5 : 1;
	return w;
}

/* The lines joined with " / ", for readable failures. */
static char *wrap(const char *text, double width, int max_lines)
{
	struct wrapped w;
	linebreak_wrap(text, width, max_lines, units, NULL, &w);
	GString *s = g_string_new("");
	for (size_t i = 0; i < w.n; i++)
		g_string_append_printf(s, "%s%s", i ? " / " : "", w.lines[i]);
	wrapped_release(&w);
	char *out = xstrdup(s->str);
	g_string_free(s, TRUE);
	return out;
}

static void check_wrap(const char *text, double width, int max_lines, const char *want)
{
	char *got = wrap(text, width, max_lines);
	CHECK_STR(got, want);
	free(got);
}

/* The character count of the last line (letters, digits, ideographs). */
static size_t last_line_chars(const char *text, double width)
{
	struct wrapped w;
	linebreak_wrap(text, width, 0, units, NULL, &w);
	size_t n = 0;
	if (w.n)
		for (const char *p = w.lines[w.n - 1]; *p; p = g_utf8_next_char(p))
			n += g_unichar_isalnum(g_utf8_get_char(p)) ? 1 : 0;
	size_t lines = w.n;
	wrapped_release(&w);
	return lines > 1 ? n : 99;
}

int main(void)
{
	/* Short text stays on one line; empty text gives no line. */
	check_wrap("强化学习", 10, 0, "强化学习");
	check_wrap("", 10, 0, "");

	/* The old poster's "变分策略对 / 齐": a word is never cut, and its last line is no orphan. */
	const char *title = "VA-π：针对像素感知自回归生成的变分策略对齐";
	char *got = wrap(title, 20, 0);
	CHECK(!strstr(got, "对 / 齐"));
	CHECK(last_line_chars(title, 20) > LINEBREAK_ORPHAN_MAX);
	free(got);
	for (double width = 6; width <= 24; width++)
		CHECK(last_line_chars(title, width) > LINEBREAK_ORPHAN_MAX);

	/* "高效推 / 理(11)": a chip glued together stays whole, at every width it fits. */
	char *chip = linebreak_glue("高效推理(11)");
	char *hot = xasprintf("热门领域：语言模型(21)、强化学习(14)、%s、视频生成(2)", chip);
	for (double width = 9; width <= 30; width++) {
		char *lines = wrap(hot, width, 0);
		CHECK_CONTAINS(lines, "高效推理(11)");
		CHECK(!strstr(lines, "\xE2\x81\xA0")); /* the glue is not in the output */
		free(lines);
	}
	free(hot);
	free(chip);

	/* Words found by ICU's dictionary are not cut: 推理 and 模型 stay together. */
	for (double width = 4; width <= 12; width++) {
		char *lines = wrap("大语言模型的高效推理方法", width, 0);
		CHECK(!strstr(lines, "推 / 理"));
		CHECK(!strstr(lines, "模 / 型"));
		free(lines);
	}

	/* Punctuation rules: no line starts with "，" or "。". */
	for (double width = 3; width <= 12; width++) {
		char *lines = wrap("我们提出一种方法，显著提升生成质量与一致性。", width, 0);
		CHECK(!strstr(lines, "/ ，"));
		CHECK(!strstr(lines, "/ 。"));
		free(lines);
	}

	/* Latin text breaks at spaces, without the spaces. */
	check_wrap("Schoenfeld's Anatomy of Mathematical Reasoning", 14, 0,
		   "Schoenfeld's / Anatomy of / Mathematical / Reasoning");
	/* A word longer than the line is cut by character rather than overflowing. */
	check_wrap("https://example.org/a", 8, 0, "https:// / example. / org/a");

	/* At most max_lines, the last ending in "…" and still within the width. */
	struct wrapped w;
	linebreak_wrap("提出变分策略对齐方法，让自回归图像生成器直接在像素空间上优化，显著提升生成质量。",
		       10, 2, units, NULL, &w);
	CHECK_INT((long)w.n, 2);
	CHECK(w.truncated);
	CHECK(g_str_has_suffix(w.lines[1], "…"));
	CHECK(units(NULL, w.lines[1]) <= 10);
	char *joined = wrapped_join(&w);
	CHECK(strchr(joined, '\n') != NULL);
	free(joined);
	wrapped_release(&w);

	/* Invalid UTF-8 is replaced, not refused. */
	linebreak_wrap("abc\xff\xfe def", 20, 0, units, NULL, &w);
	CHECK_INT((long)w.n, 1);
	CHECK(g_utf8_validate(w.lines[0], -1, NULL));
	wrapped_release(&w);
	return test_report("test_linebreak");
}
