/*
 * edition.h - one edition: a day in one language. Every per-edition stage
 * (translate, pictures, edition) takes one, and every artefact it writes is
 * named from it through layout.h.
 */
#ifndef PB_EDITION_H
#define PB_EDITION_H

struct language;
struct ui_strings;

struct day_edition {
	const char *date;              /* YYYY-MM-DD */
	const char *lang;              /* "zh-CN", "zh-TW": the archive's and the layout's key */
	const struct language *language;
	const struct ui_strings *ui;   /* the language's UI strings */
};

#endif
