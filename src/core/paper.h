/*
 * paper.h - the data model shared by every stage: one paper of a day, as
 * the archive keeps it, with its best translation if one exists.
 *
 * All strings are owned by the struct (UTF-8, whitespace-normalised where
 * the field is prose); optional ones are NULL when absent. paper_release
 * frees them; paper_list_free frees a list and its papers.
 */
#ifndef PB_PAPER_H
#define PB_PAPER_H

#include "core/common.h"

struct paper {
	char *id;                   /* arXiv id, "2512.21218" */
	char *title;                /* whitespace-normalised */
	char *abstract;             /* whitespace-normalised */
	char *authors;              /* JSON array of names */
	char *published_at;
	char *submitted_on_daily_at; /* optional */
	long upvotes;
	long num_comments;
	char *github_repo;          /* optional */
	long github_stars;
	char *project_page;         /* optional */
	char *ai_summary;           /* optional */
	char *ai_keywords;          /* optional JSON array */
	char *organization;         /* optional display name */

	/*
	 * Filled by archive_load_day when a translation matches this abstract:
	 * its row, and its text in the language asked for (NULL while the
	 * translation has no variant in that language yet).
	 */
	long long translation_id; /* 0: none */
	char *title_zh;
	char *abstract_zh;
	char *summary_zh;
};

struct paper_list {
	struct paper *items;
	size_t n, cap;
};

/* How many papers a day had, for trend charts. */
struct day_count {
	char date[11]; /* YYYY-MM-DD */
	long count;
	bool known;    /* fetched (with papers, or found empty); false: never fetched */
};

void paper_release(struct paper *p);
/* Append a zeroed paper and return it. */
struct paper *paper_list_push(struct paper_list *list);
/* Index of the paper with this id, or -1. */
long paper_list_find(const struct paper_list *list, const char *id);
void paper_list_release(struct paper_list *list);

#endif
