/* oldbot.c - read an old bot's repository into the archive. */
#include "core/common.h"

#include "importer/oldbot.h"
#include "core/buf.h"
#include "core/date.h"
#include "core/fsutil.h"
#include "core/text.h"
#include "fetch/hf.h"
#include "translate/answer.h"

#include <dirent.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define METADATA_DIR "Paper_metadata_download"
#define TRANSLATION_DIR "HF-day-paper-deepseek"
#define TRANSLATION_SUFFIX "_HF_deepseek_clean.json"

int oldbot_import_day_buffer(struct archive *a, const char *date, const char *body, size_t len,
			     const char *name, struct import_report *rep, const struct pb_log *log,
			     struct pb_err *err)
{
	struct paper_list papers = {0};
	struct hf_skips skips = {0};
	size_t n_entries = 0;
	int rc = hf_parse_page(body, len, name, &papers, &skips, &n_entries, err);
	for (size_t i = 0; !rc && i < skips.n; i++)
		pb_warn(log, "%s: skipped paper %s: %s", name, skips.items[i].id, skips.items[i].reasons);
	for (size_t i = 0; !rc && i < skips.n_cuts; i++)
		pb_warn(log, "%s: paper %s: %s", name, skips.cuts[i].id, skips.cuts[i].reasons);
	if (!rc && papers.n) {
		char *source = xasprintf("import:%s", name);
		struct raw_page raw = {(char *)name, 0, 200, (char *)body, len};
		struct day_merge merge;
		rc = archive_store_day(a, date, &papers, &raw, 1, source, &merge, err);
		free(source);
		if (!rc) {
			rep->days++;
			rep->papers_new += merge.n_new;
			if (merge.changed)
				rep->days_changed++;
		}
	}
	paper_list_release(&papers);
	hf_skips_release(&skips);
	return rc;
}

/* "https://huggingface.co/papers/2501.12909" -> "2501.12909" (NULL if not that shape). */
static const char *id_from_url(const char *url)
{
	const char *slash = url ? strrchr(url, '/') : NULL;
	if (!slash || !strstr(url, "/papers/") || !paper_id_is_safe(slash + 1))
		return NULL;
	return slash + 1;
}

static int import_translation(struct archive *a, json_t *item, size_t index, const char *name,
			      struct import_report *rep, const struct pb_log *log, struct pb_err *err)
{
	json_t *paper = json_object_get(item, "paper");
	const char *id = json_is_object(paper) ? json_string_value(json_object_get(paper, "id"))
					       : id_from_url(json_string_value(json_object_get(item, "url")));
	const char *summary = json_string_value(json_object_get(json_is_object(paper) ? paper : item,
								 "summary"));
	const char *text = json_string_value(json_object_get(item, "translation"));
	if (!id || !paper_id_is_safe(id) || !summary || !text) {
		pb_warn(log, "%s: entry %zu skipped: needs a paper id (or url), summary and translation",
			name, index);
		return 0;
	}
	rep->translations++;
	bool has = false;
	if (archive_has_paper(a, id, &has, err))
		return PB_ERR_DB;
	if (!has) {
		rep->translations_orphan++;
		pb_info(log, "%s: translation of %s skipped: the archive has no such paper "
			"(its day file is missing)", name, id);
		return 0;
	}
	struct answer ans;
	struct pb_err perr = PB_ERR_INIT;
	if (answer_parse_labelled(text, &ans, &perr)) {
		pb_warn(log, "%s: translation of %s skipped: %s", name, id, perr.msg);
		return 0;
	}
	char *abstract = text_normalize(summary);
	char hash[65];
	archive_abstract_hash(abstract, hash);
	free(abstract);
	struct translation t = {
		.paper_id = id, .abstract_hash = hash, .model = OLDBOT_MODEL,
		.prompt_version = OLDBOT_PROMPT_VERSION, .title_zh = ans.title_zh,
		.abstract_zh = ans.abstract_zh, .summary_zh = ans.summary_zh, .raw = text,
	};
	bool inserted = false;
	int rc = archive_put_translation(a, &t, false, &inserted, err);
	if (!rc && inserted)
		rep->translations_new++;
	answer_release(&ans);
	return rc;
}

int oldbot_import_translations_buffer(struct archive *a, const char *body, size_t len,
				      const char *name, struct import_report *rep,
				      const struct pb_log *log, struct pb_err *err)
{
	json_error_t jerr;
	json_t *root = json_loadb(body, len, 0, &jerr);
	if (!root)
		return pb_err_set(err, PB_ERR_PARSE, "'%s' is not valid JSON (line %d, column %d: %s)",
				  name, jerr.line, jerr.column, jerr.text);
	int rc = 0;
	if (!json_is_array(root)) {
		rc = pb_err_set(err, PB_ERR_PARSE, "'%s' is not a list of translations", name);
	} else {
		size_t i;
		json_t *item;
		json_array_foreach(root, i, item) {
			if (!json_is_object(item)) {
				pb_warn(log, "%s: entry %zu is not an object; skipped", name, i);
				continue;
			}
			if ((rc = import_translation(a, item, i, name, rep, log, err)))
				break;
		}
	}
	json_decref(root);
	return rc;
}

