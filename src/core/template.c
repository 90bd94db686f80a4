/* template.c - "{{name}}" substitution. */
#include "core/common.h"

#include "core/template.h"

#include <string.h>

int template_expand(struct buf *out, const char *tmpl, const char *tmpl_name,
		    const struct tmpl_var *vars, size_t n_vars, struct pb_err *err)
{
	const char *p = tmpl;
	for (;;) {
		const char *open = strstr(p, "{{");
		if (!open) {
			sb_adds(out, p);
			return 0;
		}
		sb_add(out, p, (size_t)(open - p));
		const char *close = strstr(open + 2, "}}");
		if (!close)
			return pb_err_set(err, PB_ERR_PARSE, "template '%s': unclosed '{{'", tmpl_name);
		size_t len = (size_t)(close - open - 2);
		const struct tmpl_var *var = NULL;
		for (size_t i = 0; i < n_vars && !var; i++)
			if (strlen(vars[i].name) == len && !strncmp(vars[i].name, open + 2, len))
				var = &vars[i];
		if (!var)
			return pb_err_set(err, PB_ERR_PARSE, "template '%s': unknown placeholder '{{%.*s}}'",
					  tmpl_name, (int)len, open + 2);
		sb_adds(out, var->value);
		p = close + 2;
	}
}
