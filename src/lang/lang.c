/* lang.c - the edition languages, OpenCC conversion with glossary overrides, UI strings. */
#include "core/common.h"

#include "lang/lang.h"
#include "core/buf.h"
#include "core/data.h"
#include "core/text.h"

#include <glib.h>
#include <ini.h>
#include <opencc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const struct language languages[] = {
	{"zh-CN", "简体中文", "zh-CN", "zh-cn", NULL},
	/* s2twp, not s2tw: Taiwan phrasing (软件→軟體, 信息→資訊), not only Taiwan characters. */
	{"zh-TW", "繁體中文", "zh-TW", "zh-tw", "s2twp.json"},
};

const struct language *lang_find(const char *code)
{
	if (!code)
		return NULL;
	for (size_t i = 0; i < PB_ARRAY_LEN(languages); i++)
		if (!strcasecmp(languages[i].code, code))
			return &languages[i];
	return NULL;
}

const struct language *lang_default(void)
{
	return &languages[0];
}

const char *lang_codes(void)
{
	return "zh-CN, zh-TW";
}

/* ---- conversion ---------------------------------------------------------- */

struct override {
	char *from; /* OpenCC's rendering of the zh-CN term */
	char *to;   /* the glossary's zh-TW column */
};

struct lang_converter {
	const struct language *lang;
	opencc_t cc; /* NULL: the identity */
	struct override *ov; /* longest `from` first, so 大語言模型 wins over 語言模型 */
	size_t n_ov, cap_ov;
};

/* OpenCC's conversion; text must be valid UTF-8. */
static char *opencc_text(opencc_t cc, const char *text)
{
	char *c = opencc_convert_utf8(cc, text, strlen(text));
	if (!c) {
		/* Valid UTF-8 in and an open profile: only memory can be missing. */
		fprintf(stderr, "paperboy: OpenCC failed to convert text: %s\n", opencc_error());
		abort();
	}
	char *out = xstrdup(c);
	opencc_convert_utf8_free(c);
	return out;
}

static int by_length_desc(const void *a, const void *b)
{
	size_t la = strlen(((const struct override *)a)->from);
	size_t lb = strlen(((const struct override *)b)->from);
	return la < lb ? 1 : la > lb ? -1 : strcmp(((const struct override *)a)->from,
						    ((const struct override *)b)->from);
}

/* One glossary column, trimmed: [start, end) of line. */
static char *column(const char *start, const char *end)
{
	char *raw = xstrndup(start, (size_t)(end - start));
	char *norm = text_normalize(raw);
	free(raw);
	return norm;
}

/*
 * "english<TAB>zh-CN[<TAB>zh-TW]" rows; only rows with a zh-TW column matter
 * here. The format is prompt.c's (glossary_format), which ignores the third
 * column, so the prompt and its version stay the same.
 */
static int load_overrides(struct lang_converter *cv, const char *text, const char *name,
			  struct pb_err *err)
{
	int line_no = 0;
	for (const char *line = text; *line;) {
		const char *end = strchr(line, '\n');
		const char *stop = end ? end : line + strlen(line);
		line_no++;
		const char *tab1 = memchr(line, '\t', (size_t)(stop - line));
		const char *tab2 = tab1 ? memchr(tab1 + 1, '\t', (size_t)(stop - tab1 - 1)) : NULL;
		const char *first = line;
		line = end ? end + 1 : stop;
		while (first < stop && (*first == ' ' || *first == '\r'))
			first++;
		if (first == stop || *first == '#' || !tab2)
			continue;
		char *zh_cn = column(tab1 + 1, tab2), *zh_tw = column(tab2 + 1, stop);
		if (!*zh_tw) {
			free(zh_cn);
			free(zh_tw);
			continue;
		}
		if (!*zh_cn || strchr(zh_tw, '\t')) {
			free(zh_cn);
			free(zh_tw);
			pb_err_set(err, PB_ERR_PARSE,
				   "glossary '%s' line %d: expected 'english<TAB>zh-CN<TAB>zh-TW'", name,
				   line_no);
			return PB_ERR_PARSE;
		}
		GROW(cv->ov, cv->cap_ov, cv->n_ov + 1);
		cv->ov[cv->n_ov].from = opencc_text(cv->cc, zh_cn);
		cv->ov[cv->n_ov].to = zh_tw;
		cv->n_ov++;
		free(zh_cn);
	}
	if (cv->n_ov)
		qsort(cv->ov, cv->n_ov, sizeof(*cv->ov), by_length_desc);
	return 0;
}

