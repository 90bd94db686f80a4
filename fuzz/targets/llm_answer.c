/*
 * llm_answer - an LLM server's answer, from the HTTP body to the stored
 * fields: llm_parse_answer (the chat completion: content, finish_reason,
 * usage), answer_parse (the translation in its JSON or labelled form) and
 * the number-fidelity check against the answer's own abstract.
 * Properties: token counts stay within 0..LLM_TOKENS_MAX whatever the server
 * claims; a parsed translation has a non-empty title and abstract and a
 * summary, all valid UTF-8; every number of a text is found in that text.
 */
#include "fuzz.h"

#include "core/buf.h"
#include "core/text.h"
#include "llm/llm.h"
#include "translate/answer.h"
#include "translate/fidelity.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define T "llm_answer"

static void check_field(const char *s, const char *name)
{
	FUZZ_CHECK(T, s && *s, name);
	FUZZ_CHECK(T, utf8_is_valid(s, strlen(s)), name);
}

static void check_answer(const char *content)
{
	struct answer a = {0};
	struct pb_err err = {0};
	if (answer_parse(content, &a, &err) == 0) {
		check_field(a.title_zh, "title");
		check_field(a.abstract_zh, "abstract");
		check_field(a.summary_zh, "summary");
		char **numbers = numbers_extract(a.abstract_zh);
		struct buf missing;
		buf_init(&missing, BUF_LIMIT_NONE);
		FUZZ_CHECK(T, numbers_missing(numbers, a.abstract_zh, &missing) == 0, missing.data);
		buf_release(&missing);
		numbers_free(numbers);
	} else {
		FUZZ_CHECK(T, err.msg[0] != '\0', "a refused answer without a message");
	}
	answer_release(&a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *root = NULL;
	struct llm_answer ans = {0};
	if (llm_parse_answer((const char *)data, size, &root, &ans)) {
		FUZZ_CHECK(T, ans.content != NULL, "accepted without content");
		FUZZ_CHECK(T, ans.tokens_in >= 0 && ans.tokens_in <= LLM_TOKENS_MAX, "tokens_in");
		FUZZ_CHECK(T, ans.tokens_out >= 0 && ans.tokens_out <= LLM_TOKENS_MAX, "tokens_out");
		check_answer(ans.content);
	}
	json_decref(root);
	/* The content itself, as a server that answers text without JSON around it sends it. */
	char *text = fuzz_string(data, size);
	check_answer(text);
	free(text);
	return 0;
}
