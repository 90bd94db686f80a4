/* Unit tests for speak/script: the broadcast's words, made speakable. */
#include "core/common.h"

#include "speak/script.h"
#include "lang/lang.h"
#include "core/buf.h"
#include "core/fsutil.h"
#include "harness.h"
#include "ui_helper.h"

#include <stdlib.h>
#include <string.h>

static struct ui_strings *ui;

static void check_speakable(const char *in, const char *expect)
{
	char *out = speakable(ui, in);
	CHECK_STR(out, expect);
	free(out);
}

int main(void)
{
	ui = ui_of("zh-CN");
	/* The table: tests/data/speakable.txt, input<TAB>expected per line. */
	struct buf table;
	buf_init(&table, BUF_LIMIT_NONE);
	struct pb_err err = PB_ERR_INIT;
	CHECK_INT(fs_read_file(TEST_FIXTURES "/../data/speakable.txt", &table, &err), 0);
	int cases = 0;
	for (char *line = table.data; line && *line;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = 0;
		char *tab = strchr(line, '\t');
		if (*line != '#' && tab) {
			*tab = 0;
			check_speakable(line, tab + 1);
			cases++;
		}
		line = nl ? nl + 1 : NULL;
	}
	CHECK(cases >= 40);
	buf_release(&table);

	struct paper_list papers = {0};
	struct paper *p = paper_list_push(&papers);
	p->id = xstrdup("1");
	p->title = xstrdup("Latent Implicit Visual Reasoning");
	p->abstract = xstrdup("English abstract.");
	p->title_zh = xstrdup("潜在隐式视觉推理");
	p->abstract_zh = xstrdup("尽管大型多模态模型（LMMs）取得了显著进展。");
	p = paper_list_push(&papers);
	p->id = xstrdup("2");
	p->title = xstrdup("An untranslated paper");
	p->abstract = xstrdup("It stays in English.");
	struct script s;
	script_build(ui, "2025-12-26", &papers, SCRIPT_FULL, &s);
	CHECK_INT(s.n_segments, 4);
	CHECK_INT(s.n_papers, 2);
	CHECK_STR(s.segments[0], "欢迎收听Hugging Face 二零二五年十二月二十六日论文日报。今天为您带来二篇论文解读。");
	CHECK_STR(s.segments[1], "第一篇论文：潜在隐式视觉推理。尽管大型多模态模型（L M M）取得了显著进展。");
	CHECK_STR(s.segments[2], "第二篇论文：An untranslated paper。It stays in English.");
	CHECK_STR(s.segments[3], "感谢收听，我们下周一再会。"); /* 2025-12-26 is a Friday */
	CHECK_STR(s.titles[0], "潜在隐式视觉推理");
	CHECK_STR(s.titles[1], "An untranslated paper");
	script_release(&s);
	/* zh-TW: the script's own words follow the UI strings; titles are spoken as given. */
	struct ui_strings *tw = ui_of("zh-TW");
	CHECK(tw != NULL);
	if (tw) {
		script_build(tw, "2025-12-26", &papers, SCRIPT_FULL, &s);
		CHECK_STR(s.segments[0], "歡迎收聽Hugging Face 二零二五年十二月二十六日論文日報。今天為您帶來二篇論文解讀。");
		CHECK_STR(s.segments[3], "感謝收聽，我們下週一再會。");
		CHECK_CONTAINS(s.segments[2], "第二篇論文：An untranslated paper。");
		script_release(&s);
		char *sp = speakable(tw, "在3D場景中提高了10-30%");
		CHECK_STR(sp, "在三維場景中提高了百分之十到三十");
		free(sp);
		ui_strings_free(tw);
	}
	script_build(ui, "2025-12-26", &papers, SCRIPT_FULL, &s);
	char *text = script_text(&s);
	CHECK_CONTAINS(text, "今天为您带来二篇论文解读。\n\n第一篇论文：");
	free(text);
	script_release(&s);
	/* Brief: the title and the one-sentence summary, else the abstract's first sentence. */
	papers.items[0].summary_zh = xstrdup("用隐式视觉标记改进推理。");
	script_build(ui, "2025-12-24", &papers, SCRIPT_BRIEF, &s);
	CHECK_STR(s.segments[1], "第一篇论文：潜在隐式视觉推理。用隐式视觉标记改进推理。");
	CHECK_STR(s.segments[2], "第二篇论文：An untranslated paper。It stays in English.");
	CHECK_STR(s.segments[3], "感谢收听，我们明天再会。"); /* a Wednesday */
	script_release(&s);
	free(papers.items[0].summary_zh);
	papers.items[0].summary_zh = NULL;
	papers.items[0].abstract_zh = (free(papers.items[0].abstract_zh), xstrdup("第一句。第二句。"));
	script_build(ui, "2025-12-27", &papers, SCRIPT_BRIEF, &s);
	CHECK_STR(s.segments[1], "第一篇论文：潜在隐式视觉推理。第一句。");
	CHECK_STR(s.segments[3], "感谢收听，我们下周一再会。"); /* a Saturday */
	script_release(&s);
	enum script_content c;
	CHECK(script_content_parse("full", &c) && c == SCRIPT_FULL);
	CHECK(!script_content_parse("long", &c));
	paper_list_release(&papers);
	ui_strings_free(ui);
	return test_report("test_script");
}
