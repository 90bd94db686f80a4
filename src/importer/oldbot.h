/*
 * oldbot.h - import an old hf-daily-paper-newsletter-chinese repository.
 *
 * Owns: the old bot's on-disk formats.
 *   Paper_metadata_download/D.json              the API's response for D
 *   HF-day-paper-deepseek/D_HF_deepseek_clean.json
 *       a list of {title, summary, translation "标题：…\n\n摘要：…", url}
 *       (early files: {paper: {id, summary, …}, translation})
 * Days go through hf_parse_page and archive_store_day exactly as fetched
 * days do; translations are stored under model OLDBOT_MODEL. A malformed
 * file is reported by name and skipped; the rest imports. Importing twice
 * changes nothing. The *_buffer functions are pure parsers plus archive
 * writes, used by `paperboy demo` on its bundled day.
 */
#ifndef PB_OLDBOT_H
#define PB_OLDBOT_H

#include "archive/archive.h"
#include "core/err.h"
#include "core/log.h"

#define OLDBOT_MODEL "oldbot-import"
#define OLDBOT_PROMPT_VERSION "oldbot-v1"

struct import_report {
	size_t days;               /* day files imported */
	size_t days_changed;       /* ... that changed the archive */
	size_t papers_new;         /* papers new to their day's list */
	size_t translations;       /* translation entries read */
	size_t translations_new;   /* ... newly stored */
	size_t translations_orphan; /* ... for papers the archive does not hold */
	size_t files_skipped;      /* malformed files, reported and skipped */
};

/* PB_ERR_USAGE unless dir exists and holds an old bot's folders (checked before any archive). */
int oldbot_check_dir(const char *dir, struct pb_err *err);

/* Import every file of an old bot's repository at dir. */
int oldbot_import_dir(struct archive *a, const char *dir, struct import_report *rep,
		      const struct pb_log *log, struct pb_err *err);

/* One Paper_metadata_download file's contents, for date; name is used in messages. */
int oldbot_import_day_buffer(struct archive *a, const char *date, const char *body, size_t len,
			     const char *name, struct import_report *rep, const struct pb_log *log,
			     struct pb_err *err);

/* One *_HF_deepseek_clean.json file's contents. */
int oldbot_import_translations_buffer(struct archive *a, const char *body, size_t len,
				      const char *name, struct import_report *rep,
				      const struct pb_log *log, struct pb_err *err);

#endif
