/*
 * config.h - settings from the embedded defaults, an INI file (inih), and
 * the environment, in rising precedence; the CLI applies flags last.
 *
 *     struct pb_config cfg;
 *     config_init(&cfg);                       defaults from data/paperboy.ini
 *     config_load_file(&cfg, path, &err);      optional --config FILE
 *     config_apply_env(&cfg, getenv);          PAPERBOY_* variables
 *     ... flags overwrite fields with config_set() ...
 *     config_release(&cfg);
 *
 * Unknown sections or keys are errors naming the file and line, so a typo
 * never silently falls back to a default.
 */
#ifndef PB_CONFIG_H
#define PB_CONFIG_H

#include "core/err.h"

struct pb_channel {
	char *label; /* "GitHub" */
	char *text;  /* link text */
	char *url;
};

struct pb_config {
	char *hf_url;
	char *out_dir;
	char *db_path; /* NULL: OUT/paperboy.db */
	long http_timeout_s;
	long http_retries;
	struct pb_channel *channels;
	size_t n_channels, cap_channels;
	bool channels_overridden; /* a loaded file replaced the default list */
};

typedef const char *pb_getenv_fn(const char *name);

void config_init(struct pb_config *cfg);
void config_release(struct pb_config *cfg);
int config_load_file(struct pb_config *cfg, const char *path, struct pb_err *err);
/* Parse INI text (name is used in messages). */
int config_load_string(struct pb_config *cfg, const char *text, const char *name,
		       struct pb_err *err);
int config_apply_env(struct pb_config *cfg, pb_getenv_fn *get, struct pb_err *err);
/* Set one "section.key" (as from a file); used by the loaders and by tests. */
int config_set(struct pb_config *cfg, const char *section, const char *key, const char *value,
	       struct pb_err *err);

#endif
