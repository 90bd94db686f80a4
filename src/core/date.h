/*
 * date.h - calendar dates as "YYYY-MM-DD" strings.
 *
 * The newsletter's day is the calendar day in Asia/Shanghai, as the bot we
 * replace used (pytz 'Asia/Shanghai'). China has kept UTC+8 without daylight
 * saving since 1991, so a fixed offset is exact for every date we handle and
 * needs no process-wide TZ switching.
 */
#ifndef PB_DATE_H
#define PB_DATE_H

#include "core/common.h"
#include "core/err.h"

#include <time.h>

#define PB_DATE_LEN 10 /* "YYYY-MM-DD" */
#define PB_TIMEZONE_NAME "Asia/Shanghai"
#define PB_TIMEZONE_OFFSET_SECONDS (8 * 3600)

struct pb_date {
	int year, month, day;
};

/* Parse strictly "YYYY-MM-DD" (zero-padded, a real calendar day, year 2000..2999). */
int date_parse(const char *text, struct pb_date *out, struct pb_err *err);
bool date_is_valid_string(const char *text);
void date_format(const struct pb_date *d, char out[PB_DATE_LEN + 1]);
/* The calendar day in Asia/Shanghai at instant `now`. */
void date_today(time_t now, struct pb_date *out);
/* d + days (days may be negative). */
void date_add_days(const struct pb_date *d, int days, struct pb_date *out);
/* Days since 1970-01-01 (for ranges and comparisons). */
long date_to_days(const struct pb_date *d);
/* UTC time as "YYYY-MM-DDTHH:MM:SSZ". */
void timestamp_utc(time_t t, char out[21]);

#endif
