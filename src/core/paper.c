/* paper.c - life cycle of the shared paper model. */
#include "core/common.h"

#include "core/paper.h"

#include <stdlib.h>
#include <string.h>

void paper_release(struct paper *p)
{
	char **fields[] = {&p->id,          &p->title,        &p->abstract,
			   &p->authors,     &p->published_at, &p->submitted_on_daily_at,
			   &p->github_repo, &p->project_page, &p->ai_summary,
			   &p->ai_keywords, &p->organization, &p->title_zh,
			   &p->abstract_zh, &p->summary_zh};
	for (size_t i = 0; i < PB_ARRAY_LEN(fields); i++)
		free(*fields[i]);
	memset(p, 0, sizeof(*p));
}

struct paper *paper_list_push(struct paper_list *list)
{
	GROW(list->items, list->cap, list->n + 1);
	struct paper *p = &list->items[list->n++];
	memset(p, 0, sizeof(*p));
	return p;
}

long paper_list_find(const struct paper_list *list, const char *id)
{
	for (size_t i = 0; i < list->n; i++)
		if (!strcmp(list->items[i].id, id))
			return (long)i;
	return -1;
}

void paper_list_release(struct paper_list *list)
{
	for (size_t i = 0; i < list->n; i++)
		paper_release(&list->items[i]);
	free(list->items);
	memset(list, 0, sizeof(*list));
}
