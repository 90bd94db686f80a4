/*
 * convert.h - the translate stage of an edition in another language: the
 * day's zh-CN translations converted with OpenCC (lang.h) and stored as
 * that language's variants, never with another LLM call. A paper without a
 * zh-CN translation stays without one (it appears in English).
 */
#ifndef PB_CONVERT_H
#define PB_CONVERT_H

#include "archive/archive.h"
#include "core/err.h"
#include "core/run.h"
#include "lang/lang.h"

/* glossary_path: the --glossary file whose zh-TW column corrects the conversion (NULL: the shipped one). */
int convert_day(struct archive *a, const struct day_edition *ed, const char *glossary_path,
		const struct pb_run *run, size_t *converted, struct pb_err *err);

#endif
