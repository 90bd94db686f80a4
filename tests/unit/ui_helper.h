/* ui_helper.h - the UI strings of a language for the render and speak unit tests. */
#ifndef PB_TEST_UI_HELPER_H
#define PB_TEST_UI_HELPER_H

#include "lang/lang.h"

#include <stdio.h>

/* Loaded once per test program; NULL (said on stderr) when the language cannot be loaded. */
static inline struct ui_strings *ui_of(const char *code)
{
	struct ui_strings *u = NULL;
	struct pb_err e = PB_ERR_INIT;
	if (ui_strings_load(lang_find(code), &u, &e))
		fprintf(stderr, "%s: %s\n", code, e.msg);
	return u;
}

#endif
