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

const char *const cli_key_vars[] = {"PAPERBOY_LLM_KEY", "DEEPSEEK_API_KEY", "OPENAI_API_KEY", NULL};

/* The CLI's own options; every setting's flag comes from the config key table (config.h). */
enum {
	LONG_DATE = 256,
	LONG_CONFIG,
	LONG_FORCE,
	LONG_NO_TRANSLATE,
	LONG_DAYS,
	LONG_TOP,
	LONG_SCRIPT_ONLY,
	LONG_NO_AUDIO,
	LONG_FROM,
	LONG_TO,
	LONG_SERVE,
	LONG_ONLY,
	LONG_RESEND,
	LONG_DRY_RUN,
	LONG_KEY_BASE = 512 /* + index into the config key table */
};

struct cli_option {
	const char *name;
	int has_arg;
	int id;
	unsigned opt; /* the command's OPT_* bit that admits it */
};

static const struct cli_option own_options[] = {
	{"date", required_argument, LONG_DATE, OPT_DATE},
	{"config", required_argument, LONG_CONFIG, OPT_CONFIG},
	{"force", no_argument, LONG_FORCE, OPT_LLM},
	{"no-translate", no_argument, LONG_NO_TRANSLATE, OPT_NO_TRANSLATE},
	{"days", required_argument, LONG_DAYS, OPT_DAYS},
	{"top", required_argument, LONG_TOP, OPT_WINDOW},
	{"script-only", no_argument, LONG_SCRIPT_ONLY, OPT_SCRIPT_ONLY},
	{"no-audio", no_argument, LONG_NO_AUDIO, OPT_NO_AUDIO},
	{"from", required_argument, LONG_FROM, OPT_RANGE},
	{"to", required_argument, LONG_TO, OPT_RANGE},
	{"serve", no_argument, LONG_SERVE, OPT_SERVE},
	{"only", required_argument, LONG_ONLY, OPT_SEND},
	{"resend", no_argument, LONG_RESEND, OPT_SEND},
	{"dry-run", no_argument, LONG_DRY_RUN, OPT_SEND},
};

/* Every long option: the CLI's own, one per flagged config key, and -q -v -h. */
static struct option *long_options_new(void)
{
	size_t n_keys;
	const struct config_key *keys = config_keys(&n_keys);
	struct option *o = xcalloc(PB_ARRAY_LEN(own_options) + n_keys + 4, sizeof(*o));
	size_t n = 0;
	for (size_t i = 0; i < PB_ARRAY_LEN(own_options); i++)
		o[n++] = (struct option){own_options[i].name, own_options[i].has_arg, NULL,
					 own_options[i].id};
	for (size_t i = 0; i < n_keys; i++)
		if (keys[i].flag)
			o[n++] = (struct option){keys[i].flag, required_argument, NULL,
						 LONG_KEY_BASE + (int)i};
	o[n++] = (struct option){"quiet", no_argument, NULL, 'q'};
	o[n++] = (struct option){"verbose", no_argument, NULL, 'v'};
	o[n++] = (struct option){"help", no_argument, NULL, 'h'};
	return o;
}

/* Which OPT_* bit admits option id (0: every command). */
static unsigned flag_of(int id)
{
	if (id >= LONG_KEY_BASE) {
		size_t n_keys;
		const struct config_key *keys = config_keys(&n_keys);
		return cli_group_opt(&keys[id - LONG_KEY_BASE]);
	}
	for (size_t i = 0; i < PB_ARRAY_LEN(own_options); i++)
		if (own_options[i].id == id)
			return own_options[i].opt;
	return 0;
}

static void stderr_sink(void *userdata, enum pb_log_level level, const char *line)
{
	(void)userdata;
	const char *prefix = level == PB_LOG_ERROR ? "error: " : level == PB_LOG_WARN ? "warning: " : "";
	fprintf(stderr, "paperboy: %s%s\n", prefix, line);
}

const char *cli_getenv(const char *name)
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

struct key_flag {
	const struct config_key *key;
	const char *value;
};