int lang_converter_new_glossary(const struct language *l, const char *glossary, const char *name,
				struct lang_converter **out, struct pb_err *err)
{
	*out = NULL;
	if (!l)
		return pb_err_set(err, PB_ERR_USAGE, "no language to convert to (known: %s)",
				  lang_codes());
	struct lang_converter *cv = xcalloc(1, sizeof(*cv));
	cv->lang = l;
	if (!l->opencc_config) {
		*out = cv;
		return 0;
	}
	/* A bare file name: OpenCC looks in its own data directory (/usr/share/opencc). */
	opencc_t cc = opencc_open(l->opencc_config);
	if (cc == (opencc_t)-1) {
		free(cv);
		pb_err_set(err, PB_ERR, "%s: cannot open the OpenCC profile '%s': %s", l->code,
			   l->opencc_config, opencc_error());
		pb_err_hint(err, "install OpenCC's profiles and dictionaries: apt-get install "
				 "libopencc-data libopencc1.1 (they live in /usr/share/opencc)");
		return PB_ERR;
	}
	cv->cc = cc;
	int rc = load_overrides(cv, glossary ? glossary : "", name ? name : "glossary", err);
	if (rc) {
		lang_converter_free(cv);
		return rc;
	}
	*out = cv;
	return 0;
}

int lang_converter_new(const struct language *l, struct lang_converter **out, struct pb_err *err)
{
	const char *g = data_get("data/glossary.tsv", NULL);
	if (!g) {
		*out = NULL;
		return pb_err_set(err, PB_ERR, "the default glossary is missing from this build");
	}
	return lang_converter_new_glossary(l, g, "data/glossary.tsv", out, err);
}

void lang_converter_free(struct lang_converter *cv)
{
	if (!cv)
		return;
	if (cv->cc)
		opencc_close(cv->cc);
	for (size_t i = 0; i < cv->n_ov; i++) {
		free(cv->ov[i].from);
		free(cv->ov[i].to);
	}
	free(cv->ov);
	free(cv);
}

static char *apply_overrides(const struct lang_converter *cv, char *text)
{
	if (!cv->n_ov)
		return text;
	struct buf out;
	buf_init(&out, BUF_LIMIT_NONE);
	for (const char *s = text; *s;) {
		const struct override *hit = NULL;
		for (size_t i = 0; i < cv->n_ov && !hit; i++)
			if (!strncmp(s, cv->ov[i].from, strlen(cv->ov[i].from)))
				hit = &cv->ov[i];
		if (hit) {
			sb_adds(&out, hit->to);
			s += strlen(hit->from);
		} else {
			sb_addc(&out, *s++);
		}
	}
	free(text);
	return buf_detach(&out);
}

char *lang_convert(struct lang_converter *cv, const char *text)
{
	if (!text)
		return NULL;
	if (!cv->cc)
		return xstrdup(text);
	/* OpenCC refuses invalid UTF-8; an abstract with a stray byte is still an abstract. */
	char *valid = g_utf8_make_valid(text, -1);
	char *converted = opencc_text(cv->cc, valid);
	g_free(valid);
	return apply_overrides(cv, converted);
}

/* ---- UI strings ---------------------------------------------------------- */

struct ui_strings {
	const struct language *lang;
	GHashTable *strings; /* "section.key" -> value, both owned */
	char *name;          /* where they came from, for the message of a missing key */
};

struct parse_ctx {
	struct ui_strings *ui;
	char duplicate[160];
};

