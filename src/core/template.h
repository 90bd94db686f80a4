/*
 * template.h - "{{name}}" substitution for the templates under data/.
 *
 * Values are inserted verbatim: the caller escapes each for its context
 * (md_escape_text, html_escape) before passing it. A placeholder with no
 * value is an error naming it, so a template typo cannot ship an edition
 * with "{{titel}}" in it.
 */
#ifndef PB_TEMPLATE_H
#define PB_TEMPLATE_H

#include "core/buf.h"
#include "core/err.h"

struct tmpl_var {
	const char *name;
	const char *value;
};

int template_expand(struct buf *out, const char *tmpl, const char *tmpl_name,
		    const struct tmpl_var *vars, size_t n_vars, struct pb_err *err);

#endif
