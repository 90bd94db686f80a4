/* prompt.c - the system prompt with its glossary, and per-paper messages. */
#include "core/common.h"

#include "translate/prompt.h"
#include "core/buf.h"
#include "core/data.h"
#include "core/fsutil.h"
#include "core/hash.h"
#include "core/template.h"
#include "core/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int glossary_format(const char *text, const char *name, char **lines, size_t *terms,
		    struct pb_err *err)
{
	struct buf out;
	buf_init(&out, BUF_LIMIT_NONE);
	*terms = 0;
	int line_no = 0;
	for (const char *line = text; *line;) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		line_no++;
		char *copy = xstrndup(line, len);
		line += len + (end ? 1 : 0);
		char *tab = strchr(copy, '\t');
		char *trimmed = text_normalize(copy);
		if (!*trimmed || trimmed[0] == '#') {
			free(copy);
			free(trimmed);
			continue;
		}
		free(trimmed);
		if (!tab) {
			free(copy);
			buf_release(&out);
			pb_err_set(err, PB_ERR_PARSE, "glossary '%s' line %d: expected 'english<TAB>chinese'",
				   name, line_no);
			return PB_ERR_PARSE;
		}
		*tab = '\0';
		/* An optional third column is the zh-TW rendering (lang.c reads it); the prompt is
		 * about zh-CN only, so it never sees it and the prompt version stays the same. */
		char *tw = strchr(tab + 1, '\t');
		if (tw)
			*tw = '\0';
		char *en = text_normalize(copy), *zh = text_normalize(tab + 1);
		if (*en && *zh) {
			sb_addf(&out, "   - %s → %s\n", en, zh);
			(*terms)++;
		}
		free(en);
		free(zh);
		free(copy);
	}
	/* The template puts the list on its own lines; drop our last newline. */
	if (out.len)
		out.data[--out.len] = '\0';
	*lines = buf_detach(&out);
	return 0;
}

int prompt_load(struct prompt *p, const char *glossary_path, struct pb_err *err)
{
	memset(p, 0, sizeof(*p));
	const char *tmpl = data_get("data/prompts/translate-system.txt", NULL);
	if (!tmpl)
		return pb_err_set(err, PB_ERR, "the prompt template is missing from this build");
	struct buf text;
	buf_init(&text, 4u << 20);
	const char *name = glossary_path ? glossary_path : "data/glossary.tsv";
	int rc;
	if (glossary_path) {
		rc = fs_read_file(glossary_path, &text, err);
	} else {
		rc = 0;
		const char *g = data_get("data/glossary.tsv", NULL);
		if (!g || buf_adds(&text, g))
			rc = pb_err_set(err, PB_ERR, "the default glossary is missing from this build");
	}
	char *lines = NULL;
	if (!rc)
		rc = glossary_format(text.data, name, &lines, &p->glossary_terms, err);
	buf_release(&text);
	if (rc)
		return rc;
	struct buf system;
	buf_init(&system, BUF_LIMIT_NONE);
	const struct tmpl_var vars[] = {{"glossary", lines}};
	rc = template_expand(&system, tmpl, "data/prompts/translate-system.txt", vars, 1, err);
	free(lines);
	if (rc) {
		buf_release(&system);
		return rc;
	}
	p->system = buf_detach(&system);
	char hash[65];
	sha256_hex(p->system, strlen(p->system), hash);
	snprintf(p->version, sizeof(p->version), "p1-%.12s", hash);
	return 0;
}

void prompt_release(struct prompt *p)
{
	free(p->system);
	memset(p, 0, sizeof(*p));
}

char *prompt_user_message(const char *title, const char *abstract)
{
	return xasprintf("Title: %s\n\nAbstract: %s", title, abstract);
}

char *prompt_user_retry_numbers(const char *title, const char *abstract, const char *missing)
{
	return xasprintf("Title: %s\n\nAbstract: %s\n\n注意：上一次的译文漏掉了这些数字：%s。"
			 "请重新翻译，并确保摘要原文中的每个数字都原样出现在译文中。",
			 title, abstract, missing);
}