static int on_entry(void *user, const char *section, const char *name, const char *value)
{
	struct parse_ctx *ctx = user;
	char *key = *section ? xasprintf("%s.%s", section, name) : xstrdup(name);
	size_t len = strlen(value);
	/* Quotes keep spaces inih would trim (" · "). */
	char *v = len >= 2 && value[0] == '"' && value[len - 1] == '"' ? xstrndup(value + 1, len - 2)
								       : xstrdup(value);
	if (g_hash_table_contains(ctx->ui->strings, key)) {
		snprintf(ctx->duplicate, sizeof(ctx->duplicate), "%s", key);
		free(key);
		free(v);
		return 0;
	}
	g_hash_table_insert(ctx->ui->strings, key, v);
	return 1;
}

int ui_strings_parse(const struct language *l, const char *text, const char *name,
		     struct ui_strings **out, struct pb_err *err)
{
	*out = NULL;
	struct ui_strings *ui = xcalloc(1, sizeof(*ui));
	ui->lang = l;
	ui->name = xstrdup(name);
	ui->strings = g_hash_table_new_full(g_str_hash, g_str_equal, free, free);
	struct parse_ctx ctx = {ui, ""};
	int line = ini_parse_string(text, on_entry, &ctx);
	if (line) {
		if (ctx.duplicate[0])
			pb_err_set(err, PB_ERR_PARSE, "UI strings '%s' line %d: key '%s' given twice", name,
				   line, ctx.duplicate);
		else
			pb_err_set(err, PB_ERR_PARSE, "UI strings '%s' line %d: not valid INI", name, line);
		ui_strings_free(ui);
		return PB_ERR_PARSE;
	}
	*out = ui;
	return 0;
}

int ui_strings_load(const struct language *l, struct ui_strings **out, struct pb_err *err)
{
	*out = NULL;
	if (!l)
		return pb_err_set(err, PB_ERR_USAGE, "no language for the UI strings (known: %s)",
				  lang_codes());
	char *path = xasprintf("data/lang/%s.ini", l->code);
	const char *text = data_get(path, NULL);
	int rc = text ? ui_strings_parse(l, text, path, out, err)
		      : pb_err_set(err, PB_ERR, "UI strings '%s' are missing from this build", path);
	free(path);
	return rc;
}

void ui_strings_free(struct ui_strings *ui)
{
	if (!ui)
		return;
	g_hash_table_destroy(ui->strings);
	free(ui->name);
	free(ui);
}

const char *ui_find(const struct ui_strings *ui, const char *key)
{
	return g_hash_table_lookup(ui->strings, key);
}

const char *ui_get(const struct ui_strings *ui, const char *key)
{
	const char *v = ui_find(ui, key);
	if (!v) {
		/* Every shipped key is checked by tests/unit/test_lang.c: this is a bug, not input. */
		fprintf(stderr, "paperboy: BUG: UI string '%s' is missing from %s\n", key, ui->name);
		abort();
	}
	return v;
}

char *ui_format(const struct ui_strings *ui, const char *key, const struct tmpl_var *vars,
		size_t n_vars)
{
	struct buf out;
	buf_init(&out, BUF_LIMIT_NONE);
	struct pb_err err = PB_ERR_INIT;
	if (template_expand(&out, ui_get(ui, key), key, vars, n_vars, &err)) {
		fprintf(stderr, "paperboy: BUG: UI string '%s' in %s: %s\n", key, ui->name, err.msg);
		abort();
	}
	return buf_detach(&out);
}

static int compare_keys(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

const char **ui_keys(const struct ui_strings *ui, size_t *n)
{
	*n = g_hash_table_size(ui->strings);
	const char **keys = xcalloc(*n + 1, sizeof(*keys));
	GHashTableIter it;
	gpointer k;
	size_t i = 0;
	g_hash_table_iter_init(&it, ui->strings);
	while (g_hash_table_iter_next(&it, &k, NULL))
		keys[i++] = k;
	qsort(keys, *n, sizeof(*keys), compare_keys);
	return keys;
}

const struct language *ui_language(const struct ui_strings *ui)
{
	return ui->lang;
}
