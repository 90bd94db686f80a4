/* Unit tests for speak/script: the broadcast's words, made speakable. */
#include "core/common.h"

#include "speak/script.h"
#include "lang/lang.h"
#include "harness.h"
#include "ui_helper.h"

#include <stdlib.h>

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
	check_speakable("FID从14.36降低到7.65", "F I D从14.36降低到7.65");
	check_speakable("仅使用1%的数据", "仅使用百分之1的数据");
	check_speakable("准确性提高了10-30%，成本降低了60%。", "准确性提高了百分之10到30，成本降低了百分之60。");
	check_speakable("在3D场景和2D图像中", "在三维场景和二维图像中");
	check_speakable("GPT-4o与LLaMA-3", "G P T 4o与LLaMA 3");
	check_speakable("大语言模型（LLMs）和VLM", "大语言模型（L L M）和V L M");
	check_speakable("代码可在https://github.com/Lil-Shake/VA-Pi获取。", "代码可在获取。");
	check_speakable("见 https://x.org/a_b. 然后", "见 . 然后");
	check_speakable("**粗体** 与 `代码` 和 [链接]", "粗体 与 代码 和 链接");
	check_speakable("1.5B 与 (1) 创意", "1.5B 与 (1) 创意");
	check_speakable("VA-π：变分", "V A π：变分");

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
	script_build(ui, "2025-12-26", &papers, &s);
	CHECK_INT(s.n_segments, 4);
	CHECK_INT(s.n_papers, 2);
	CHECK_STR(s.segments[0], "欢迎收听Hugging Face 2025年12月26日论文日报。今天为您带来2篇论文解读。");
	CHECK_STR(s.segments[1], "第1篇论文：潜在隐式视觉推理。尽管大型多模态模型（L M M）取得了显著进展。");
	CHECK_STR(s.segments[2], "第2篇论文：An untranslated paper。It stays in English.");
	CHECK_STR(s.segments[3], "感谢收听，我们明天再会。");
	CHECK_STR(s.titles[0], "潜在隐式视觉推理");
	CHECK_STR(s.titles[1], "An untranslated paper");
	script_release(&s);
	/* zh-TW: the script's own words follow the UI strings; titles are spoken as given. */
	struct ui_strings *tw = ui_of("zh-TW");
	CHECK(tw != NULL);
	if (tw) {
		script_build(tw, "2025-12-26", &papers, &s);
		CHECK_STR(s.segments[0], "歡迎收聽Hugging Face 2025年12月26日論文日報。今天為您帶來2篇論文解讀。");
		CHECK_STR(s.segments[3], "感謝收聽，我們明天再會。");
		CHECK_CONTAINS(s.segments[2], "第2篇論文：An untranslated paper。");
		script_release(&s);
		char *sp = speakable(tw, "在3D場景中提高了10-30%");
		CHECK_STR(sp, "在三維場景中提高了百分之10到30");
		free(sp);
		ui_strings_free(tw);
	}
	script_build(ui, "2025-12-26", &papers, &s);
	char *text = script_text(&s);
	CHECK_CONTAINS(text, "今天为您带来2篇论文解读。\n\n第1篇论文：");
	free(text);
	script_release(&s);
	paper_list_release(&papers);
	ui_strings_free(ui);
	return test_report("test_script");
}
