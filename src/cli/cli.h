/*
 * cli.h - the command-line layer: option parsing, help, exit codes.
 * Each cmd_*.c parses its options, calls the library, prints, and picks
 * the exit status; nothing here is used by the library.
 */
#ifndef PB_CLI_H
#define PB_CLI_H

#include "archive/archive.h"
#include "core/config.h"

#include <stdio.h>
#include "core/err.h"
#include "core/log.h"
#include "core/run.h"
#include "pipeline/pipeline.h"

/* Documented in `paperboy --help` and the README; never renumber. */
enum exit_code {
	EXIT_OK = 0,
	EXIT_ERROR = 1,
	EXIT_USAGE = 2,
	EXIT_PARTIAL = 3,
	EXIT_NO_PAPERS = 4,
	EXIT_INTERRUPTED = 130 /* SIGINT or SIGTERM: paid work was kept */
};

/* Which shared options a command accepts. */
enum opt_flags {
	OPT_DATE = 1 << 0,
	OPT_OUT = 1 << 1,
	OPT_DB = 1 << 2,
	OPT_HF_URL = 1 << 3,
	OPT_CONFIG = 1 << 4,
	OPT_NET = 1 << 5, /* --timeout, --retries */
	OPT_LLM = 1 << 6, /* --llm-url, --llm-model, --jobs, --rpm, --budget, --force, ... */
	OPT_NO_TRANSLATE = 1 << 7,
	OPT_WINDOW = 1 << 8, /* --days, --top */
	OPT_SPEAK = 1 << 9,  /* --voice, --rate, --tts-url, --tts-model, --tts-voice, --tts-jobs */
	OPT_SCRIPT_ONLY = 1 << 10,
	OPT_NO_AUDIO = 1 << 11,
	OPT_LANG = 1 << 12,  /* --lang zh-CN,zh-TW */
	OPT_RANGE = 1 << 13, /* --from, --to */
	OPT_SITE = 1 << 14,  /* --site-dir */
	OPT_SERVE = 1 << 15, /* --serve, --port */
	OPT_SEND = 1 << 16,  /* --only, --resend, --dry-run */
	OPT_DAYS = 1 << 17,  /* --days (stats: the window; health: the days looked at) */
};

struct command_ctx;

struct command {
	const char *name;
	const char *summary;
	const char *usage; /* full help text */
	unsigned opts;
	int min_args, max_args; /* positional arguments */
	const char *default_out; /* NULL: the config's default (.) */
	int (*run)(struct command_ctx *ctx);
};

struct command_ctx {
	const struct command *cmd;
	struct pb_config config;
	char date[11];
	bool date_given;
	char *db_path;
	const char *args[4];
	int n_args;
	struct pb_log log;
	bool force;          /* --force */
	bool no_translate;   /* --no-translate */
	bool no_audio;       /* --no-audio */
	bool script_only;    /* --script-only */
	bool serve;          /* site --serve */
	bool days_given;     /* --days on the command line */
	struct send_options send; /* --only, --resend, --dry-run: what the send stage gets */
	long window_days;    /* --days */
	long top;            /* --top */
	const char *config_path; /* --config FILE, or NULL */
	const char *api_key; /* from the environment; never printed */
	const char *key_source;
	char from[11], to[11]; /* --from, --to */
	struct layout layout;  /* the output layout, under config.out_dir */
	struct pb_run run;     /* what every stage gets: log, layout, stop flag */
};

/* Parse argv for cmd into ctx (config loaded, env and flags applied). Returns an exit code
 * (EXIT_OK to go on; -1 after printing help, meaning "exit 0 now"). */
int cli_parse(const struct command *cmd, int argc, char **argv, struct command_ctx *ctx);
void cli_ctx_release(struct command_ctx *ctx);

/* Print "paperboy: <cmd>: <msg>" and the hint, and map the error to an exit code. */
int cli_fail(const struct command_ctx *ctx, const struct pb_err *err);
/* Create OUT and open the archive; on failure prints and returns the exit code. */
int cli_open_archive(struct command_ctx *ctx, bool create, struct archive **out);
/* "2025-12-26 (today in Asia/Shanghai)" or "2025-12-26". */
void cli_describe_date(const struct command_ctx *ctx, char *out, size_t size);

int cmd_fetch(struct command_ctx *ctx);
int cmd_translate(struct command_ctx *ctx);
int cmd_render(struct command_ctx *ctx);
int cmd_run(struct command_ctx *ctx);
int cmd_import(struct command_ctx *ctx);
int cmd_demo(struct command_ctx *ctx);
int cmd_stats(struct command_ctx *ctx);
int cmd_speak(struct command_ctx *ctx);
int cmd_backfill(struct command_ctx *ctx);
int cmd_config(struct command_ctx *ctx);
int cmd_site(struct command_ctx *ctx);
int cmd_send(struct command_ctx *ctx);
int cmd_health(struct command_ctx *ctx);

/* The variables the LLM (and speech) key is read from, in order; NULL-terminated. */
extern const char *const cli_key_vars[];
/* "did you mean": the command nearest to a mistyped name, or NULL. */
const char *cli_suggest_command(const char *name);

/* SIGINT/SIGTERM set the run's stop flag; a second signal exits at once with 130. */
void cli_catch_signals(void);
const volatile sig_atomic_t *cli_stop_flag(void);

/* Is every configured channel usable (before anything is fetched or paid for)? */
int cli_check_channels(struct command_ctx *ctx);
/* getenv, for the library's KEY_env settings. */
const char *cli_getenv(const char *name);

/* Pipeline options for the command: the config, the key, the languages, these stages. */
int cli_pipeline_options(struct command_ctx *ctx, unsigned stages, struct pipeline_options *o);
/* Print what a day wrote and said, and map its outcome to an exit code. */
int cli_day_exit(struct command_ctx *ctx, const struct day_report *r);

extern const struct command commands[];

/* Where a command's usage text has cli_print_usage put its options. */
#define OPTIONS_HERE "%OPTIONS%\n"

/* The command's help, its options generated from the config key table. */
void cli_print_usage(const struct command *cmd, FILE *f);
/* The OPT_* bit that admits a config key's flag. */
unsigned cli_group_opt(const struct config_key *k);

#endif
