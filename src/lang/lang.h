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
 *     ui_get(ui, "poster.more");                     the string for that key
 *     ui_strings_free(ui);
 */
#ifndef PB_LANG_H
#define PB_LANG_H

#include "core/err.h"

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

/* A converter for l (for zh-CN, the identity). PB_ERR with a hint when OpenCC's data is missing. */
int lang_converter_new(const struct language *l, struct lang_converter **out, struct pb_err *err);
void lang_converter_free(struct lang_converter *cv);
/* text in l's script; NULL in, NULL out. Caller frees. */
char *lang_convert(struct lang_converter *cv, const char *text);

struct ui_strings;

/* The UI strings of l from the embedded data/lang/<code>.ini. */
int ui_strings_load(const struct language *l, struct ui_strings **out, struct pb_err *err);
void ui_strings_free(struct ui_strings *ui);
/* The string for key; a key missing from the file is a bug (aborts with its name). */
const char *ui_get(const struct ui_strings *ui, const char *key);
const struct language *ui_language(const struct ui_strings *ui);

#endif
