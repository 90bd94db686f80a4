/* Unit tests for core/template. */
#include "core/common.h"

#include "core/template.h"
#include "harness.h"

int main(void)
{
	struct buf out;
	buf_init(&out, BUF_LIMIT_NONE);
	struct pb_err err = PB_ERR_INIT;
	const struct tmpl_var vars[] = {{"a", "1"}, {"bb", "{{a}}"}};
	CHECK_INT(template_expand(&out, "x{{a}}y{{bb}}z", "t", vars, 2, &err), 0);
	/* Values are inserted verbatim and never re-expanded. */
	CHECK_STR(out.data, "x1y{{a}}z");
	buf_reset(&out);
	CHECK_INT(template_expand(&out, "{{titel}}", "t.md", vars, 2, &err), PB_ERR_PARSE);
	CHECK_CONTAINS(err.msg, "unknown placeholder '{{titel}}'");
	CHECK_CONTAINS(err.msg, "t.md");
	pb_err_clear(&err);
	buf_reset(&out);
	CHECK_INT(template_expand(&out, "a {{b", "t", vars, 2, &err), PB_ERR_PARSE);
	CHECK_CONTAINS(err.msg, "unclosed");
	buf_release(&out);
	return test_report("test_template");
}
