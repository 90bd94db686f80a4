/* config.c - INI settings through inih. */
#include "core/common.h"

#include "core/config.h"
#include "core/buf.h"
#include "core/data.h"
#include "core/fsutil.h"
#include "core/text.h"

#include <errno.h>
#include <ini.h>
#include <stdlib.h>
#include <string.h>

static void replace_string(char **slot, const char *value)
{
	free(*slot);
	*slot = xstrdup(value);
}

static int parse_long(const char *value, long min, long max, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(value, &end, 10);
	if (errno || end == value || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

static void clear_channels(struct pb_config *cfg)
{
	for (size_t i = 0; i < cfg->n_channels; i++) {
		free(cfg->channels[i].label);
		free(cfg->channels[i].text);
		free(cfg->channels[i].url);
	}
	cfg->n_channels = 0;
}

/* "[channels] GitHub = link text https://url": the URL is the last word. */
static int add_channel(struct pb_config *cfg, const char *label, const char *value,
		       struct pb_err *err)
{
	char *norm = text_normalize(value);
	char *space = strrchr(norm, ' ');
	const char *url = space ? space + 1 : norm;
	if (!url_is_http(url)) {
		free(norm);
		return pb_err_set(err, PB_ERR_PARSE,
				  "channel '%s' needs 'link text https://url', got '%s'", label, value);
	}
	GROW(cfg->channels, cfg->cap_channels, cfg->n_channels + 1);
	struct pb_channel *ch = &cfg->channels[cfg->n_channels++];
	ch->label = xstrdup(label);
	ch->url = xstrdup(url);
	ch->text = space ? xstrndup(norm, (size_t)(space - norm)) : xstrdup(url);
	free(norm);
	return 0;
}

int config_set(struct pb_config *cfg, const char *section, const char *key, const char *value,
	       struct pb_err *err)
{
	if (!strcmp(section, "channels"))
		return add_channel(cfg, key, value, err);
	if (strcmp(section, "paperboy"))
		return pb_err_set(err, PB_ERR_PARSE, "unknown section [%s]", section);
	if (!strcmp(key, "hf_url")) {
		if (!url_is_http(value))
			return pb_err_set(err, PB_ERR_PARSE, "hf_url must be an http(s) URL, got '%s'",
					  value);
		replace_string(&cfg->hf_url, value);
	} else if (!strcmp(key, "out")) {
		replace_string(&cfg->out_dir, value);
	} else if (!strcmp(key, "db")) {
		free(cfg->db_path);
		cfg->db_path = *value ? xstrdup(value) : NULL; /* empty: OUT/paperboy.db */
	} else if (!strcmp(key, "timeout")) {
		if (parse_long(value, 1, 3600, &cfg->http_timeout_s))
			return pb_err_set(err, PB_ERR_PARSE,
					  "timeout must be 1..3600 seconds, got '%s'", value);
	} else if (!strcmp(key, "retries")) {
		if (parse_long(value, 0, 20, &cfg->http_retries))
			return pb_err_set(err, PB_ERR_PARSE, "retries must be 0..20, got '%s'",
					  value);
	} else {
		return pb_err_set(err, PB_ERR_PARSE, "unknown key '%s' in [%s]", key, section);
	}
	return 0;
}

struct load_ctx {
	struct pb_config *cfg;
	struct pb_err *err;
	bool is_default;
	bool saw_channel;
};

static int on_ini_entry(void *user, const char *section, const char *name, const char *value)
{
	struct load_ctx *ctx = user;
	if (!strcmp(section, "channels") && !ctx->is_default && !ctx->saw_channel) {
		/* A file that lists channels replaces the default list instead of adding to it. */
		clear_channels(ctx->cfg);
		ctx->saw_channel = true;
		ctx->cfg->channels_overridden = true;
	}
	return config_set(ctx->cfg, section, name, value, ctx->err) == 0;
}

static int load(struct pb_config *cfg, const char *text, const char *name, bool is_default,
		struct pb_err *err)
{
	struct pb_err inner = PB_ERR_INIT;
	struct load_ctx ctx = {cfg, &inner, is_default, false};
	int line = ini_parse_string(text, on_ini_entry, &ctx);
	if (line == 0)
		return 0;
	if (pb_err_is_set(&inner))
		pb_err_set(err, PB_ERR_PARSE, "config '%s' line %d: %s", name, line, inner.msg);
	else
		pb_err_set(err, PB_ERR_PARSE, "config '%s' line %d: not valid INI", name, line);
	pb_err_hint(err, "see data/paperboy.ini in the source tree for every key");
	return PB_ERR_PARSE;
}

void config_init(struct pb_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->hf_url = xstrdup("https://huggingface.co");
	cfg->out_dir = xstrdup(".");
	cfg->http_timeout_s = 30;
	cfg->http_retries = 3;
	const char *defaults = data_get("data/paperboy.ini", NULL);
	struct pb_err err = PB_ERR_INIT;
	if (!defaults || load(cfg, defaults, "data/paperboy.ini", true, &err))
		abort(); /* the shipped defaults are checked by tests/unit/test_config.c */
}

void config_release(struct pb_config *cfg)
{
	clear_channels(cfg);
	free(cfg->channels);
	free(cfg->hf_url);
	free(cfg->out_dir);
	free(cfg->db_path);
	memset(cfg, 0, sizeof(*cfg));
}

int config_load_string(struct pb_config *cfg, const char *text, const char *name,
		       struct pb_err *err)
{
	return load(cfg, text, name, false, err);
}

int config_load_file(struct pb_config *cfg, const char *path, struct pb_err *err)
{
	struct buf text;
	buf_init(&text, 1 << 20);
	int rc = fs_read_file(path, &text, err);
	if (rc == 0)
		rc = config_load_string(cfg, text.data, path, err);
	buf_release(&text);
	return rc;
}

int config_apply_env(struct pb_config *cfg, pb_getenv_fn *get, struct pb_err *err)
{
	struct pb_err inner = PB_ERR_INIT;
	const char *v = get("PAPERBOY_HF_URL");
	if (v && *v && config_set(cfg, "paperboy", "hf_url", v, &inner))
		return pb_err_set(err, PB_ERR_USAGE, "PAPERBOY_HF_URL: %s", inner.msg);
	return 0;
}
