/* progress.h - progress displays for long stages (the CLI's; the library only reports numbers). */
#ifndef PB_CLI_PROGRESS_H
#define PB_CLI_PROGRESS_H

#include "core/log.h"
#include "llm/llm.h"

struct cli_progress {
	bool tty;
	size_t last_reported;
	const struct pb_log *log;
};

void cli_progress_init(struct cli_progress *p, const struct pb_log *log);
/* A pipeline_options.on_translate_progress callback; userdata is a struct cli_progress. */
void cli_show_translate_progress(void *userdata, const struct llm_stats *s, size_t cached);

#endif
