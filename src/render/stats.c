/* stats.c - stats/D_stats.json. */
#include "core/common.h"

#include "render/stats.h"
#include "core/fsutil.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

int stats_write_json(const struct day_stats *s, const char *path, struct pb_err *err)
{
	json_t *areas = json_array();
	for (size_t i = 0; i < s->day->n_areas; i++)
		json_array_append_new(areas, json_pack("{s:s, s:I}", "name",
						       insights_area_name(s->insights, s->day->areas[i].area),
						       "papers", (json_int_t)s->day->areas[i].papers));
	json_t *keywords = json_array();
	for (size_t i = 0; i < s->day->keywords.n && i < s->top_keywords; i++)
		json_array_append_new(keywords, json_pack("{s:s, s:I}", "word", s->day->keywords.items[i].word,
							  "count", (json_int_t)s->day->keywords.items[i].count));
	json_t *window = json_array();
	for (size_t i = 0; i < s->window_days; i++)
		json_array_append_new(window, json_pack("{s:s, s:o}", "date", s->window[i].date, "papers",
							s->window[i].known ? json_integer(s->window[i].count)
									   : json_null()));
	json_t *root = json_pack("{s:s, s:I, s:o, s:o, s:o}", "date", s->date, "papers",
				 (json_int_t)s->papers, "areas", areas, "keywords", keywords,
				 "daily_counts", window);
	char *text = json_dumps(root, JSON_INDENT(2));
	json_decref(root);
	char *with_newline = xasprintf("%s\n", text);
	free(text);
	int rc = fs_write_atomic(path, with_newline, strlen(with_newline), err);
	free(with_newline);
	return rc;
}
