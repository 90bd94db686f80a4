/* options.c - shared option parsing, config precedence, error printing. */
#include "core/common.h"

#include "cli/cli.h"
#include "core/date.h"
#include "core/fsutil.h"
#include "core/layout.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum {
	LONG_DATE = 256,
	LONG_OUT,
	LONG_DB,
	LONG_HF_URL,
	LONG_CONFIG,
	LONG_TIMEOUT,
	LONG_RETRIES,
	LONG_LLM_URL,
	LONG_LLM_MODEL,
	LONG_JOBS,
	LONG_RPM,
	LONG_LLM_TIMEOUT,
	LONG_TRIES,
	LONG_DEADLINE,
	LONG_GLOSSARY,
	LONG_BUDGET,
	LONG_FORCE,
	LONG_NO_TRANSLATE,
	LONG_DAYS,
	LONG_TOP,
	LONG_VOICE,
	LONG_RATE,
	LONG_TTS_URL,
	LONG_TTS_MODEL,
	LONG_TTS_VOICE,
	LONG_TTS_JOBS,
	LONG_SCRIPT_ONLY,
	LONG_NO_AUDIO,
	LONG_LANG,
	LONG_FROM,
	LONG_TO,
};

static const struct option long_options[] = {
	{"date", required_argument, NULL, LONG_DATE},
	{"out", required_argument, NULL, LONG_OUT},
	{"db", required_argument, NULL, LONG_DB},
	{"hf-url", required_argument, NULL, LONG_HF_URL},
	{"config", required_argument, NULL, LONG_CONFIG},
	{"timeout", required_argument, NULL, LONG_TIMEOUT},
	{"retries", required_argument, NULL, LONG_RETRIES},
	{"llm-url", required_argument, NULL, LONG_LLM_URL},
	{"llm-model", required_argument, NULL, LONG_LLM_MODEL},
	{"jobs", required_argument, NULL, LONG_JOBS},
	{"rpm", required_argument, NULL, LONG_RPM},
	{"llm-timeout", required_argument, NULL, LONG_LLM_TIMEOUT},
	{"tries", required_argument, NULL, LONG_TRIES},
	{"deadline", required_argument, NULL, LONG_DEADLINE},
	{"glossary", required_argument, NULL, LONG_GLOSSARY},
	{"budget", required_argument, NULL, LONG_BUDGET},
	{"force", no_argument, NULL, LONG_FORCE},
	{"no-translate", no_argument, NULL, LONG_NO_TRANSLATE},
	{"days", required_argument, NULL, LONG_DAYS},
	{"top", required_argument, NULL, LONG_TOP},
	{"voice", required_argument, NULL, LONG_VOICE},
	{"rate", required_argument, NULL, LONG_RATE},
	{"tts-url", required_argument, NULL, LONG_TTS_URL},
	{"tts-model", required_argument, NULL, LONG_TTS_MODEL},
	{"tts-voice", required_argument, NULL, LONG_TTS_VOICE},
	{"tts-jobs", required_argument, NULL, LONG_TTS_JOBS},
	{"script-only", no_argument, NULL, LONG_SCRIPT_ONLY},
	{"no-audio", no_argument, NULL, LONG_NO_AUDIO},
	{"lang", required_argument, NULL, LONG_LANG},
	{"from", required_argument, NULL, LONG_FROM},
	{"to", required_argument, NULL, LONG_TO},
	{"quiet", no_argument, NULL, 'q'},
	{"verbose", no_argument, NULL, 'v'},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

static void stderr_sink(void *userdata, enum pb_log_level level, const char *line)
{
	(void)userdata;
	const char *prefix = level == PB_LOG_ERROR ? "error: " : level == PB_LOG_WARN ? "warning: " : "";
	fprintf(stderr, "paperboy: %s%s\n", prefix, line);
}

static const char *env_get(const char *name)
{
	return getenv(name);
}

static int usage_error(const struct command *cmd, const char *what, const char *arg)
{
	fprintf(stderr, "paperboy: %s: %s%s%s%s\n", cmd->name, what, arg ? " '" : "", arg ? arg : "",
		arg ? "'" : "");
	fprintf(stderr, "Try 'paperboy %s --help'.\n", cmd->name);
	return EXIT_USAGE;
}

/* Which flag each option is, for rejecting options a command does not take. */
static unsigned flag_of(int opt)
{
	switch (opt) {
	case LONG_DATE: return OPT_DATE;
	case LONG_OUT: return OPT_OUT;
	case LONG_DB: return OPT_DB;
	case LONG_HF_URL: return OPT_HF_URL;
	case LONG_CONFIG: return OPT_CONFIG;
	case LONG_TIMEOUT:
	case LONG_RETRIES: return OPT_NET;
	case LONG_NO_TRANSLATE: return OPT_NO_TRANSLATE;
	case LONG_DAYS:
	case LONG_TOP: return OPT_WINDOW;
	case LONG_VOICE:
	case LONG_RATE:
	case LONG_TTS_URL:
	case LONG_TTS_MODEL:
	case LONG_TTS_VOICE:
	case LONG_TTS_JOBS: return OPT_SPEAK;
	case LONG_SCRIPT_ONLY: return OPT_SCRIPT_ONLY;
	case LONG_NO_AUDIO: return OPT_NO_AUDIO;
	case LONG_LANG: return OPT_LANG;
	case LONG_FROM:
	case LONG_TO: return OPT_RANGE;
	case LONG_LLM_URL:
	case LONG_LLM_MODEL:
	case LONG_JOBS:
	case LONG_RPM:
	case LONG_LLM_TIMEOUT:
	case LONG_TRIES:
	case LONG_DEADLINE:
	case LONG_GLOSSARY:
	case LONG_BUDGET:
	case LONG_FORCE: return OPT_LLM;
	default: return 0;
	}
}

int cli_parse(const struct command *cmd, int argc, char **argv, struct command_ctx *ctx)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->cmd = cmd;
	ctx->log.level = PB_LOG_INFO;
	ctx->window_days = 30;
	ctx->top = 30;
	ctx->log.sink = stderr_sink;
	config_init(&ctx->config);
	if (cmd->default_out) {
		free(ctx->config.out_dir);
		ctx->config.out_dir = xstrdup(cmd->default_out);
	}

	const char *date = NULL, *out = NULL, *db = NULL, *hf_url = NULL, *config = NULL;
	const char *timeout = NULL, *retries = NULL;
	/* [llm] settings given as flags, applied after the config file and environment. */
	const char *llm_flags[9] = {0};
	static const char *const llm_keys[9] = {"url", "model", "jobs", "rpm", "timeout",
						"tries", "deadline", "glossary", "budget"};
	const char *speak_flags[6] = {0};
	static const char *const speak_keys[6] = {"voice", "rate", "tts_url", "tts_model", "tts_voice",
						  "tts_jobs"};
	static const char *const speak_flag_names[6] = {"voice", "rate", "tts-url", "tts-model",
							"tts-voice", "tts-jobs"};
	static const char *const llm_flag_names[9] = {"llm-url", "llm-model", "jobs", "rpm",
						      "llm-timeout", "tries", "deadline", "glossary",
						      "budget"};
	optind = 1;
	opterr = 0;
	int opt, index = -1;
	while ((opt = getopt_long(argc, argv, ":qvh", long_options, &index)) != -1) {
		unsigned flag = flag_of(opt);
		if (flag && !(cmd->opts & flag)) {
			char name[64];
			snprintf(name, sizeof(name), "--%s", index >= 0 ? long_options[index].name : "?");
			return usage_error(cmd, "this command does not take option", name);
		}
		index = -1;
		switch (opt) {
		case LONG_DATE: date = optarg; break;
		case LONG_OUT: out = optarg; break;
		case LONG_DB: db = optarg; break;
		case LONG_HF_URL: hf_url = optarg; break;
		case LONG_CONFIG: config = optarg; break;
		case LONG_TIMEOUT: timeout = optarg; break;
		case LONG_RETRIES: retries = optarg; break;
		case LONG_LLM_URL:
		case LONG_LLM_MODEL:
		case LONG_JOBS:
		case LONG_RPM:
		case LONG_LLM_TIMEOUT:
		case LONG_TRIES:
		case LONG_DEADLINE:
		case LONG_GLOSSARY:
		case LONG_BUDGET: llm_flags[opt - LONG_LLM_URL] = optarg; break;
		case LONG_FORCE: ctx->force = true; break;
		case LONG_VOICE:
		case LONG_RATE:
		case LONG_TTS_URL:
		case LONG_TTS_MODEL:
		case LONG_TTS_VOICE:
		case LONG_TTS_JOBS: speak_flags[opt - LONG_VOICE] = optarg; break;
		case LONG_SCRIPT_ONLY: ctx->script_only = true; break;
		case LONG_NO_AUDIO: ctx->no_audio = true; break;
		case LONG_NO_TRANSLATE: ctx->no_translate = true; break;
		case LONG_LANG: ctx->langs = optarg; break;
		case LONG_FROM:
		case LONG_TO: {
			struct pb_date d;
			struct pb_err derr = PB_ERR_INIT;
			if (date_parse(optarg, &d, &derr)) {
				fprintf(stderr, "paperboy: %s: --%s: %s\n", cmd->name,
					opt == LONG_FROM ? "from" : "to", derr.msg);
				return EXIT_USAGE;
			}
			date_format(&d, opt == LONG_FROM ? ctx->from : ctx->to);
			break;
		}
		case LONG_DAYS:
		case LONG_TOP: {
			char *end;
			long v = strtol(optarg, &end, 10);
			long max = opt == LONG_DAYS ? 3660 : 1000;
			if (*end || end == optarg || v < 1 || v > max) {
				fprintf(stderr, "paperboy: %s: --%s must be 1..%ld, got '%s'\n", cmd->name,
					opt == LONG_DAYS ? "days" : "top", max, optarg);
				return EXIT_USAGE;
			}
			*(opt == LONG_DAYS ? &ctx->window_days : &ctx->top) = v;
			break;
		}
		case 'q': ctx->log.level = PB_LOG_ERROR; break;
		case 'v': ctx->log.level = PB_LOG_DEBUG; break;
		case 'h':
			fputs(cmd->usage, stdout);
			return -1;
		case ':':
			return usage_error(cmd, "a value is needed for option", argv[optind - 1]);
		default:
			return usage_error(cmd, "unknown option", argv[optind - 1]);
		}
	}
	int n_args = argc - optind;
	if (n_args < cmd->min_args)
		return usage_error(cmd, "missing argument", NULL);
	if (n_args > cmd->max_args)
		return usage_error(cmd, "unexpected argument", argv[optind + cmd->max_args]);
	for (int i = 0; i < n_args; i++)
		ctx->args[ctx->n_args++] = argv[optind + i];

	/* Precedence: flags > environment > config file > defaults. */
	struct pb_err err = PB_ERR_INIT;
	if ((config && config_load_file(&ctx->config, config, &err)) ||
	    config_apply_env(&ctx->config, env_get, &err))
		return cli_fail(ctx, &err);
	const struct {
		const char *value, *key;
	} flags[] = {{out, "out"}, {db, "db"}, {hf_url, "hf_url"}, {timeout, "timeout"},
		     {retries, "retries"}};
	for (size_t i = 0; i < PB_ARRAY_LEN(flags); i++) {
		if (flags[i].value &&
		    config_set(&ctx->config, "paperboy", flags[i].key, flags[i].value, &err)) {
			fprintf(stderr, "paperboy: %s: --%s: %s\n", cmd->name, flags[i].key, err.msg);
			return EXIT_USAGE;
		}
	}
	for (size_t i = 0; i < PB_ARRAY_LEN(llm_keys); i++) {
		if (llm_flags[i] && config_set(&ctx->config, "llm", llm_keys[i], llm_flags[i], &err)) {
			fprintf(stderr, "paperboy: %s: --%s: %s\n", cmd->name, llm_flag_names[i], err.msg);
			return EXIT_USAGE;
		}
	}
	for (size_t i = 0; i < PB_ARRAY_LEN(speak_keys); i++) {
		if (speak_flags[i] && config_set(&ctx->config, "speak", speak_keys[i], speak_flags[i], &err)) {
			fprintf(stderr, "paperboy: %s: --%s: %s\n", cmd->name, speak_flag_names[i], err.msg);
			return EXIT_USAGE;
		}
	}
	/* The key comes from the environment only, and is never echoed anywhere. */
	static const char *const key_vars[] = {"PAPERBOY_LLM_KEY", "DEEPSEEK_API_KEY", "OPENAI_API_KEY"};
	for (size_t i = 0; i < PB_ARRAY_LEN(key_vars) && !ctx->api_key; i++) {
		const char *v = getenv(key_vars[i]);
		if (v && *v) {
			ctx->api_key = v;
			ctx->key_source = key_vars[i];
		}
	}

	if (date) {
		struct pb_date d;
		if (date_parse(date, &d, &err)) {
			cli_fail(ctx, &err);
			return EXIT_USAGE;
		}
		date_format(&d, ctx->date);
		ctx->date_given = true;
	} else {
		struct pb_date today;
		date_today(time(NULL), &today);
		date_format(&today, ctx->date);
	}
	ctx->layout.out_dir = ctx->config.out_dir;
	ctx->db_path = ctx->config.db_path ? xstrdup(ctx->config.db_path)
					   : layout_path(&ctx->layout, ART_ARCHIVE, NULL, NULL);
	ctx->run.log = &ctx->log;
	ctx->run.layout = &ctx->layout;
	ctx->run.stop = cli_stop_flag();
	return EXIT_OK;
}

