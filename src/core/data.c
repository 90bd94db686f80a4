/* data.c - lookup in the embedded data table. */
#include "core/common.h"

#include "core/data.h"

#include <stdlib.h>
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

/* Call fn for every non-empty, non-comment line of an embedded data file. */
int data_each_line(const char *path, int (*fn)(void *, char *, int), void *ud, struct pb_err *err)
{
	const char *text = data_get(path, NULL);
	if (!text)
		return pb_err_set(err, PB_ERR, "data file '%s' is missing from this build", path);
	int line_no = 0;
	while (*text) {
		const char *end = strchr(text, '\n');
		size_t len = end ? (size_t)(end - text) : strlen(text);
		char *line = xstrndup(text, len);
		text += len + (end ? 1 : 0);
		line_no++;
		int rc = 0;
		if (line[0] && line[0] != '#')
			rc = fn(ud, line, line_no);
		free(line);
		if (rc)
			return pb_err_set(err, PB_ERR_PARSE, "data file '%s' line %d is malformed", path, line_no);
	}
	return 0;
}
