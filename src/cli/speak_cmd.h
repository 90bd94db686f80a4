/*
 * speak_cmd.h - the CLI side of the audio stage and the podcast feed, shared
 * by `speak`, `run` and `demo`. A failure to speak is a warning with its
 * reason: the edition renders without the audio link and the run is partial.
 */
#ifndef PB_SPEAK_CMD_H
#define PB_SPEAK_CMD_H

#include "cli/cli.h"
#include "pipeline/pipeline.h"
#include "pipeline/report.h"

/* Speak the day; *failed says whether it did not work (already reported). */
int cli_speak(struct command_ctx *ctx, struct pipeline *p, struct run_report *report, bool *failed);
/* Write the podcast feed when [feed] base_url is set; problems are warnings. */
void cli_feed(struct command_ctx *ctx, struct pipeline *p);

#endif
