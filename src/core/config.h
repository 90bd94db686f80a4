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

#include <stddef.h>

struct pb_channel {
	char *label; /* "GitHub" */
	char *text;  /* link text */
	char *url;
};

/* Price of a model per million tokens (USD). */
struct pb_price {
	char *model;
	double input, output;
	bool per_char; /* a speech model ("tts-1 = 15"): input is USD per million characters */
};

/* Where a setting's value came from, in rising precedence. */
enum config_source {
	CFG_SRC_DEFAULT, /* the shipped data/paperboy.ini */
	CFG_SRC_FILE,    /* --config FILE */
	CFG_SRC_ENV,     /* a PAPERBOY_* variable */
	CFG_SRC_FLAG     /* a command-line flag */
};

#define CONFIG_MAX_KEYS 64

struct pb_config;

/*
 * A delivery setting: its value from the file, or the environment variable
 * the file names with KEY_env = VARIABLE (read when the variable is set).
 * Either may be NULL.
 */
struct pb_setting {
	char *value;
	char *env;
};

/* The keys of a delivery section, each a setting; which ones a section takes is in config.c. */
enum delivery_key {
	DK_TYPE,        /* [push.NAME]: feishu | dingtalk | wecom | slack | discord | telegram */
	DK_URL,         /* the webhook, or the SMTP server */
	DK_SECRET,      /* a signing secret */
	DK_API_URL,     /* Telegram */
	DK_TOKEN,       /* Telegram */
	DK_CHAT_ID,     /* Telegram */
	DK_FROM,        /* [mail] */
	DK_TO,
	DK_TO_FILE,
	DK_USER,
	DK_PASSWORD,
	DK_UNSUBSCRIBE,
	DK_LIST_ID,
	DK_LANG,        /* the edition delivered: zh-CN (default) or zh-TW */
	DK_CA_FILE,     /* [mail]: a CA bundle for a relay with a private certificate */
	DK_COUNT
};

/* One delivery channel: [mail] (name "mail") or [push.NAME]. */
struct pb_delivery {
	char *name;
	bool is_mail;
	struct pb_setting keys[DK_COUNT];
};

/* "url", "secret", ... */
const char *config_delivery_key_name(enum delivery_key k);
/* Does this key hold a secret (never printed, logged or archived)? */
bool config_delivery_key_is_secret(const struct pb_delivery *d, enum delivery_key k);
/* The channel named name, or NULL. */
const struct pb_delivery *config_delivery_find(const struct pb_config *cfg, const char *name);

struct pb_config {
	/* Who sets values now (the loaders set it; the CLI sets CFG_SRC_FLAG before flags),
	 * and who set each key of the key table last, by its index there. */
	enum config_source setting;
	unsigned char source[CONFIG_MAX_KEYS];

	char *hf_url;
	char *out_dir;
	char *db_path; /* NULL: OUT/paperboy.db */
	long http_timeout_s;
	long http_retries;
	long connect_timeout_s;   /* every HTTP request, LLM and TTS too */
	long stall_timeout_s;     /* a fetch that moves no byte this long fails; 0: never */
	long request_deadline_s;  /* one fetch request, retries included; 0: none */
	struct pb_channel *channels;
	size_t n_channels, cap_channels;

	/* [llm] */
	char *llm_url;
	char *llm_model;
	long llm_jobs;
	double llm_rpm;
	long llm_timeout_s;
	long llm_tries;
	double llm_deadline_s;
	char *glossary;           /* NULL: the shipped one */
	long long budget_tokens;  /* 0: none */
	double budget_usd;        /* 0: none */
	struct pb_price *prices;  /* [prices] */
	size_t n_prices, cap_prices;

	/* [speak] */
	char *voice;              /* espeak-ng voice for Chinese, "cmn-latn-pinyin" */
	long speak_rate;          /* words per minute; 0: the voice's default */
	long kbps;
	char *tts_url;            /* NULL: espeak-ng offline */
	char *tts_model;
	char *tts_voice;
	long tts_jobs;
	double tts_speed;
	char *speak_content;      /* "brief" or "full" */

	/* [edition] */
	char *languages;          /* "zh-CN, zh-TW": the editions `run` makes; NULL: zh-CN */
	char *brand;              /* "由 {brand} 生成" on the poster and the page; the feed's author */

	/* [site] */
	char *site_base_url;      /* where the site is published; NULL: no URL on the poster, no sitemap */
	char *site_dir;           /* where `run` builds the site; NULL: it builds none */
	long site_port;           /* `site --serve` listens on 127.0.0.1:PORT (0: any free port) */

