/* config.c - INI settings through inih. */
#include "core/common.h"

#include "core/config.h"
#include "core/buf.h"
#include "core/data.h"
#include "core/fsutil.h"
#include "core/suggest.h"
#include "core/text.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <ini.h>
#include <math.h>
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
	/*
	 * strtod takes "nan" and "inf", and NaN fails every comparison, so the
	 * bounds are checked as "inside" and the value as finite: a NaN budget
	 * would be cast to an integer (undefined) and never be reached.
	 */
	if (errno || end == value || *end || !isfinite(v) || !(v >= min && v <= max))
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
	double in, out = 0;
	char extra;
	int got = sscanf(value, "%lf %lf %c", &in, &out, &extra);
	/* sscanf takes "nan" and "inf" too; a NaN price makes every cost NaN and a money budget unreachable. */
	if ((got != 1 && got != 2) || !isfinite(in) || !isfinite(out) || !(in >= 0) || !(out >= 0))
		return pb_err_set(err, PB_ERR_PARSE,
				  "price of '%s' needs 'input output' in USD per million tokens (an LLM) or "
				  "one number per million characters (a speech model), got '%s'",
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
	p->per_char = got == 1;
	return 0;
}

static void set_optional(char **slot, const char *value)
{
	free(*slot);
	*slot = *value ? xstrdup(value) : NULL;
}

#define FIELD(name) offsetof(struct pb_config, name)

/*
 * Every scalar setting: its INI key, its flag and environment variable, how
 * it is checked, and its --help line. The defaults are in data/paperboy.ini
 * only, loaded first by config_init.
 */
