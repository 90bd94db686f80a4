/* err.c - first-failure-wins error values. */
#include "core/common.h"

#include "core/err.h"

#include <stdio.h>

int pb_err_set(struct pb_err *err, enum pb_status status, const char *fmt, ...)
{
	if (!err || err->status != PB_OK)
		return status;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	err->status = status;
	return status;
}

void pb_err_hint(struct pb_err *err, const char *fmt, ...)
{
	if (!err || err->status == PB_OK)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->hint, sizeof(err->hint), fmt, ap);
	va_end(ap);
}

bool pb_err_is_set(const struct pb_err *err)
{
	return err->status != PB_OK;
}

void pb_err_clear(struct pb_err *err)
{
	err->status = PB_OK;
	err->msg[0] = '\0';
	err->hint[0] = '\0';
}