	/* [feed] */
	char *feed_base_url;      /* where OUT is published; NULL: no feed */
	char *feed_title;
	char *feed_author;
	char *feed_email;         /* itunes:owner's e-mail; NULL: none */
	char *feed_category;      /* itunes:category */

	/* [mail] and [push.NAME]: the channels `send` delivers to, in file order */
	struct pb_delivery *deliveries;
	size_t n_deliveries, cap_deliveries;
	char *alerts_push;        /* [alerts] push: the channel alerts go to; NULL: none */
	long health_max_age_h;    /* [health] max_age_hours: a weekday edition older than this is stale */
};

/* How a key's value is checked and stored. */
enum key_type {
	KEY_STRING,       /* any text */
	KEY_NONEMPTY,     /* text, not empty */
	KEY_OPTIONAL,     /* text; empty means NULL (unset) */
	KEY_URL,          /* an http(s) URL */
	KEY_OPTIONAL_URL, /* an http(s) URL, or empty for NULL */
	KEY_LONG,         /* an integer in min..max */
	KEY_DOUBLE,       /* a number in min..max */
	KEY_CHOICE,       /* one of the words of arg, "brief|full" */
	KEY_BUDGET        /* tokens or money (parse_budget) */
};

/* Which commands offer a key's flag: the CLI shows each group's flags under the commands that take it. */
enum config_group {
	CFG_GROUP_NONE,  /* a flag every command that writes takes (--out, --db), or no flag */
	CFG_GROUP_HF,    /* where papers come from */
	CFG_GROUP_NET,   /* timeouts and retries */
	CFG_GROUP_LLM,   /* the translation */
	CFG_GROUP_SPEAK, /* the broadcast */
	CFG_GROUP_LANG,  /* the editions */
	CFG_GROUP_SITE,  /* where the static site is built */
	CFG_GROUP_SERVE  /* the site's local preview */
};

/*
 * One setting: the INI section and key, the flag (--flag, NULL: none) and
 * environment variable (NULL: none) that override it, its check, and its
 * --help line. Precedence: flag > environment > --config file > the
 * shipped data/paperboy.ini, which holds every default.
 */
struct config_key {
	const char *section, *key;
	enum key_type type;
	size_t offset;      /* of the field in struct pb_config */
	double min, max;    /* KEY_LONG, KEY_DOUBLE */
	const char *flag;
	const char *env;
	enum config_group group;
	const char *arg;    /* the flag's argument in --help: "URL", "N" */
	const char *help;   /* may hold "\n" for a second line */
};

const struct config_key *config_keys(size_t *n);

/* The feeds' author: [feed] author, or [edition] brand when that is empty. */
const char *config_feed_author(const struct pb_config *cfg);
/* "default", "file", "env", "flag". */
const char *config_source_name(enum config_source s);
/* Where the key's current value came from. */
enum config_source config_key_source(const struct pb_config *cfg, const struct config_key *k);
const struct config_key *config_key_find(const char *section, const char *key);
/* The key's current value as text (for --help's defaults). */
int config_format_value(const struct pb_config *cfg, const struct config_key *k, char *out,
			size_t size);

/* "200000", "200k", "1.5m" (tokens) or "$0.50", "0.5usd" (money); "" or "0" for none. */
int parse_budget(const char *text, long long *tokens, double *usd, struct pb_err *err);
/* The price of a model, or NULL. */
const struct pb_price *config_price(const struct pb_config *cfg, const char *model);

typedef const char *pb_getenv_fn(const char *name);

void config_init(struct pb_config *cfg);
void config_release(struct pb_config *cfg);
int config_load_file(struct pb_config *cfg, const char *path, struct pb_err *err);
/* Parse INI text (name is used in messages). */
int config_load_string(struct pb_config *cfg, const char *text, const char *name,
		       struct pb_err *err);
int config_apply_env(struct pb_config *cfg, pb_getenv_fn *get, struct pb_err *err);

/*
 * The value of a delivery setting: its KEY_env variable's (through get) when
 * the file names one, else the file's; NULL when neither is set. With a
 * variable named but unset or empty, PB_ERR_USAGE naming the section, key and
 * variable (never a value).
 */
int config_delivery_value(const struct pb_delivery *d, enum delivery_key k, pb_getenv_fn *get,
			  const char **out, struct pb_err *err);
/* Set one "section.key" (as from a file); used by the loaders and by tests. */
int config_set(struct pb_config *cfg, const char *section, const char *key, const char *value,
	       struct pb_err *err);

#endif
