/* data.c - lookup in the embedded data table. */
#include "core/common.h"

#include "core/data.h"

#include <string.h>

const char *data_get(const char *path, size_t *size)
{
	for (const struct embedded_file *f = embedded_files; f->path; f++) {
		if (!strcmp(f->path, path)) {
			if (size)
				*size = f->size;
			return (const char *)f->data;
		}
	}
	return NULL;
}
