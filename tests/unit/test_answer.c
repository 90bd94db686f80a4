/* Unit tests for translate/answer: the labelled translation format. */
#include "core/common.h"

#include "translate/answer.h"
#include "harness.h"

int main(void)
{
	struct answer a;
	struct pb_err err = PB_ERR_INIT;
	CHECK_INT(answer_parse_labelled("标题：潜在隐式视觉推理\n\n摘要：尽管大型多模态模型取得了进展。", &a, &err), 0);
	CHECK_STR(a.title_zh, "潜在隐式视觉推理");
	CHECK_STR(a.abstract_zh, "尽管大型多模态模型取得了进展。");
	CHECK(a.summary_zh == NULL);
	answer_release(&a);

	/* Preamble, ASCII colons, Markdown bold labels, a multi-line abstract, a summary. */
	CHECK_INT(answer_parse_labelled("好的，以下是翻译：\n**标题:** 标题一\n摘要: 第一行\n第二行\n"
					"一句话总结：一句话。", &a, &err), 0);
	CHECK_STR(a.title_zh, "标题一");
	CHECK_STR(a.abstract_zh, "第一行 第二行");
	CHECK_STR(a.summary_zh, "一句话。");
	answer_release(&a);

	/* Labels never leak into the text. */
	CHECK_INT(answer_parse_labelled("标题：A\n\n摘要：B", &a, &err), 0);
	CHECK(strstr(a.abstract_zh, "摘要") == NULL);
	CHECK(strstr(a.title_zh, "标题") == NULL);
	answer_release(&a);

	CHECK_INT(answer_parse_labelled("just english text", &a, &err), PB_ERR_PARSE);
	CHECK_CONTAINS(err.msg, "no title");
	pb_err_clear(&err);
	CHECK_INT(answer_parse_labelled("标题：只有标题", &a, &err), PB_ERR_PARSE);
	CHECK_CONTAINS(err.msg, "no abstract");
	return test_report("test_answer");
}