static int compare_names(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/* File names in dir/sub, sorted, so days import in date order. */
static int list_dir(const char *dir, const char *sub, char ***names, size_t *n, struct pb_err *err)
{
	char *path = path_join(dir, sub);
	DIR *d = opendir(path);
	*names = NULL;
	*n = 0;
	if (!d) {
		free(path);
		return 0; /* a repository may lack one of the two folders */
	}
	size_t cap = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		GROW(*names, cap, *n + 1);
		(*names)[(*n)++] = xstrdup(e->d_name);
	}
	closedir(d);
	free(path);
	if (*n)
		qsort(*names, *n, sizeof(**names), compare_names);
	(void)err;
	return 0;
}

static void free_names(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* Read dir/sub/file and hand it to one of the buffer importers; a bad file is skipped. */
static int import_file(struct archive *a, const char *dir, const char *sub, const char *file,
		       const char *date, struct import_report *rep, const struct pb_log *log,
		       struct pb_err *err)
{
	char *rel = path_join(sub, file);
	char *path = path_join(dir, rel);
	struct buf body;
	buf_init(&body, BUF_LIMIT_FILE);
	struct pb_err ferr = PB_ERR_INIT;
	int rc = fs_read_file(path, &body, &ferr);
	if (!rc)
		rc = date ? oldbot_import_day_buffer(a, date, body.data, body.len, rel, rep, log, &ferr)
			  : oldbot_import_translations_buffer(a, body.data, body.len, rel, rep, log, &ferr);
	if (rc == PB_ERR_DB) {
		pb_err_set(err, rc, "%s", ferr.msg);
		pb_err_hint(err, "%s", ferr.hint);
	} else if (rc) {
		pb_warn(log, "skipped %s", ferr.msg);
		rep->files_skipped++;
		rc = 0;
	}
	buf_release(&body);
	free(path);
	free(rel);
	return rc;
}

int oldbot_check_dir(const char *dir, struct pb_err *err)
{
	char *meta = path_join(dir, METADATA_DIR), *trans = path_join(dir, TRANSLATION_DIR);
	bool looks_right = fs_is_dir(meta) || fs_is_dir(trans);
	free(meta);
	free(trans);
	if (!looks_right && !fs_is_dir(dir)) {
		pb_err_set(err, PB_ERR_USAGE, fs_is_file(dir) ? "'%s' is a file, not a directory"
							   : "'%s' does not exist", dir);
		pb_err_hint(err, "point import at a clone of the old bot's repository");
		return PB_ERR_USAGE;
	}
	if (!looks_right) {
		pb_err_set(err, PB_ERR_USAGE, "'%s' has neither %s/ nor %s/", dir, METADATA_DIR,
			   TRANSLATION_DIR);
		pb_err_hint(err, "point import at a clone of the old bot's repository");
		return PB_ERR_USAGE;
	}
	return 0;
}

int oldbot_import_dir(struct archive *a, const char *dir, struct import_report *rep,
		      const struct pb_log *log, struct pb_err *err)
{
	memset(rep, 0, sizeof(*rep));
	if (oldbot_check_dir(dir, err))
		return PB_ERR_USAGE;
	char **names;
	size_t n;
	int rc = list_dir(dir, METADATA_DIR, &names, &n, err);
	for (size_t i = 0; i < n && !rc; i++) {
		char date[PB_DATE_LEN + 1];
		size_t len = strlen(names[i]);
		if (len != PB_DATE_LEN + 5 || strcmp(names[i] + PB_DATE_LEN, ".json")) {
			pb_info(log, "%s/%s: not a D.json day file; ignored", METADATA_DIR, names[i]);
			continue;
		}
		memcpy(date, names[i], PB_DATE_LEN);
		date[PB_DATE_LEN] = '\0';
		if (!date_is_valid_string(date)) {
			pb_warn(log, "skipped %s/%s: not a valid date", METADATA_DIR, names[i]);
			rep->files_skipped++;
			continue;
		}
		rc = import_file(a, dir, METADATA_DIR, names[i], date, rep, log, err);
		if ((i + 1) % 50 == 0)
			pb_info(log, "imported %zu of %zu day files", i + 1, n);
	}
	free_names(names, n);
	if (!rc)
		rc = list_dir(dir, TRANSLATION_DIR, &names, &n, err);
	else
		n = 0, names = NULL;
	for (size_t i = 0; i < n && !rc; i++) {
		size_t len = strlen(names[i]), sl = strlen(TRANSLATION_SUFFIX);
		if (len <= sl || strcmp(names[i] + len - sl, TRANSLATION_SUFFIX)) {
			pb_info(log, "%s/%s: not a translation file; ignored", TRANSLATION_DIR, names[i]);
			continue;
		}
		rc = import_file(a, dir, TRANSLATION_DIR, names[i], NULL, rep, log, err);
	}
	free_names(names, n);
	return rc;
}
