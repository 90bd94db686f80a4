/*
 * err.h - errors as values.
 *
 * Library functions return 0 on success or a negative pb_status, and fill a
 * caller-owned `struct pb_err` with one line saying what failed, on which
 * input, and (in `hint`) what to do. The first failure wins: later calls to
 * pb_err_set on an already-set error are ignored, so the root cause survives
 * as the error travels up (like curl's CURLOPT_ERRORBUFFER).
 *
 * Messages never contain secrets: callers pass where a secret came from
 * (e.g. "PAPERBOY_LLM_KEY"), never its value.
 */
#ifndef PB_ERR_H
#define PB_ERR_H

#include "core/common.h"

enum pb_status {
	PB_OK = 0,
	PB_ERR = -1,          /* generic failure */
	PB_ERR_USAGE = -2,    /* bad argument or option value */
	PB_ERR_IO = -3,       /* file system */
	PB_ERR_NET = -4,      /* connection, timeout, HTTP status */
	PB_ERR_PARSE = -5,    /* malformed input (JSON, INI, translation) */
	PB_ERR_DB = -6,       /* SQLite */
	PB_ERR_NO_PAPERS = -7, /* the date has no papers (not a failure of ours) */
	PB_ERR_STOPPED = -8    /* a stop was asked for (SIGINT/SIGTERM): not a failure */
};

struct pb_err {
	enum pb_status status;
	char msg[1024];
	char hint[512];
};

#define PB_ERR_INIT {PB_OK, "", ""}

/* Set the error if not already set; returns status so `return pb_err_set(...)` reads well. */
int pb_err_set(struct pb_err *err, enum pb_status status, const char *fmt, ...) PB_PRINTF(3, 4);
/* Add or replace the "what to do" hint of an error that is set. */
void pb_err_hint(struct pb_err *err, const char *fmt, ...) PB_PRINTF(2, 3);
bool pb_err_is_set(const struct pb_err *err);
void pb_err_clear(struct pb_err *err);

#endif