static const struct config_key keys[] = {
	{"paperboy", "out", KEY_NONEMPTY, FIELD(out_dir), 0, 0, "out", NULL, CFG_GROUP_NONE, "DIR",
	 "where outputs and the archive go"},
	{"paperboy", "db", KEY_OPTIONAL, FIELD(db_path), 0, 0, "db", NULL, CFG_GROUP_NONE, "FILE",
	 "the archive (default: OUT/paperboy.db)"},
	{"paperboy", "hf_url", KEY_URL, FIELD(hf_url), 0, 0, "hf-url", "PAPERBOY_HF_URL", CFG_GROUP_HF,
	 "URL", "Hugging Face base URL"},
	{"paperboy", "timeout", KEY_LONG, FIELD(http_timeout_s), 1, 3600, "timeout", NULL,
	 CFG_GROUP_NET, "SEC", "timeout of each Hugging Face request"},
	{"paperboy", "retries", KEY_LONG, FIELD(http_retries), 0, 20, "retries", NULL, CFG_GROUP_NET,
	 "N", "Hugging Face retries on 429, 5xx, timeouts and resets"},
	{"paperboy", "connect_timeout", KEY_LONG, FIELD(connect_timeout_s), 1, 600, "connect-timeout",
	 NULL, CFG_GROUP_NET, "SEC", "give up connecting after SEC (every server)"},
	{"paperboy", "stall_timeout", KEY_LONG, FIELD(stall_timeout_s), 0, 3600, "stall-timeout", NULL,
	 CFG_GROUP_NET, "SEC", "abort a download that makes no progress for SEC (0: never)"},
	{"paperboy", "request_deadline", KEY_LONG, FIELD(request_deadline_s), 0, 86400,
	 "request-deadline", NULL, CFG_GROUP_NET, "SEC",
	 "one request, retries and waits included (0: none)"},
	{"llm", "url", KEY_URL, FIELD(llm_url), 0, 0, "llm-url", "PAPERBOY_LLM_URL", CFG_GROUP_LLM,
	 "URL", "OpenAI-compatible API base; paperboy appends /chat/completions"},
	{"llm", "model", KEY_NONEMPTY, FIELD(llm_model), 0, 0, "llm-model", "PAPERBOY_LLM_MODEL",
	 CFG_GROUP_LLM, "NAME", "model"},
	{"llm", "jobs", KEY_LONG, FIELD(llm_jobs), 1, 256, "jobs", NULL, CFG_GROUP_LLM, "N",
	 "requests in flight; backs off on HTTP 429"},
	{"llm", "rpm", KEY_DOUBLE, FIELD(llm_rpm), 0, 1e6, "rpm", NULL, CFG_GROUP_LLM, "N",
	 "at most N requests started per minute (0: no limit)"},
	{"llm", "timeout", KEY_LONG, FIELD(llm_timeout_s), 1, 3600, "llm-timeout", NULL,
	 CFG_GROUP_LLM, "SEC", "per LLM request"},
	{"llm", "tries", KEY_LONG, FIELD(llm_tries), 1, 20, "tries", NULL, CFG_GROUP_LLM, "N",
	 "requests per paper at most"},
	{"llm", "deadline", KEY_DOUBLE, FIELD(llm_deadline_s), 0, 86400, "deadline", NULL,
	 CFG_GROUP_LLM, "SEC", "for the whole translate stage"},
	{"llm", "glossary", KEY_OPTIONAL, FIELD(glossary), 0, 0, "glossary", NULL, CFG_GROUP_LLM,
	 "FILE", "terms file, english<TAB>chinese[<TAB>zh-TW] (default: the shipped one)"},
	{"llm", "budget", KEY_BUDGET, 0, 0, 0, "budget", NULL, CFG_GROUP_LLM, "B",
	 "stop spending at B tokens (200k) or B dollars ($0.50)"},
	{"speak", "voice", KEY_NONEMPTY, FIELD(voice), 0, 0, "voice", NULL, CFG_GROUP_SPEAK, "NAME",
	 "espeak-ng voice for Chinese"},
	{"speak", "rate", KEY_LONG, FIELD(speak_rate), 0, 450, "rate", NULL, CFG_GROUP_SPEAK, "WPM",
	 "speaking rate in words per minute (0: the voice's)"},
	{"speak", "kbps", KEY_LONG, FIELD(kbps), 16, 320, NULL, NULL, CFG_GROUP_SPEAK, NULL, NULL},
	{"speak", "tts_url", KEY_OPTIONAL_URL, FIELD(tts_url), 0, 0, "tts-url", "PAPERBOY_TTS_URL",
	 CFG_GROUP_SPEAK, "URL",
	 "a neural voice instead: OpenAI-compatible API base (paperboy appends "
	 "/audio/speech; the key is read as for the LLM)"},
	{"speak", "tts_model", KEY_STRING, FIELD(tts_model), 0, 0, "tts-model", NULL, CFG_GROUP_SPEAK,
	 "NAME", "speech model"},
	{"speak", "tts_voice", KEY_STRING, FIELD(tts_voice), 0, 0, "tts-voice", NULL, CFG_GROUP_SPEAK,
	 "NAME", "speech voice"},
	{"speak", "tts_jobs", KEY_LONG, FIELD(tts_jobs), 1, 64, "tts-jobs", NULL, CFG_GROUP_SPEAK, "N",
	 "speech requests in flight"},
	{"speak", "tts_speed", KEY_DOUBLE, FIELD(tts_speed), 0, 4, NULL, NULL, CFG_GROUP_SPEAK, NULL,
	 NULL},
	{"speak", "content", KEY_CHOICE, FIELD(speak_content), 0, 0, "content", NULL, CFG_GROUP_SPEAK,
	 "brief|full", "brief: each paper's title and one-sentence summary; full: whole abstracts"},
	{"edition", "languages", KEY_OPTIONAL, FIELD(languages), 0, 0, "lang", NULL, CFG_GROUP_LANG,
	 "LIST", "the editions, e.g. zh-CN,zh-TW (zh-CN is always made); zh-TW is converted "
	 "from the zh-CN translation with OpenCC, no extra LLM call, into files ending .zh-TW.*"},
	{"edition", "brand", KEY_NONEMPTY, FIELD(brand), 0, 0, NULL, NULL, CFG_GROUP_NONE, NULL, NULL},
	{"site", "base_url", KEY_OPTIONAL_URL, FIELD(site_base_url), 0, 0, NULL, NULL, CFG_GROUP_NONE,
	 NULL, NULL},
	{"site", "dir", KEY_OPTIONAL, FIELD(site_dir), 0, 0, "site-dir", NULL, CFG_GROUP_SITE, "DIR",
	 "build the static site there (`site`: default OUT/site; `run`, `backfill`: only when set)"},
	{"site", "port", KEY_LONG, FIELD(site_port), 0, 65535, "port", NULL, CFG_GROUP_SERVE, "N",
	 "the preview's port on 127.0.0.1 (0: any free port)"},
	{"feed", "base_url", KEY_OPTIONAL_URL, FIELD(feed_base_url), 0, 0, NULL, NULL, CFG_GROUP_NONE,
	 NULL, NULL},
	{"feed", "title", KEY_STRING, FIELD(feed_title), 0, 0, NULL, NULL, CFG_GROUP_NONE, NULL, NULL},
	{"feed", "author", KEY_STRING, FIELD(feed_author), 0, 0, NULL, NULL, CFG_GROUP_NONE, NULL, NULL},
	{"feed", "email", KEY_OPTIONAL, FIELD(feed_email), 0, 0, NULL, NULL, CFG_GROUP_NONE, NULL, NULL},
	{"feed", "category", KEY_NONEMPTY, FIELD(feed_category), 0, 0, NULL, NULL, CFG_GROUP_NONE, NULL,
	 NULL},
	{"alerts", "push", KEY_OPTIONAL, FIELD(alerts_push), 0, 0, NULL, NULL, CFG_GROUP_NONE, NULL,
	 NULL},
	{"health", "max_age_hours", KEY_LONG, FIELD(health_max_age_h), 1, 24 * 365, NULL, NULL,
	 CFG_GROUP_NONE, NULL, NULL},
};

