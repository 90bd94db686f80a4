/* month.c - import the demo's month: fetched days, and fetched days that were empty. */
#include "core/common.h"

#include "demo/month.h"
#include "core/date.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* Record that a fetch of date found no papers, unless one already said so. */
static int record_empty(struct archive *a, const char *date, struct pb_err *err)
{
	char status[16];
	bool found;
	int rc = archive_last_run(a, "fetch", date, NULL, status, &found, err);
	if (rc || (found && !strcmp(status, "no-papers")))
		return rc;
	long long run;
	rc = archive_run_begin(a, "fetch", date, NULL, &run, err);
	if (!rc)
		rc = archive_run_finish(a, run, "no-papers", "demo: the API listed no papers", err);
	return rc;
}

int demo_import_month(struct archive *a, const char *json, size_t len, const char *name,
		      struct import_report *rep, const struct pb_log *log, struct pb_err *err)
{
	json_error_t jerr;
	json_t *root = json_loadb(json, len, 0, &jerr);
	json_t *days = json_object_get(root, "days"), *empty = json_object_get(root, "fetched_empty");
	if (!json_is_object(days) || !json_is_array(empty)) {
		json_decref(root);
		return pb_err_set(err, PB_ERR_PARSE, "'%s' is not the demo's month (line %d: %s)", name,
				  jerr.line, root ? "no days or fetched_empty" : jerr.text);
	}
	int rc = 0;
	const char *date;
	json_t *list;
	json_object_foreach(days, date, list) {
		struct pb_date d;
		if (date_parse(date, &d, err)) {
			rc = PB_ERR_PARSE;
			break;
		}
		char *body = json_dumps(list, JSON_COMPACT);
		char *what = xasprintf("%s/%s.json", name, date);
		rc = body ? oldbot_import_day_buffer(a, date, body, strlen(body), what, rep, log, err)
			  : pb_err_set(err, PB_ERR_PARSE, "'%s': cannot serialise %s", name, date);
		free(what);
		free(body);
		if (rc)
			break;
	}
	for (size_t i = 0; !rc && i < json_array_size(empty); i++) {
		const char *day = json_string_value(json_array_get(empty, i));
		struct pb_date d;
		rc = day && !date_parse(day, &d, err) ? record_empty(a, day, err)
		     : pb_err_set(err, PB_ERR_PARSE, "'%s': fetched_empty[%zu] is not a date", name, i);
	}
	json_decref(root);
	return rc;
}
