/* config.c - INI settings through inih. */
#include "core/common.h"

#include "core/config.h"
#include "core/buf.h"
#include "core/data.h"
#include "core/fsutil.h"
#include "core/text.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
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

static int parse_double(const char *value, double min, double max, double *out)
{
	char *end;
	errno = 0;
	double v = strtod(value, &end);
	if (errno || end == value || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int parse_budget(const char *text, long long *tokens, double *usd, struct pb_err *err)
{
	*tokens = 0;
	*usd = 0;
	char *t = text_normalize(text);
	for (char *p = t; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	size_t n = strlen(t);
	int rc = 0;
	double v = 0;
	if (n == 0 || !strcmp(t, "0")) {
		rc = 0;
	} else if (t[0] == '$' || (n > 3 && !strcmp(t + n - 3, "usd"))) {
		char *num = t[0] == '$' ? xstrdup(t + 1) : xstrndup(t, n - 3);
		char *trimmed = text_normalize(num);
		rc = parse_double(trimmed, 0, 1e6, &v);
		*usd = v;
		free(num);
		free(trimmed);
	} else {
		double scale = 1;
		char *num = xstrdup(t);
		size_t m = strlen(num);
		if (m > 6 && !strcmp(num + m - 6, "tokens"))
			num[m -= 6] = '\0';
		while (m && num[m - 1] == ' ')
			num[--m] = '\0';
		if (m && (num[m - 1] == 'k' || num[m - 1] == 'm')) {
			scale = num[m - 1] == 'k' ? 1e3 : 1e6;
			num[--m] = '\0';
		}
		rc = parse_double(num, 0, 1e12, &v);
		*tokens = (long long)(v * scale);
		free(num);
	}
	free(t);
	if (rc)
		return pb_err_set(err, PB_ERR_USAGE,
				  "budget '%s' is neither tokens (200000, 200k) nor money ($0.50, 0.5usd)",
				  text);
	return 0;
}

const struct pb_price *config_price(const struct pb_config *cfg, const char *model)
{
	for (size_t i = 0; i < cfg->n_prices; i++)
		if (!strcmp(cfg->prices[i].model, model))
			return &cfg->prices[i];
	return NULL;
}

static int add_price(struct pb_config *cfg, const char *model, const char *value, struct pb_err *err)
{
	double in, out;
	char extra;
	if (sscanf(value, "%lf %lf %c", &in, &out, &extra) != 2 || in < 0 || out < 0)
		return pb_err_set(err, PB_ERR_PARSE,
				  "price of '%s' needs 'input output' in USD per million tokens, got '%s'",
				  model, value);
	struct pb_price *p = NULL;
	for (size_t i = 0; i < cfg->n_prices && !p; i++)
		if (!strcmp(cfg->prices[i].model, model))
			p = &cfg->prices[i];
	if (!p) {
		GROW(cfg->prices, cfg->cap_prices, cfg->n_prices + 1);
		p = &cfg->prices[cfg->n_prices++];
		p->model = xstrdup(model);
	}
	p->input = in;
	p->output = out;
	return 0;
}

static void set_optional(char **slot, const char *value)
{
	free(*slot);
	*slot = *value ? xstrdup(value) : NULL;
}

static int set_llm(struct pb_config *cfg, const char *key, const char *value, struct pb_err *err)
{
	if (!strcmp(key, "url")) {
		if (!url_is_http(value))
			return pb_err_set(err, PB_ERR_PARSE, "llm url must be an http(s) URL, got '%s'", value);
		replace_string(&cfg->llm_url, value);
	} else if (!strcmp(key, "model")) {
		if (!*value)
			return pb_err_set(err, PB_ERR_PARSE, "llm model must not be empty");
		replace_string(&cfg->llm_model, value);
	} else if (!strcmp(key, "jobs")) {
		if (parse_long(value, 1, 256, &cfg->llm_jobs))
			return pb_err_set(err, PB_ERR_PARSE, "jobs must be 1..256, got '%s'", value);
	} else if (!strcmp(key, "rpm")) {
		if (parse_double(value, 0, 1e6, &cfg->llm_rpm))
			return pb_err_set(err, PB_ERR_PARSE, "rpm must be a number >= 0, got '%s'", value);
	} else if (!strcmp(key, "timeout")) {
		if (parse_long(value, 1, 3600, &cfg->llm_timeout_s))
			return pb_err_set(err, PB_ERR_PARSE, "llm timeout must be 1..3600 seconds, got '%s'", value);
	} else if (!strcmp(key, "tries")) {
		if (parse_long(value, 1, 20, &cfg->llm_tries))
			return pb_err_set(err, PB_ERR_PARSE, "tries must be 1..20, got '%s'", value);
	} else if (!strcmp(key, "deadline")) {
		if (parse_double(value, 0, 86400, &cfg->llm_deadline_s))
			return pb_err_set(err, PB_ERR_PARSE, "deadline must be 0..86400 seconds, got '%s'", value);
	} else if (!strcmp(key, "glossary")) {
		set_optional(&cfg->glossary, value);
	} else if (!strcmp(key, "budget")) {
		return parse_budget(value, &cfg->budget_tokens, &cfg->budget_usd, err);
	} else {
		return pb_err_set(err, PB_ERR_PARSE, "unknown key '%s' in [llm]", key);
	}
	return 0;
}


static int set_speak(struct pb_config *cfg, const char *key, const char *value, struct pb_err *err)
{
	if (!strcmp(key, "voice")) {
		if (!*value)
			return pb_err_set(err, PB_ERR_PARSE, "voice must not be empty");
		replace_string(&cfg->voice, value);
	} else if (!strcmp(key, "rate")) {
		if (parse_long(value, 0, 450, &cfg->speak_rate))
			return pb_err_set(err, PB_ERR_PARSE, "rate must be 0..450 words per minute, got '%s'", value);
	} else if (!strcmp(key, "kbps")) {
		if (parse_long(value, 16, 320, &cfg->kbps))
			return pb_err_set(err, PB_ERR_PARSE, "kbps must be 16..320, got '%s'", value);
	} else if (!strcmp(key, "tts_url")) {
		if (*value && !url_is_http(value))
			return pb_err_set(err, PB_ERR_PARSE, "tts_url must be an http(s) URL, got '%s'", value);
		set_optional(&cfg->tts_url, value);
	} else if (!strcmp(key, "tts_model")) {
		replace_string(&cfg->tts_model, value);
	} else if (!strcmp(key, "tts_voice")) {
		replace_string(&cfg->tts_voice, value);
	} else if (!strcmp(key, "tts_jobs")) {
		if (parse_long(value, 1, 64, &cfg->tts_jobs))
			return pb_err_set(err, PB_ERR_PARSE, "tts_jobs must be 1..64, got '%s'", value);
	} else if (!strcmp(key, "tts_speed")) {
		if (parse_double(value, 0, 4, &cfg->tts_speed))
			return pb_err_set(err, PB_ERR_PARSE, "tts_speed must be 0..4, got '%s'", value);
	} else {
		return pb_err_set(err, PB_ERR_PARSE, "unknown key '%s' in [speak]", key);
	}
	return 0;
}

static int set_feed(struct pb_config *cfg, const char *key, const char *value, struct pb_err *err)
{
	if (!strcmp(key, "base_url")) {
		if (*value && !url_is_http(value))
			return pb_err_set(err, PB_ERR_PARSE, "base_url must be an http(s) URL, got '%s'", value);
		set_optional(&cfg->feed_base_url, value);
	} else if (!strcmp(key, "title")) {
		replace_string(&cfg->feed_title, value);
	} else if (!strcmp(key, "author")) {
		replace_string(&cfg->feed_author, value);
	} else {
		return pb_err_set(err, PB_ERR_PARSE, "unknown key '%s' in [feed]", key);
	}
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
	if (!strcmp(section, "llm"))
		return set_llm(cfg, key, value, err);
	if (!strcmp(section, "prices"))
		return add_price(cfg, key, value, err);
	if (!strcmp(section, "speak"))
		return set_speak(cfg, key, value, err);
	if (!strcmp(section, "feed"))
		return set_feed(cfg, key, value, err);
	if (!strcmp(section, "edition")) {
		if (strcmp(key, "languages"))
			return pb_err_set(err, PB_ERR_PARSE, "unknown key '%s' in [edition]", key);
		set_optional(&cfg->languages, value);
		return 0;
	}
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
	} else if (!strcmp(key, "connect_timeout")) {
		if (parse_long(value, 1, 600, &cfg->connect_timeout_s))
			return pb_err_set(err, PB_ERR_PARSE,
					  "connect_timeout must be 1..600 seconds, got '%s'", value);
	} else if (!strcmp(key, "stall_timeout")) {
		if (parse_long(value, 0, 3600, &cfg->stall_timeout_s))
			return pb_err_set(err, PB_ERR_PARSE,
					  "stall_timeout must be 0..3600 seconds (0: never), got '%s'", value);
	} else if (!strcmp(key, "request_deadline")) {
		if (parse_long(value, 0, 86400, &cfg->request_deadline_s))
			return pb_err_set(err, PB_ERR_PARSE,
					  "request_deadline must be 0..86400 seconds (0: none), got '%s'", value);
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
	cfg->connect_timeout_s = 10;
	cfg->stall_timeout_s = 15;
	cfg->request_deadline_s = 40;
	cfg->llm_url = xstrdup("https://api.deepseek.com/v1");
	cfg->llm_model = xstrdup("deepseek-chat");
	cfg->llm_jobs = 8;
	cfg->llm_timeout_s = 180;
	cfg->llm_tries = 4;
	cfg->llm_deadline_s = 1800;
	cfg->voice = xstrdup("cmn-latn-pinyin");
	cfg->kbps = 64;
	cfg->tts_model = xstrdup("tts-1");
	cfg->tts_voice = xstrdup("alloy");
	cfg->tts_jobs = 4;
	cfg->feed_title = xstrdup("Hugging Face 论文日报");
	cfg->feed_author = xstrdup("paperboy");
	const char *defaults = data_get("data/paperboy.ini", NULL);
	struct pb_err err = PB_ERR_INIT;
	if (!defaults || load(cfg, defaults, "data/paperboy.ini", true, &err))
		abort(); /* the shipped defaults are checked by tests/unit/test_config.c */
}

void config_release(struct pb_config *cfg)
{
	clear_channels(cfg);
	free(cfg->channels);
	for (size_t i = 0; i < cfg->n_prices; i++)
		free(cfg->prices[i].model);
	free(cfg->prices);
	free(cfg->llm_url);
	free(cfg->llm_model);
	free(cfg->glossary);
	free(cfg->voice);
	free(cfg->tts_url);
	free(cfg->tts_model);
	free(cfg->tts_voice);
	free(cfg->languages);
	free(cfg->feed_base_url);
	free(cfg->feed_title);
	free(cfg->feed_author);
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
	v = get("PAPERBOY_LLM_URL");
	if (v && *v && config_set(cfg, "llm", "url", v, &inner))
		return pb_err_set(err, PB_ERR_USAGE, "PAPERBOY_LLM_URL: %s", inner.msg);
	v = get("PAPERBOY_TTS_URL");
	if (v && *v && config_set(cfg, "speak", "tts_url", v, &inner))
		return pb_err_set(err, PB_ERR_USAGE, "PAPERBOY_TTS_URL: %s", inner.msg);
	v = get("PAPERBOY_LLM_MODEL");
	if (v && *v && config_set(cfg, "llm", "model", v, &inner))
		return pb_err_set(err, PB_ERR_USAGE, "PAPERBOY_LLM_MODEL: %s", inner.msg);
	return 0;
}