_Static_assert(PB_ARRAY_LEN(keys) <= CONFIG_MAX_KEYS, "raise CONFIG_MAX_KEYS");

const char *config_feed_author(const struct pb_config *cfg)
{
	return cfg->feed_author && *cfg->feed_author ? cfg->feed_author : cfg->brand;
}

/* ---- delivery channels: [mail] and [push.NAME] ---------------------------------------- */

static const char *const delivery_key_names[DK_COUNT] = {
	[DK_TYPE] = "type", [DK_URL] = "url", [DK_SECRET] = "secret", [DK_API_URL] = "api_url",
	[DK_TOKEN] = "token", [DK_CHAT_ID] = "chat_id", [DK_FROM] = "from", [DK_TO] = "to",
	[DK_TO_FILE] = "to_file", [DK_USER] = "user", [DK_PASSWORD] = "password",
	[DK_UNSUBSCRIBE] = "unsubscribe", [DK_LIST_ID] = "list_id", [DK_LANG] = "lang",
	[DK_CA_FILE] = "ca_file",
};

/* Which keys each kind of section takes. */
#define DK_BIT(k) (1u << (k))
static const unsigned mail_keys = DK_BIT(DK_URL) | DK_BIT(DK_FROM) | DK_BIT(DK_TO) |
				  DK_BIT(DK_TO_FILE) | DK_BIT(DK_USER) | DK_BIT(DK_PASSWORD) |
				  DK_BIT(DK_UNSUBSCRIBE) | DK_BIT(DK_LIST_ID) | DK_BIT(DK_LANG) |
				  DK_BIT(DK_CA_FILE);
static const unsigned push_keys = DK_BIT(DK_TYPE) | DK_BIT(DK_URL) | DK_BIT(DK_SECRET) |
				  DK_BIT(DK_API_URL) | DK_BIT(DK_TOKEN) | DK_BIT(DK_CHAT_ID) |
				  DK_BIT(DK_LANG);

const char *config_delivery_key_name(enum delivery_key k)
{
	return k < DK_COUNT ? delivery_key_names[k] : "?";
}

/*
 * A webhook URL carries its token, so a push URL is a secret; an SMTP URL
 * names a server (credentials go in user and password).
 */
bool config_delivery_key_is_secret(const struct pb_delivery *d, enum delivery_key k)
{
	return k == DK_PASSWORD || k == DK_SECRET || k == DK_TOKEN || (k == DK_URL && !d->is_mail);
}

const struct pb_delivery *config_delivery_find(const struct pb_config *cfg, const char *name)
{
	for (size_t i = 0; i < cfg->n_deliveries; i++)
		if (!strcmp(cfg->deliveries[i].name, name))
			return &cfg->deliveries[i];
	return NULL;
}

