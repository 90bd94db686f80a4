/*
 * answer.h - turning an LLM's translation text into stored fields.
 *
 * Owns: the formats translations arrive in. Today that is the old bot's
 * labelled text, "标题：…\n\n摘要：…" (also what its archive holds); the
 * translation engine adds JSON answers here. Pure functions over strings.
 */
#ifndef PB_ANSWER_H
#define PB_ANSWER_H

#include "core/err.h"

struct answer {
	char *title_zh;
	char *abstract_zh;
	char *summary_zh; /* NULL when the answer has none */
};

/*
 * Parse "标题：T\n\n摘要：A" (full-width or ASCII colons, optional
 * "一句话总结：S"). The labels never reach the fields; whitespace is
 * normalised. PB_ERR_PARSE if the title or abstract is missing or empty.
 */
int answer_parse_labelled(const char *text, struct answer *out, struct pb_err *err);
void answer_release(struct answer *a);

#endif
