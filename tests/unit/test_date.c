/* Unit tests for core/date: strict parsing, Asia/Shanghai day, arithmetic. */
#include "core/common.h"

#include "core/date.h"
#include "harness.h"

static void check_bad(const char *text, const char *expect_in_msg)
{
	struct pb_date d;
	struct pb_err err = PB_ERR_INIT;
	CHECK_INT(date_parse(text, &d, &err), PB_ERR_USAGE);
	CHECK_CONTAINS(err.msg, expect_in_msg);
	CHECK(err.hint[0] != '\0');
}

int main(void)
{
	struct pb_date d;
	struct pb_err err = PB_ERR_INIT;
	char s[PB_DATE_LEN + 1];
	CHECK_INT(date_parse("2025-12-26", &d, &err), 0);
	date_format(&d, s);
	CHECK_STR(s, "2025-12-26");
	CHECK_INT(date_parse("2024-02-29", &d, &err), 0);

	check_bad("2025-02-30", "has only 28 days");
	check_bad("2023-02-29", "has only 28 days");
	check_bad("2025-04-31", "has only 30 days");
	check_bad("../x", "expected YYYY-MM-DD");
	check_bad("2025-1-5", "expected YYYY-MM-DD");
	check_bad("2025-13-01", "the month must be 01 to 12");
	check_bad("2025-12-26x", "expected YYYY-MM-DD");
	check_bad("2025-12-2;", "expected YYYY-MM-DD");
	check_bad("", "expected YYYY-MM-DD");
	check_bad("1999-01-01", "the year must be 2000 to 2999");

	/* 2025-12-25T16:00:00Z is already 2025-12-26 00:00 in Shanghai; one second earlier is not. */
	date_today((time_t)1766678400, &d);
	date_format(&d, s);
	CHECK_STR(s, "2025-12-26");
	date_today((time_t)1766678399, &d);
	date_format(&d, s);
	CHECK_STR(s, "2025-12-25");

	struct pb_date base = {2025, 3, 1}, out;
	date_add_days(&base, -1, &out);
	date_format(&out, s);
	CHECK_STR(s, "2025-02-28");
	date_add_days(&base, 365, &out);
	date_format(&out, s);
	CHECK_STR(s, "2026-03-01");
	struct pb_date epoch = {1970, 1, 1};
	CHECK_INT(date_to_days(&epoch), 0);

	char ts[21];
	timestamp_utc((time_t)1766678400, ts);
	CHECK_STR(ts, "2025-12-25T16:00:00Z");
	return test_report("test_date");
}
