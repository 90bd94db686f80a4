/* log.c - format a log line and hand it to the installed sink. */
#include "core/common.h"

#include "core/log.h"

#include <stdio.h>

void pb_log_write(const struct pb_log *log, enum pb_log_level level, const char *fmt, ...)
{
	char line[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	log->sink(log->userdata, level, line);
}
