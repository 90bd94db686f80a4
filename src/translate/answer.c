/* answer.c - parse labelled translations ("标题：…\n\n摘要：…"). */
#include "core/common.h"

#include "translate/answer.h"
#include "core/text.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

void answer_release(struct answer *a)
{
	free(a->title_zh);
	free(a->abstract_zh);
	free(a->summary_zh);
	memset(a, 0, sizeof(*a));
}

enum label_kind { LABEL_NONE, LABEL_TITLE, LABEL_ABSTRACT, LABEL_SUMMARY };

/* If line starts with a known label and a colon, return its kind and where the text begins. */
static enum label_kind match_label(const char *line, const char **rest)
{
	static const struct {
		const char *word;
		enum label_kind kind;
	} labels[] = {{"标题", LABEL_TITLE}, {"摘要", LABEL_ABSTRACT}, {"一句话总结", LABEL_SUMMARY}};
	while (*line == ' ' || *line == '\t' || *line == '*' || *line == '#')
		line++; /* "**标题：**" and "## 标题:" show up in real answers */
	for (size_t i = 0; i < PB_ARRAY_LEN(labels); i++) {
		size_t n = strlen(labels[i].word);
		if (strncmp(line, labels[i].word, n))
			continue;
		const char *p = line + n;
		while (*p == '*')
			p++;
		if (!strncmp(p, "：", strlen("："))) {
			p += strlen("：");
		} else if (*p == ':') {
			p++;
		} else {
			continue;
		}
		while (*p == '*' || *p == ' ')
			p++;
		*rest = p;
		return labels[i].kind;
	}
	return LABEL_NONE;
}

int answer_parse_labelled(const char *text, struct answer *out, struct pb_err *err)
{
	memset(out, 0, sizeof(*out));
	struct buf fields[4];
	for (size_t i = 0; i < 4; i++)
		buf_init(&fields[i], BUF_LIMIT_NONE);
	enum label_kind current = LABEL_NONE;
	const char *line = text;
	while (*line) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		char *copy = xstrndup(line, len);
		const char *rest = copy;
		enum label_kind kind = match_label(copy, &rest);
		if (kind != LABEL_NONE)
			current = kind;
		/* Text before the first label is preamble ("好的，以下是翻译"): dropped. */
		if (current != LABEL_NONE) {
			sb_adds(&fields[current], rest);
			sb_addc(&fields[current], '\n');
		}
		free(copy);
		line += len + (end ? 1 : 0);
	}
	out->title_zh = text_normalize(fields[LABEL_TITLE].data);
	out->abstract_zh = text_normalize(fields[LABEL_ABSTRACT].data);
	char *summary = text_normalize(fields[LABEL_SUMMARY].data);
	if (*summary)
		out->summary_zh = summary;
	else
		free(summary);
	for (size_t i = 0; i < 4; i++)
		buf_release(&fields[i]);
	if (!*out->title_zh || !*out->abstract_zh) {
		bool no_title = !*out->title_zh;
		answer_release(out);
		return pb_err_set(err, PB_ERR_PARSE, "translation has no %s (expected '标题：…' and '摘要：…')",
				  no_title ? "title" : "abstract");
	}
	return 0;
}

/* Remove every <think>…</think> block; an unclosed <think> swallows the rest. */
static char *strip_think(const char *s)
{
	struct buf out;
	buf_init(&out, BUF_LIMIT_NONE);
	for (;;) {
		const char *open = strstr(s, "<think>");
		if (!open) {
			sb_adds(&out, s);
			break;
		}
		sb_add(&out, s, (size_t)(open - s));
		const char *close = strstr(open, "</think>");
		if (!close)
			break;
		s = close + strlen("</think>");
	}
	return buf_detach(&out);
}

/* The text between the first '{' and the last '}' parsed as a JSON object, or NULL. */
static json_t *find_json_object(const char *s)
{
	const char *open = strchr(s, '{'), *close = strrchr(s, '}');
	if (!open || !close || close < open)
		return NULL;
	json_t *root = json_loadb(open, (size_t)(close - open + 1), 0, NULL);
	if (root && !json_is_object(root)) {
		json_decref(root);
		return NULL;
	}
	return root;
}

static const char *json_field(json_t *obj, const char *const *keys)
{
	for (; *keys; keys++) {
		const char *v = json_string_value(json_object_get(obj, *keys));
		if (v)
			return v;
	}
	return NULL;
}

/* Normalise and drop a label the model repeated inside a JSON value ("标题：…"). */
static char *clean_field(const char *value)
{
	if (!value)
		return xstrdup("");
	const char *rest = value;
	char *copy = text_normalize(value);
	if (match_label(copy, &rest) != LABEL_NONE) {
		char *stripped = xstrdup(rest);
		free(copy);
		return stripped;
	}
	return copy;
}

int answer_parse(const char *content, struct answer *out, struct pb_err *err)
{
	memset(out, 0, sizeof(*out));
	char *text = strip_think(content);
	json_t *obj = find_json_object(text);
	int rc = 0;
	if (obj) {
		static const char *const title_keys[] = {"title", "标题", "title_zh", NULL};
		static const char *const abstract_keys[] = {"abstract", "摘要", "summary_long", "abstract_zh", NULL};
		static const char *const summary_keys[] = {"summary", "一句话总结", "tldr", NULL};
		out->title_zh = clean_field(json_field(obj, title_keys));
		out->abstract_zh = clean_field(json_field(obj, abstract_keys));
		char *summary = clean_field(json_field(obj, summary_keys));
		if (*summary)
			out->summary_zh = summary;
		else
			free(summary);
		json_decref(obj);
		if (!*out->title_zh || !*out->abstract_zh) {
			bool no_title = !*out->title_zh;
			answer_release(out);
			rc = pb_err_set(err, PB_ERR_PARSE, "the JSON answer has no %s",
					no_title ? "title" : "abstract");
		}
	} else {
		rc = answer_parse_labelled(text, out, err);
	}
	free(text);
	if (!rc && !out->summary_zh)
		out->summary_zh = first_sentence(out->abstract_zh);
	return rc;
}
