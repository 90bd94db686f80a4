/*
 * data.h - the data files compiled into the binary (templates, CSS, the
 * default config, the demo day). Their sources live under data/ and are
 * embedded by cmake/EmbedData.cmake; look them up by that relative path.
 */
#ifndef PB_DATA_H
#define PB_DATA_H

#include <stddef.h>

struct embedded_file {
	const char *path;
	const unsigned char *data;
	size_t size;
};

extern const struct embedded_file embedded_files[];

/* The file's bytes (NUL-terminated) and size, or NULL if no such file was embedded. */
const char *data_get(const char *path, size_t *size);

#endif
