/* fuzz.c - see fuzz.h. */
#include "fuzz.h"

#include "core/common.h"
#include "core/text.h"
#include "lang/lang.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *fuzz_string(const uint8_t *data, size_t size)
{
	return xstrndup((const char *)data, size);
}

static char **split(const char *s, size_t len, char sep, size_t max, size_t *n)
{
	size_t cap = 8, count = 0;
	char **parts = xcalloc(cap, sizeof(*parts));
	size_t start = 0;
	for (size_t i = 0; i <= len && count < max; i++) {
		if (i < len && s[i] != sep)
			continue;
		if (count == cap) {
			cap *= 2;
			parts = xrealloc(parts, cap * sizeof(*parts));
		}
		parts[count++] = xstrndup(s + start, i - start);
		start = i + 1;
	}
	*n = count;
	return parts;
}

void fuzz_records_split(const uint8_t *data, size_t size, struct fuzz_records *out)
{
	size_t n = 0;
	char **recs = split((const char *)data, size, FUZZ_RECORD, FUZZ_MAX_RECORDS, &n);
	out->n = n;
	out->fields = xcalloc(n ? n : 1, sizeof(*out->fields));
	out->n_fields = xcalloc(n ? n : 1, sizeof(*out->n_fields));
	for (size_t r = 0; r < n; r++) {
		out->fields[r] = split(recs[r], strlen(recs[r]), FUZZ_FIELD, 64, &out->n_fields[r]);
		free(recs[r]);
	}
	free(recs);
}

void fuzz_records_release(struct fuzz_records *r)
{
	for (size_t i = 0; i < r->n; i++) {
		for (size_t f = 0; f < r->n_fields[i]; f++)
			free(r->fields[i][f]);
		free(r->fields[i]);
	}
	free(r->fields);
	free(r->n_fields);
	memset(r, 0, sizeof(*r));
}

const char *fuzz_field(const struct fuzz_records *r, size_t rec, size_t f)
{
	return rec < r->n && f < r->n_fields[rec] ? r->fields[rec][f] : "";
}

/* A normalised copy, or NULL when nothing is left (as the parsers store absent fields). */
static char *text_or_null(const char *s)
{
	char *n = text_normalize(s);
	if (!*n) {
		free(n);
		return NULL;
	}
	return n;
}

/* "a, b,c" as the JSON array ["a","b","c"] the archive keeps, or NULL when empty. */
static char *json_list(const char *csv)
{
	json_t *arr = json_array();
	size_t n = 0;
	char **items = split(csv, strlen(csv), ',', 1000, &n);
	for (size_t i = 0; i < n; i++) {
		char *t = text_or_null(items[i]);
		if (t)
			json_array_append_new(arr, json_string(t));
		free(t);
		free(items[i]);
	}
	free(items);
	char *out = json_array_size(arr) ? json_dumps(arr, JSON_COMPACT) : NULL;
	json_decref(arr);
	return out;
}

void fuzz_papers(const struct fuzz_records *r, struct paper_list *out)
{
	for (size_t i = 0; i < r->n; i++) {
		struct paper *p = paper_list_push(out);
		p->id = xasprintf("2512.%05zu", 10000 + i);
		p->title = text_normalize(fuzz_field(r, i, 0));
		if (!*p->title) {
			free(p->title);
			p->title = xstrdup("Untitled");
		}
		p->abstract = text_normalize(fuzz_field(r, i, 1));
		p->title_zh = text_or_null(fuzz_field(r, i, 2));
		if (p->title_zh) {
			p->translation_id = (long long)i + 1;
			p->abstract_zh = text_normalize(fuzz_field(r, i, 3));
			p->summary_zh = text_or_null(fuzz_field(r, i, 4));
		}
		p->authors = json_list(fuzz_field(r, i, 5));
		p->ai_keywords = json_list(fuzz_field(r, i, 6));
		p->github_repo = text_or_null(fuzz_field(r, i, 7));
		p->project_page = text_or_null(fuzz_field(r, i, 8));
		p->organization = text_or_null(fuzz_field(r, i, 9));
		p->upvotes = strtol(fuzz_field(r, i, 10), NULL, 10);
		p->published_at = xstrdup("2025-12-26T00:00:00.000Z");
	}
}

const struct ui_strings *fuzz_ui_zh_cn(const char *target)
{
	static struct ui_strings *ui; /* kept to the end: loading them per input would be most of the work */
	struct pb_err err = PB_ERR_INIT;
	if (!ui && ui_strings_load(lang_default(), &ui, &err))
		fuzz_fail(target, "cannot load the zh-CN strings", err.msg);
	return ui;
}

_Noreturn void fuzz_fail(const char *target, const char *what, const char *detail)
{
	fprintf(stderr, "%s: property failed: %s%s%s\n", target, what, detail ? ": " : "",
		detail ? detail : "");
	abort();
}
