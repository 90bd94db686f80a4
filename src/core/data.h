/*
 * data.h - the data files compiled into the binary (templates, CSS, the
 * default config, the demo day). Their sources live under data/ and are
 * embedded by cmake/EmbedData.cmake; look them up by that relative path.
 */
#ifndef PB_DATA_H
#define PB_DATA_H

#include "core/err.h"

#include <stddef.h>

struct embedded_file {
	const char *path;
	const unsigned char *data;
	size_t size;
};

extern const struct embedded_file embedded_files[];

/* The file's bytes (NUL-terminated) and size, or NULL if no such file was embedded. */
const char *data_get(const char *path, size_t *size);

/*
 * Call fn(ud, line, line_no) for every non-empty line of an embedded data file
 * that is not a comment ('#'); the line is a copy fn may change. A non-zero
 * answer stops with PB_ERR_PARSE naming the file and the line.
 */
int data_each_line(const char *path, int (*fn)(void *, char *, int), void *ud, struct pb_err *err);

#endif
