/* Unit tests for core/buf: growth, limits, detach. */
#include "core/common.h"

#include "core/buf.h"
#include "harness.h"

#include <stdlib.h>

int main(void)
{
	struct buf b;
	buf_init(&b, BUF_LIMIT_NONE);
	CHECK_STR(b.data, "");
	CHECK_INT(b.len, 0);
	for (int i = 0; i < 1000; i++)
		sb_addf(&b, "%d,", i);
	CHECK_INT(b.len, 3890);
	CHECK(b.data[b.len] == '\0');
	CHECK(!strncmp(b.data, "0,1,2,", 6));
	char *s = buf_detach(&b);
	CHECK_INT(b.len, 0);
	CHECK_STR(b.data, "");
	CHECK_INT(strlen(s), 3890);
	free(s);

	/* A limited buffer refuses to grow past its limit and stays as it was. */
	struct buf lim;
	buf_init(&lim, 8);
	CHECK_INT(buf_adds(&lim, "12345678"), 0);
	CHECK_INT(buf_addc(&lim, '9'), -1);
	CHECK_STR(lim.data, "12345678");
	CHECK_INT(buf_addf(&lim, "%s", "x"), -1);
	CHECK_INT(lim.len, 8);
	buf_reset(&lim);
	CHECK_STR(lim.data, "");
	buf_release(&lim);

	/* Detaching an empty buffer still gives a string the caller can free. */
	struct buf empty;
	buf_init(&empty, BUF_LIMIT_NONE);
	char *e = buf_detach(&empty);
	CHECK_STR(e, "");
	free(e);
	return test_report("test_buf");
}
