/*
 * run.h - what one command run carries to every stage: the log, the output
 * layout, the stop flag and the command's deadline.
 *
 * The stop flag is the one piece of process-wide mutable state: the CLI's
 * SIGINT/SIGTERM handler sets it, and every wait in the library looks at it
 * (HTTP transfers and backoff sleeps, speech synthesis, MP3 encoding, the
 * loop over days). After a stop nothing new is started; answers already
 * paid for are awaited (bounded by their request timeout) and committed.
 *
 *     volatile sig_atomic_t stop = 0;            (set by a signal handler)
 *     struct layout lay = {.out_dir = "out"};
 *     struct pb_run run = {.log = &log, .layout = &lay, .stop = &stop};
 *     pipeline_run_day(..., &run, ...);
 */
#ifndef PB_RUN_H
#define PB_RUN_H

#include "core/common.h"
#include "core/layout.h"
#include "core/log.h"

#include <signal.h>

struct pb_run {
	const struct pb_log *log;
	const struct layout *layout;
	const volatile sig_atomic_t *stop; /* non-zero once a stop was asked for; NULL: never */
	double deadline;                   /* pb_monotonic_s() by which the command must end; 0: none */
};

/* Has a stop been asked for? (A NULL run or flag never stops.) */
static inline bool pb_run_stopped(const struct pb_run *run)
{
	return run && run->stop && *run->stop;
}

/* Seconds on CLOCK_MONOTONIC, for wall times and deadlines. */
double pb_monotonic_s(void);

/* Has the run's deadline passed? */
bool pb_run_past_deadline(const struct pb_run *run);

/*
 * Sleep for ms milliseconds in short slices, returning early (with -1) as
 * soon as the stop flag is set; 0 when the whole time was slept.
 */
int pb_sleep_ms(const volatile sig_atomic_t *stop, long ms);

#endif
