/* Unit tests for translate/answer: the labelled translation format. */
#include "core/common.h"

#include "translate/answer.h"
#include "core/text.h"
#include "harness.h"

#include <stdlib.h>

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
	pb_err_clear(&err);

	/* JSON answers, with reasoning and code fences around them. */
	CHECK_INT(answer_parse("<think>\n先想想：标题：X 摘要：Y\n</think>\n```json\n"
			       "{\"title\": \"中文标题\", \"abstract\": \"第一句。第二句。\", \"summary\": \"总结。\"}\n```",
			       &a, &err), 0);
	CHECK_STR(a.title_zh, "中文标题");
	CHECK_STR(a.abstract_zh, "第一句。第二句。");
	CHECK_STR(a.summary_zh, "总结。");
	answer_release(&a);
	/* A label repeated inside a JSON value is dropped; a missing summary is the first sentence. */
	CHECK_INT(answer_parse("{\"title\": \"标题：带标签\", \"abstract\": \"摘要：第一句。第二句。\"}", &a, &err), 0);
	CHECK_STR(a.title_zh, "带标签");
	CHECK_STR(a.abstract_zh, "第一句。第二句。");
	CHECK_STR(a.summary_zh, "第一句。");
	answer_release(&a);
	/* The old bot's format through the same entry point. */
	CHECK_INT(answer_parse("标题：旧格式\n\n摘要：内容。", &a, &err), 0);
	CHECK_STR(a.title_zh, "旧格式");
	CHECK_STR(a.summary_zh, "内容。");
	answer_release(&a);
	CHECK_INT(answer_parse("<think>only thinking, never closed", &a, &err), PB_ERR_PARSE);
	pb_err_clear(&err);
	CHECK_INT(answer_parse("{\"title\": \"只有标题\"}", &a, &err), PB_ERR_PARSE);
	CHECK_CONTAINS(err.msg, "no abstract");
	pb_err_clear(&err);
	CHECK_INT(answer_parse("", &a, &err), PB_ERR_PARSE);

	char *s = first_sentence("Only one sentence without end");
	CHECK_STR(s, "Only one sentence without end");
	free(s);
	s = first_sentence("First. Second.");
	CHECK_STR(s, "First.");
	free(s);
	return test_report("test_answer");
}
