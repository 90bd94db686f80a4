/* Unit tests for llm_parse_answer: content, finish_reason, and usage counts a server cannot poison. */
#include "core/common.h"

#include "llm/llm.h"
#include "harness.h"

#include <jansson.h>
#include <limits.h>
#include <string.h>

/* The usage of one answer whose usage object is `usage` (JSON text). */
static void parse_usage(const char *usage, long *in, long *out)
{
	char body[512];
	snprintf(body, sizeof(body),
		 "{\"choices\":[{\"message\":{\"content\":\"标题：x\"},\"finish_reason\":\"stop\"}],"
		 "\"usage\":%s}", usage);
	json_t *root = NULL;
	struct llm_answer a = {0};
	a.tokens_in = a.tokens_out = -12345;
	CHECK(llm_parse_answer(body, strlen(body), &root, &a));
	*in = a.tokens_in;
	*out = a.tokens_out;
	json_decref(root);
}

int main(void)
{
	long in, out;
	parse_usage("{\"prompt_tokens\":1200,\"completion_tokens\":800}", &in, &out);
	CHECK_INT(in, 1200);
	CHECK_INT(out, 800);

	/* Negative counts would make tokens and cost negative and keep --budget from being reached. */
	parse_usage("{\"prompt_tokens\":-5000000,\"completion_tokens\":-1}", &in, &out);
	CHECK_INT(in, 0);
	CHECK_INT(out, 0);

	/* Huge counts saturate at the cap instead of overflowing the sums. */
	parse_usage("{\"prompt_tokens\":9223372036854775807,\"completion_tokens\":1e30}", &in, &out);
	CHECK_INT(in, LLM_TOKENS_MAX);
	CHECK_INT(out, LLM_TOKENS_MAX);
	parse_usage("{\"prompt_tokens\":-9223372036854775808,\"completion_tokens\":-1e30}", &in, &out);
	CHECK_INT(in, 0);
	CHECK_INT(out, 0);

	/* A real that is a count (some servers send 12.0) counts; a fraction rounds down. */
	parse_usage("{\"prompt_tokens\":12.0,\"completion_tokens\":7.9}", &in, &out);
	CHECK_INT(in, 12);
	CHECK_INT(out, 7);

	/* Missing or of another type: 0, never garbage. */
	parse_usage("{\"prompt_tokens\":\"1000\",\"completion_tokens\":null}", &in, &out);
	CHECK_INT(in, 0);
	CHECK_INT(out, 0);
	parse_usage("\"lots\"", &in, &out);
	CHECK_INT(in, 0);
	CHECK_INT(out, 0);

	/* The running sums saturate as well. */
	CHECK_INT(llm_tokens_add(1, 2), 3);
	CHECK_INT(llm_tokens_add(LLONG_MAX - 1, LLM_TOKENS_MAX), LLONG_MAX);
	CHECK_INT(llm_tokens_add(LLONG_MAX, LLM_TOKENS_MAX), LLONG_MAX);
	CHECK_INT(llm_tokens_add(5, -3), 5); /* a negative count is not subtracted */
	CHECK_INT(llm_tokens_add(LLONG_MAX, LLONG_MAX), LLONG_MAX);
	return test_report("test_llm_answer");
}
