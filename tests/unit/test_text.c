/* Unit tests for core/text: normalisation and context escaping. */
#include "core/common.h"

#include "core/text.h"
#include "harness.h"

#include <stdlib.h>

static void check_norm(const char *in, const char *expect)
{
	char *out = text_normalize(in);
	CHECK_STR(out, expect);
	free(out);
}

static void check_md(const char *in, const char *expect)
{
	struct buf b;
	buf_init(&b, BUF_LIMIT_NONE);
	md_escape_text(&b, in);
	CHECK_STR(b.data, expect);
	buf_release(&b);
}

int main(void)
{
	/* The arXiv line wrap of a 2025-01-23 title. */
	check_norm("FilmAgent: A Multi-Agent Framework for End-to-End Film Automation in\n  Virtual 3D Spaces",
		   "FilmAgent: A Multi-Agent Framework for End-to-End Film Automation in Virtual 3D Spaces");
	check_norm("  a\t\tb \r\n c  ", "a b c");
	check_norm("中文\xc2\xa0标题", "中文 标题");
	check_norm("bad \xff byte", "bad \xEF\xBF\xBD byte");
	check_norm("ctl\x01\x7f", "ctl");
	check_norm("", "");
	/* XML-illegal noncharacters, bidi overrides and zero-width marks go (issue 13, finding 9);
	 * ZWJ inside an emoji sequence stays. */
	check_norm("RTL \u202Egnp.exe\u202C", "RTL gnp.exe");
	check_norm("a\xEF\xBF\xBE" "b\xEF\xBF\xBF" "c", "abc");
	check_norm("\xEF\xBB\xBFzero\u200Bwidth\u2060\u2066iso\u2069\u200Fx", "zerowidthisox");
	check_norm("\xF0\x9F\x91\xA9\u200D\xF0\x9F\x92\xBB", "\xF0\x9F\x91\xA9\u200D\xF0\x9F\x92\xBB");

	CHECK(utf8_is_valid("VA-π", strlen("VA-π")));
	CHECK(!utf8_is_valid("\xc0\xaf", 2));       /* overlong '/' */
	CHECK(!utf8_is_valid("\xed\xa0\x80", 3));   /* surrogate */

	/* A URL's credentials never reach a message. */
	char *shown = url_for_display("https://user:pa55@llm.example.com:8443/v1?x=a@b");
	CHECK_STR(shown, "https://***@llm.example.com:8443/v1?x=a@b");
	free(shown);
	shown = url_for_display("http://127.0.0.1:11434/v1");
	CHECK_STR(shown, "http://127.0.0.1:11434/v1");
	free(shown);

	/* Hostile titles stay text. */
	check_md("<script>alert(1)</script>", "\\<script\\>alert(1)\\</script\\>");
	check_md("[x](javascript:alert(1))", "\\[x\\](javascript:alert(1))");
	check_md("**bold** and _it_", "\\*\\*bold\\*\\* and \\_it\\_");
	check_md("line\nbreak", "line break");
	check_md("# heading", "\\# heading");
	check_md("1. list", "1\\. list");
	check_md("- item", "\\- item");
	check_md("=====", "\\=====");
	check_md("a & b `c`", "a \\& b \\`c\\`");
	/* Ordinary text from the reference edition is left exactly as it was. */
	check_md("VA-π: Variational Policy Alignment for Pixel-Aware Autoregressive Generation",
		 "VA-π: Variational Policy Alignment for Pixel-Aware Autoregressive Generation");
	check_md("Schoenfeld's Anatomy (ThinkARM) 10-30%", "Schoenfeld's Anatomy (ThinkARM) 10-30%");

	struct buf u;
	buf_init(&u, BUF_LIMIT_NONE);
	CHECK(md_append_url(&u, "https://github.com/a/b_(c)"));
	CHECK_STR(u.data, "https://github.com/a/b%5F%28c%29");
	buf_reset(&u);
	CHECK(!md_append_url(&u, "javascript:alert(1)"));
	CHECK(!md_append_url(&u, "https://"));
	CHECK(!md_append_url(&u, "https://x y"));
	CHECK(!md_append_url(&u, "data:text/html,hi"));
	CHECK_STR(u.data, "");
	buf_reset(&u);
	html_escape(&u, "<a href=\"x\">'&'</a>");
	CHECK_STR(u.data, "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
	buf_release(&u);

	CHECK(paper_id_is_safe("2512.21218"));
	CHECK(!paper_id_is_safe("../etc/passwd"));
	CHECK(!paper_id_is_safe("a b"));
	CHECK(!paper_id_is_safe(""));
	CHECK(!paper_id_is_safe("x)"));
	return test_report("test_text");
}
