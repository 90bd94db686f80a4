/*
 * log.h - leveled logging through a sink the caller installs.
 *
 * The library never writes to stdout/stderr itself: it logs through a
 * `struct pb_log` that the CLI points at stderr (or that tests capture).
 * The level is checked before formatting. A NULL logger is silent.
 */
#ifndef PB_LOG_H
#define PB_LOG_H

#include "core/common.h"

enum pb_log_level { PB_LOG_ERROR = 0, PB_LOG_WARN = 1, PB_LOG_INFO = 2, PB_LOG_DEBUG = 3 };

typedef void pb_log_sink(void *userdata, enum pb_log_level level, const char *line);

struct pb_log {
	enum pb_log_level level;
	pb_log_sink *sink;
	void *userdata;
};

void pb_log_write(const struct pb_log *log, enum pb_log_level level, const char *fmt, ...)
	PB_PRINTF(3, 4);

#define PB_LOG_AT(log, lvl, ...)                                                 \
	do {                                                                     \
		if ((log) && (log)->sink && (log)->level >= (lvl))               \
			pb_log_write((log), (lvl), __VA_ARGS__);                 \
	} while (0)
#define pb_error(log, ...) PB_LOG_AT(log, PB_LOG_ERROR, __VA_ARGS__)
#define pb_warn(log, ...) PB_LOG_AT(log, PB_LOG_WARN, __VA_ARGS__)
#define pb_info(log, ...) PB_LOG_AT(log, PB_LOG_INFO, __VA_ARGS__)
#define pb_debug(log, ...) PB_LOG_AT(log, PB_LOG_DEBUG, __VA_ARGS__)

#endif
