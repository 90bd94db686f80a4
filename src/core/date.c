/* date.c - strict date parsing and civil-day arithmetic. */
#include "core/common.h"

#include "core/date.h"

#include <stdio.h>
#include <string.h>

static bool is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

static int parse_fixed_digits(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int date_parse(const char *text, struct pb_date *out, struct pb_err *err)
{
	/* Exact shape first: "2025-1-5", "../x" and friends never reach a URL or a path. */
	if (!text || strlen(text) != PB_DATE_LEN || text[4] != '-' || text[7] != '-')
		goto bad;
	int y = parse_fixed_digits(text, 4), m = parse_fixed_digits(text + 5, 2),
	    d = parse_fixed_digits(text + 8, 2);
	if (y < 0 || m < 0 || d < 0)
		goto bad;
	if (y < 2000 || y > 2999) {
		pb_err_set(err, PB_ERR_USAGE, "invalid date '%s': the year must be 2000 to 2999", text);
		pb_err_hint(err, "give a day as YYYY-MM-DD, e.g. --date 2025-12-26");
		return PB_ERR_USAGE;
	}
	if (m < 1 || m > 12 || d < 1) {
		pb_err_set(err, PB_ERR_USAGE, "invalid date '%s': %s", text,
			   m < 1 || m > 12 ? "the month must be 01 to 12" : "the day must be 01 or more");
		pb_err_hint(err, "give a real calendar day as YYYY-MM-DD, e.g. --date 2025-12-26");
		return PB_ERR_USAGE;
	}
	if (d > days_in_month(y, m)) {
		pb_err_set(err, PB_ERR_USAGE, "invalid date '%s': %04d-%02d has only %d days", text,
			   y, m, days_in_month(y, m));
		pb_err_hint(err, "give a real calendar day as YYYY-MM-DD, e.g. --date 2025-12-26");
		return PB_ERR_USAGE;
	}
	out->year = y;
	out->month = m;
	out->day = d;
	return 0;
bad:
	pb_err_set(err, PB_ERR_USAGE, "invalid date '%s': expected YYYY-MM-DD", text ? text : "");
	pb_err_hint(err, "give a real calendar day as YYYY-MM-DD, e.g. --date 2025-12-26");
	return PB_ERR_USAGE;
}

bool date_is_valid_string(const char *text)
{
	struct pb_date d;
	return date_parse(text, &d, NULL) == 0;
}

void date_format(const struct pb_date *d, char out[PB_DATE_LEN + 1])
{
	unsigned y = (unsigned)d->year % 10000u, m = (unsigned)d->month % 100u, day = (unsigned)d->day % 100u;
	char tmp[32];
	snprintf(tmp, sizeof(tmp), "%04u-%02u-%02u", y, m, day);
	memcpy(out, tmp, PB_DATE_LEN);
	out[PB_DATE_LEN] = '\0';
}

/* Howard Hinnant's days_from_civil / civil_from_days: exact, no libc time zone. */
long date_to_days(const struct pb_date *d)
{
	int y = d->year - (d->month <= 2);
	long era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned mp = (unsigned)(d->month + (d->month > 2 ? -3 : 9));
	unsigned doy = (153 * mp + 2) / 5 + (unsigned)d->day - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long)doe - 719468;
}

static void date_from_days(long z, struct pb_date *out)
{
	z += 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long y = (long)yoe + era * 400;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	unsigned d = doy - (153 * mp + 2) / 5 + 1;
	unsigned m = mp < 10 ? mp + 3 : mp - 9;
	out->year = (int)(y + (m <= 2));
	out->month = (int)m;
	out->day = (int)d;
}

void date_add_days(const struct pb_date *d, int days, struct pb_date *out)
{
	date_from_days(date_to_days(d) + days, out);
}

void date_today(time_t now, struct pb_date *out)
{
	long long local = (long long)now + PB_TIMEZONE_OFFSET_SECONDS;
	long long days = local / 86400 - (local % 86400 < 0);
	date_from_days((long)days, out);
}

void timestamp_utc(time_t t, char out[21])
{
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}
