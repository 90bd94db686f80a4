/*
 * translate_cmd.h - the CLI side of the translate stage, shared by
 * `translate`, `run` and `demo`: options from the config, the key from the
 * environment, progress on a TTY (plain lines otherwise), SIGINT/SIGTERM.
 */
#ifndef PB_TRANSLATE_CMD_H
#define PB_TRANSLATE_CMD_H

#include "cli/cli.h"
#include "pipeline/pipeline.h"

/* Stop cleanly on SIGINT/SIGTERM: paid answers stay, the exit status is 130. */
void cli_catch_signals(void);
bool cli_interrupted(void);
/* The flag SIGINT/SIGTERM set, for library stages that poll it. */
const volatile sig_atomic_t *cli_stop_flag(void);
/* EXIT_OK when there is a key or the LLM is local; else print what to set and EXIT_USAGE. */
int cli_check_llm_key(const struct command_ctx *ctx);
/* Run the stage and print warnings; *partial is set when papers failed or were left. */
int cli_translate(struct command_ctx *ctx, struct pipeline *p, struct translate_report *report,
		  bool *partial);

#endif