static int parse_options(const struct command *cmd, int argc, char **argv, struct command_ctx *ctx,
			 const struct option *long_options, struct key_flag *given, size_t *n_given,
			 const char **date, const char **config)
{
	size_t n_keys;
	const struct config_key *keys = config_keys(&n_keys);
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
		if (opt >= LONG_KEY_BASE) {
			/* Applied after the config file and the environment. */
			given[(*n_given)++] = (struct key_flag){&keys[opt - LONG_KEY_BASE], optarg};
			continue;
		}
		switch (opt) {
		case LONG_DATE: *date = optarg; break;
		case LONG_CONFIG: *config = optarg; break;
		case LONG_FORCE: ctx->force = true; break;
		case LONG_SCRIPT_ONLY: ctx->script_only = true; break;
		case LONG_NO_AUDIO: ctx->no_audio = true; break;
		case LONG_NO_TRANSLATE: ctx->no_translate = true; break;
		case LONG_SERVE: ctx->serve = true; break;
		case LONG_ONLY: ctx->send.only = optarg; break;
		case LONG_RESEND: ctx->send.resend = true; break;
		case LONG_DRY_RUN: ctx->send.dry_run = true; break;
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
			ctx->days_given |= opt == LONG_DAYS;
			break;
		}
		case 'q': ctx->log.level = PB_LOG_ERROR; break;
		case 'v': ctx->log.level = PB_LOG_DEBUG; break;
		case 'h':
			cli_print_usage(cmd, stdout);
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
	return EXIT_OK;
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

	size_t n_keys;
	config_keys(&n_keys);
	struct option *long_options = long_options_new();
	struct key_flag *given = xcalloc((size_t)argc + 1, sizeof(*given));
	size_t n_given = 0;
	const char *date = NULL, *config = NULL;
	int rc = parse_options(cmd, argc, argv, ctx, long_options, given, &n_given, &date, &config);
	free(long_options);
	if (rc) {
		free(given);
		return rc;
	}

	/* Precedence: flags > environment > config file > defaults. */
	struct pb_err err = PB_ERR_INIT;
	if ((config && config_load_file(&ctx->config, config, &err)) ||
	    config_apply_env(&ctx->config, cli_getenv, &err)) {
		free(given);
		return cli_fail(ctx, &err);
	}
	ctx->config_path = config;
	ctx->config.setting = CFG_SRC_FLAG;
	for (size_t i = 0; i < n_given; i++) {
		const struct config_key *k = given[i].key;
		if (config_set(&ctx->config, k->section, k->key, given[i].value, &err)) {
			fprintf(stderr, "paperboy: %s: --%s: %s\n", cmd->name, k->flag, err.msg);
			free(given);
			return EXIT_USAGE;
		}
	}
	free(given);
	/* The key comes from the environment only, and is never echoed anywhere. */
	for (size_t i = 0; cli_key_vars[i] && !ctx->api_key; i++) {
		const char *v = getenv(cli_key_vars[i]);
		if (v && *v) {
			ctx->api_key = v;
			ctx->key_source = cli_key_vars[i];
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
	/* Refused here, not at open: a command must not fetch or pay first and then find
	 * that its archive would keep nothing (":memory:", a "file:" URI). */
	if (archive_check_path(ctx->db_path, &err))
		return cli_fail(ctx, &err);
	ctx->run.log = &ctx->log;
	ctx->run.layout = &ctx->layout;
	ctx->run.stop = cli_stop_flag();
	ctx->send.getenv = cli_getenv;
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

int cli_open_archive(struct command_ctx *ctx, bool create, struct archive **out)
{
	struct pb_err err = PB_ERR_INIT;
	/* Commands that only read a day fail without an archive, instead of leaving an empty one. */
	if (!create && !fs_is_file(ctx->db_path)) {
		pb_err_set(&err, PB_ERR, "no archive at '%s'", ctx->db_path);
		pb_err_hint(&err, "run 'paperboy fetch --date %s' or 'paperboy import DIR' first, or "
				  "point --out (or --db) at an existing archive", ctx->date);
		return cli_fail(ctx, &err);
	}
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