/* A channel's name appears in file names of nothing, but in messages and the archive: keep it plain. */
static bool channel_name_ok(const char *name)
{
	if (!*name || strlen(name) > 40)
		return false;
	for (const char *p = name; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_')
			return false;
	return true;
}

static struct pb_delivery *delivery_for(struct pb_config *cfg, const char *name, bool is_mail)
{
	for (size_t i = 0; i < cfg->n_deliveries; i++)
		if (!strcmp(cfg->deliveries[i].name, name))
			return &cfg->deliveries[i];
	GROW(cfg->deliveries, cfg->cap_deliveries, cfg->n_deliveries + 1);
	struct pb_delivery *d = &cfg->deliveries[cfg->n_deliveries++];
	memset(d, 0, sizeof(*d));
	d->name = xstrdup(name);
	d->is_mail = is_mail;
	return d;
}

/* "[mail] password_env = SMTP_PASSWORD" or "[push.team] url = https://…". */
static int set_delivery(struct pb_config *cfg, const char *section, const char *key,
			const char *value, struct pb_err *err)
{
	bool is_mail = !strcmp(section, "mail");
	const char *name = is_mail ? "mail" : section + strlen("push.");
	if (!is_mail && !channel_name_ok(name))
		return pb_err_set(err, PB_ERR_PARSE,
				  "[%s]: a channel name is 1 to 40 letters, digits, '-' or '_'", section);
	size_t len = strlen(key);
	bool from_env = len > 4 && !strcmp(key + len - 4, "_env");
	char base[64];
	snprintf(base, sizeof(base), "%.*s", (int)(from_env ? len - 4 : len), key);
	unsigned allowed = is_mail ? mail_keys : push_keys;
	int k = -1;
	const char *names[DK_COUNT];
	size_t n = 0;
	for (int i = 0; i < DK_COUNT; i++) {
		if (!(allowed & DK_BIT(i)))
			continue;
		names[n++] = delivery_key_names[i];
		if (!strcmp(base, delivery_key_names[i]))
			k = i;
	}
	if (k < 0) {
		const char *near = suggest_closest(base, names, n);
		if (near)
			return pb_err_set(err, PB_ERR_PARSE, "unknown key '%s' in [%s]; did you mean '%s'?",
					  key, section, near);
		return pb_err_set(err, PB_ERR_PARSE, "unknown key '%s' in [%s]", key, section);
	}
	struct pb_setting *st = &delivery_for(cfg, name, is_mail)->keys[k];
	if (from_env) {
		if (!*value)
			return pb_err_set(err, PB_ERR_PARSE, "%s needs the name of an environment variable",
					  key);
		replace_string(&st->env, value);
	} else {
		set_optional(&st->value, value);
	}
	return 0;
}

int config_delivery_value(const struct pb_delivery *d, enum delivery_key k, pb_getenv_fn *get,
			  const char **out, struct pb_err *err)
{
	const struct pb_setting *st = &d->keys[k];
	*out = st->value;
	if (!st->env)
		return 0;
	const char *v = get ? get(st->env) : NULL;
	if (!v || !*v) {
		*out = NULL;
		if (d->is_mail)
			pb_err_set(err, PB_ERR_USAGE, "[mail] %s_env names %s, which is not set",
				   delivery_key_names[k], st->env);
		else
			pb_err_set(err, PB_ERR_USAGE, "[push.%s] %s_env names %s, which is not set",
				   d->name, delivery_key_names[k], st->env);
		pb_err_hint(err, "export %s (a CI secret, for example) before running paperboy", st->env);
		return PB_ERR_USAGE;
	}
	*out = v;
	return 0;
}

static void clear_deliveries(struct pb_config *cfg)
{
	for (size_t i = 0; i < cfg->n_deliveries; i++) {
		struct pb_delivery *d = &cfg->deliveries[i];
		free(d->name);
		for (int k = 0; k < DK_COUNT; k++) {
			free(d->keys[k].value);
			free(d->keys[k].env);
		}
	}
	free(cfg->deliveries);
	cfg->deliveries = NULL;
	cfg->n_deliveries = cfg->cap_deliveries = 0;
}

const struct config_key *config_keys(size_t *n)
{
	*n = PB_ARRAY_LEN(keys);
	return keys;
}

const char *config_source_name(enum config_source s)
{
	switch (s) {
	case CFG_SRC_DEFAULT: return "default";
	case CFG_SRC_FILE: return "file";
	case CFG_SRC_ENV: return "env";
	case CFG_SRC_FLAG: return "flag";
	}
	return "?";
}

enum config_source config_key_source(const struct pb_config *cfg, const struct config_key *k)
{
	return (enum config_source)cfg->source[k - keys];
}

const struct config_key *config_key_find(const char *section, const char *key)
{
	for (size_t i = 0; i < PB_ARRAY_LEN(keys); i++)
		if (!strcmp(keys[i].section, section) && !strcmp(keys[i].key, key))
			return &keys[i];
	return NULL;
}

static int set_key(struct pb_config *cfg, const struct config_key *k, const char *value,
		   struct pb_err *err)
{
	char *base = (char *)cfg;
	char **str = (char **)(void *)(base + k->offset);
	cfg->source[k - keys] = (unsigned char)cfg->setting;
	switch (k->type) {
	case KEY_NONEMPTY:
		if (!*value)
			return pb_err_set(err, PB_ERR_PARSE, "%s must not be empty", k->key);
		replace_string(str, value);
		return 0;
	case KEY_STRING:
		replace_string(str, value);
		return 0;
	case KEY_OPTIONAL:
		set_optional(str, value);
		return 0;
	case KEY_URL:
	case KEY_OPTIONAL_URL:
		if ((k->type == KEY_URL || *value) && !url_is_http(value))
			return pb_err_set(err, PB_ERR_PARSE, "%s must be an http(s) URL, got '%s'",
					  k->key, value);
		set_optional(str, value);
		return 0;
	case KEY_LONG:
		if (parse_long(value, (long)k->min, (long)k->max, (long *)(void *)(base + k->offset)))
			return pb_err_set(err, PB_ERR_PARSE, "%s must be %ld..%ld, got '%s'", k->key,
					  (long)k->min, (long)k->max, value);
		return 0;
	case KEY_DOUBLE:
		if (parse_double(value, k->min, k->max, (double *)(void *)(base + k->offset)))
			return pb_err_set(err, PB_ERR_PARSE, "%s must be a number %g..%g, got '%s'",
					  k->key, k->min, k->max, value);
		return 0;
	case KEY_BUDGET:
		return parse_budget(value, &cfg->budget_tokens, &cfg->budget_usd, err);
	case KEY_CHOICE: {
		size_t len = strlen(value);
		for (const char *c = k->arg; c && *c;) {
			size_t n = strcspn(c, "|");
			if (len && n == len && !strncmp(c, value, n)) {
				replace_string(str, value);
				return 0;
			}
			c += n + (c[n] == '|');
		}
		return pb_err_set(err, PB_ERR_PARSE, "%s must be one of %s, got '%s'", k->key, k->arg,
				  value);
	}
	}
	return pb_err_set(err, PB_ERR, "BUG: key type %d", (int)k->type);
}

int config_format_value(const struct pb_config *cfg, const struct config_key *k, char *out,
			size_t size)
{
	const char *base = (const char *)cfg;
	switch (k->type) {
	case KEY_LONG:
		return snprintf(out, size, "%ld", *(const long *)(const void *)(base + k->offset));
	case KEY_DOUBLE:
		return snprintf(out, size, "%g", *(const double *)(const void *)(base + k->offset));
	case KEY_BUDGET:
		if (cfg->budget_usd > 0)
			return snprintf(out, size, "$%g", cfg->budget_usd);
		if (cfg->budget_tokens > 0)
			return snprintf(out, size, "%lld tokens", cfg->budget_tokens);
		return snprintf(out, size, "%s", "none");
	default: {
		const char *v = *(char *const *)(const void *)(base + k->offset);
		return snprintf(out, size, "%s", v ? v : "");
	}
	}
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
	if (!strcmp(section, "prices"))
		return add_price(cfg, key, value, err);
	if (!strcmp(section, "mail") || !strncmp(section, "push.", 5))
		return set_delivery(cfg, section, key, value, err);
	const struct config_key *k = config_key_find(section, key);
	if (k)
		return set_key(cfg, k, value, err);
	/* A typo is met with the nearest name: "did you mean 'hf_url'?". */
	const char *names[PB_ARRAY_LEN(keys) + 3];
	size_t n = 0;
	for (size_t i = 0; i < PB_ARRAY_LEN(keys); i++)
		if (!strcmp(keys[i].section, section))
			names[n++] = keys[i].key;
	if (n) {
		const char *near = suggest_closest(key, names, n);
		if (near)
			return pb_err_set(err, PB_ERR_PARSE, "unknown key '%s' in [%s]; did you mean '%s'?",
					  key, section, near);
		return pb_err_set(err, PB_ERR_PARSE, "unknown key '%s' in [%s]", key, section);
	}
	names[n++] = "channels";
	names[n++] = "prices";
	names[n++] = "mail";
	for (size_t i = 0; i < PB_ARRAY_LEN(keys); i++) {
		bool seen = false;
		for (size_t j = 0; j < n && !seen; j++)
			seen = !strcmp(names[j], keys[i].section);
		if (!seen)
			names[n++] = keys[i].section;
	}
	const char *near = suggest_closest(section, names, n);
	if (near)
		return pb_err_set(err, PB_ERR_PARSE, "unknown section [%s]; did you mean [%s]?", section,
				  near);
	return pb_err_set(err, PB_ERR_PARSE, "unknown section [%s]", section);
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

/* Line `line` (1-based) of text is "[name" without its ']': copy "[name" into out. */
static bool unclosed_header(const char *text, int line, char *out, size_t size)
{
	const char *p = text;
	for (int i = 1; i < line && p; i++) {
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	if (!p)
		return false;
	p += strspn(p, " \t");
	size_t len = strcspn(p, "\r\n");
	while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t'))
		len--;
	if (len == 0 || *p != '[' || memchr(p, ']', len))
		return false;
	snprintf(out, size, "%.*s", (int)len, p);
	return true;
}

static int load(struct pb_config *cfg, const char *text, const char *name, bool is_default,
		struct pb_err *err)
{
	struct pb_err inner = PB_ERR_INIT;
	struct load_ctx ctx = {cfg, &inner, is_default, false};
	enum config_source was = cfg->setting;
	cfg->setting = is_default ? CFG_SRC_DEFAULT : CFG_SRC_FILE;
	int line = ini_parse_string(text, on_ini_entry, &ctx);
	cfg->setting = was;
	if (line == 0)
		return 0;
	char header[64];
	if (unclosed_header(text, line, header, sizeof(header)))
		pb_err_set(err, PB_ERR_PARSE, "config '%s' line %d: section header '%s' is not closed: "
			   "a ']' is missing", name, line, header);
	else if (pb_err_is_set(&inner))
		pb_err_set(err, PB_ERR_PARSE, "config '%s' line %d: %s", name, line, inner.msg);
	else
		pb_err_set(err, PB_ERR_PARSE, "config '%s' line %d: not valid INI", name, line);
	pb_err_hint(err, "'paperboy config' prints every setting with its section and key");
	return PB_ERR_PARSE;
}

void config_init(struct pb_config *cfg)
{
	/* Every default is written once, in data/paperboy.ini. */
	memset(cfg, 0, sizeof(*cfg));
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
	clear_deliveries(cfg);
	free(cfg->alerts_push);
	free(cfg->llm_url);
	free(cfg->llm_model);
	free(cfg->glossary);
	free(cfg->voice);
	free(cfg->tts_url);
	free(cfg->tts_model);
	free(cfg->tts_voice);
	free(cfg->speak_content);
	free(cfg->languages);
	free(cfg->brand);
	free(cfg->site_base_url);
	free(cfg->site_dir);
	free(cfg->feed_base_url);
	free(cfg->feed_title);
	free(cfg->feed_author);
	free(cfg->feed_email);
	free(cfg->feed_category);
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
	enum config_source was = cfg->setting;
	cfg->setting = CFG_SRC_ENV;
	int rc = 0;
	for (size_t i = 0; i < PB_ARRAY_LEN(keys) && !rc; i++) {
		const char *v = keys[i].env ? get(keys[i].env) : NULL;
		struct pb_err inner = PB_ERR_INIT;
		if (v && *v && set_key(cfg, &keys[i], v, &inner))
			rc = pb_err_set(err, PB_ERR_USAGE, "%s: %s", keys[i].env, inner.msg);
	}
	cfg->setting = was;
	return rc;
}
