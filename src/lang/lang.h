/*
 * lang.h - the languages an edition can be in, the conversion of the
 * Simplified Chinese translation into each (OpenCC), and the UI strings of
 * each language (data/lang/<code>.ini).
 *
 * zh-CN is the language the LLM writes; zh-TW is derived from it with
 * OpenCC's s2twp profile (Taiwan characters and phrasing: 软件→軟體,
 * 信息→資訊), never with another LLM call.
 *
 *     const struct language *l = lang_find("zh-TW");
 *     struct lang_converter *cv;
 *     lang_converter_new(l, &cv, &err);
 *     char *t = lang_convert(cv, "软件信息");        "軟體資訊"; caller frees
 *     lang_converter_free(cv);
 *
 *     struct ui_strings *ui;
 *     ui_strings_load(l, &ui, &err);
 *     ui_get(ui, "chart.title");                     the string for that key
 *     char *s = ui_format(ui, "poster.more", (struct tmpl_var[]){{"count", "3"}}, 1);
 *     ui_strings_free(ui);
 *
 * Glossary overrides: data/glossary.tsv may give a term a third, zh-TW
 * column where s2twp's rendering of the zh-CN column is wrong or not the
 * Taiwan usage (鲁棒性: s2twp says 魯棒性, Taiwan says 穩健性). The converter
 * replaces s2twp's rendering of the zh-CN term by that column after OpenCC.
 * A row with an empty English column is a conversion-only override: the
 * translate prompt skips it, so adding one never changes the prompt version.
 *
 * The .ini files: "[section]" then "key = value"; the key is
 * "section.key". Values are trimmed; quote a value ("…") to keep its outer
 * spaces. {{name}} placeholders are filled by ui_format. inih reads at most
 * 199 bytes a line (tests/unit/test_lang.c checks the shipped files).
 */
#ifndef PB_LANG_H
#define PB_LANG_H

#include "core/err.h"
#include "core/template.h"

struct language {
	const char *code;          /* "zh-CN", "zh-TW": file names, the archive, --lang */
	const char *name;          /* "简体中文", "繁體中文" */
	const char *html_lang;     /* <html lang="…"> */
	const char *feed_lang;     /* RSS <language>: "zh-cn", "zh-tw" */
	const char *opencc_config; /* NULL: the LLM's own text; else an OpenCC profile ("s2twp.json") */
};

/* The language with this code (case-insensitive), or NULL. */
const struct language *lang_find(const char *code);
/* zh-CN. */
const struct language *lang_default(void);
/* "zh-CN, zh-TW": for messages. */
const char *lang_codes(void);

struct lang_converter;

/*
 * A converter for l (for zh-CN, the identity), with the overrides of the
 * shipped glossary. PB_ERR with a hint (the Debian package) when OpenCC's
 * profile or dictionaries cannot be opened.
 */
int lang_converter_new(const struct language *l, struct lang_converter **out, struct pb_err *err);
/* The same with the overrides of another glossary (the text of a --glossary file; name for errors). */
int lang_converter_new_glossary(const struct language *l, const char *glossary, const char *name,
				struct lang_converter **out, struct pb_err *err);
void lang_converter_free(struct lang_converter *cv);
/* text in l's script; NULL in, NULL out. Caller frees. */
char *lang_convert(struct lang_converter *cv, const char *text);

struct ui_strings;

/* The UI strings of l from the embedded data/lang/<code>.ini. */
int ui_strings_load(const struct language *l, struct ui_strings **out, struct pb_err *err);
/* The same from INI text (tests; name for errors). */
int ui_strings_parse(const struct language *l, const char *text, const char *name,
		     struct ui_strings **out, struct pb_err *err);
void ui_strings_free(struct ui_strings *ui);
/* The string for key; a key missing from the file is a bug (aborts with its name). */
const char *ui_get(const struct ui_strings *ui, const char *key);
/* The string for key, or NULL when the file has no such key. */
const char *ui_find(const struct ui_strings *ui, const char *key);
/* ui_get(key) with its {{name}} placeholders filled (values verbatim); caller frees.
 * A placeholder without a value is a bug, like a missing key. */
char *ui_format(const struct ui_strings *ui, const char *key, const struct tmpl_var *vars,
		size_t n_vars);
/* The keys, sorted (for tests that compare languages); caller frees the array, not the keys. */
const char **ui_keys(const struct ui_strings *ui, size_t *n);
const struct language *ui_language(const struct ui_strings *ui);

/*
 * One edition: a day in one language. Every per-edition stage (translate,
 * pictures, edition) takes one, and every artefact it writes is named from
 * it through layout.h.
 */
struct day_edition {
	const char *date;              /* YYYY-MM-DD */
	const char *lang;              /* "zh-CN", "zh-TW": the archive's and the layout's key */
	const struct language *language;
	const struct ui_strings *ui;   /* the language's UI strings */
};

#endif
