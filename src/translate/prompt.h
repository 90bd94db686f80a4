/*
 * prompt.h - what paperboy asks the LLM: the system prompt
 * (data/prompts/translate-system.txt) with the glossary (data/glossary.tsv
 * or --glossary FILE) filled in, and one user message per paper.
 *
 * The prompt version is a hash of the filled-in system prompt, so editing
 * the template or the glossary makes every cached translation stale and the
 * next run retranslates; the same inputs always give the same version.
 */
#ifndef PB_PROMPT_H
#define PB_PROMPT_H

#include "core/err.h"

struct prompt {
	char *system;         /* filled-in system prompt */
	char version[32];     /* "p1-<12 hex>" */
	size_t glossary_terms;
};

/* Load the template and the glossary (glossary_path NULL: the shipped one). */
int prompt_load(struct prompt *p, const char *glossary_path, struct pb_err *err);
void prompt_release(struct prompt *p);

/* "Title: …\n\nAbstract: …" (each one line); caller frees. */
char *prompt_user_message(const char *title, const char *abstract);
/* The same, asking again for the numbers the last answer dropped. */
char *prompt_user_retry_numbers(const char *title, const char *abstract, const char *missing);

/* Parse glossary text ("english\tchinese" lines, # comments) into prompt lines. */
int glossary_format(const char *text, const char *name, char **lines, size_t *terms,
		    struct pb_err *err);

#endif