void cli_ctx_release(struct command_ctx *ctx)
{
	config_release(&ctx->config);
	free(ctx->db_path);
}

int cli_fail(const struct command_ctx *ctx, const struct pb_err *err)
{
	fprintf(stderr, "paperboy: %s: %s\n", ctx->cmd->name, err->msg);
	if (err->hint[0])
		fprintf(stderr, "hint: %s\n", err->hint);
	switch (err->status) {
	case PB_ERR_USAGE: return EXIT_USAGE;
	case PB_ERR_NO_PAPERS: return EXIT_NO_PAPERS;
	case PB_ERR_STOPPED: return EXIT_INTERRUPTED;
	default: return EXIT_ERROR;
	}
}

int cli_open_archive(struct command_ctx *ctx, struct archive **out)
{
	struct pb_err err = PB_ERR_INIT;
	if (fs_mkdir_p(ctx->config.out_dir, &err) || fs_mkdir_parent(ctx->db_path, &err) ||
	    archive_open(ctx->db_path, out, &err))
		return cli_fail(ctx, &err);
	return EXIT_OK;
}

void cli_describe_date(const struct command_ctx *ctx, char *out, size_t size)
{
	if (ctx->date_given)
		snprintf(out, size, "%s", ctx->date);
	else
		snprintf(out, size, "%s (today in %s)", ctx->date, PB_TIMEZONE_NAME);
}
