/*
 * template - "{{name}}" substitution (core/template.c), against a model:
 * the first record is the template, every further record a name and its
 * value. The model is the rule the templates under data/ are written to: a
 * placeholder runs from "{{" to the next "}}", names a variable exactly, and
 * is replaced by its value verbatim (a value holding "{{x}}" is not expanded
 * again); an unclosed "{{" or an unknown name fails the whole template.
 * Properties: template_expand succeeds exactly when the model does, with the
 * same output, and a failure names the template.
 */
#include "fuzz.h"

#include "core/buf.h"
#include "core/template.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define T "template"

static const struct tmpl_var *find(const struct tmpl_var *vars, size_t n, const char *name,
				   size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(vars[i].name) == len && memcmp(vars[i].name, name, len) == 0)
			return &vars[i];
	return NULL;
}

/* The model: false when the template must be refused. */
static bool model_expand(const char *t, const struct tmpl_var *vars, size_t n, struct buf *out)
{
	size_t len = strlen(t);
	for (size_t i = 0; i < len;) {
		if (i + 1 < len && t[i] == '{' && t[i + 1] == '{') {
			size_t j = i + 2;
			while (j + 1 < len && !(t[j] == '}' && t[j + 1] == '}'))
				j++;
			if (j + 1 >= len)
				return false;
			const struct tmpl_var *v = find(vars, n, t + i + 2, j - i - 2);
			if (!v)
				return false;
			sb_adds(out, v->value);
			i = j + 2;
		} else {
			sb_addc(out, t[i++]);
		}
	}
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_records r = {0};
	fuzz_records_split(data, size, &r);
	const char *tmpl = fuzz_field(&r, 0, 0);
	size_t n = r.n > 1 ? r.n - 1 : 0;
	struct tmpl_var *vars = calloc(n ? n : 1, sizeof(*vars));
	for (size_t i = 0; i < n; i++)
		vars[i] = (struct tmpl_var){fuzz_field(&r, i + 1, 0), fuzz_field(&r, i + 1, 1)};

	struct buf got, want;
	buf_init(&got, BUF_LIMIT_NONE);
	buf_init(&want, BUF_LIMIT_NONE);
	struct pb_err err = PB_ERR_INIT;
	int rc = template_expand(&got, tmpl, "fuzz.md", vars, n, &err);
	bool ok = model_expand(tmpl, vars, n, &want);
	FUZZ_CHECK(T, (rc == 0) == ok, err.msg);
	if (ok)
		FUZZ_CHECK(T, got.len == want.len &&
				   (!got.len || memcmp(got.data, want.data, got.len) == 0),
			   "output differs from the model");
	else
		FUZZ_CHECK(T, strstr(err.msg, "fuzz.md") != NULL, err.msg);
	buf_release(&got);
	buf_release(&want);
	free(vars);
	fuzz_records_release(&r);
	return 0;
}
