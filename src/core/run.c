/* run.c - the run context's clock, deadline and interruptible sleep. */
#include "core/common.h"

#include "core/run.h"

#include <errno.h>
#include <time.h>

double pb_monotonic_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

bool pb_run_past_deadline(const struct pb_run *run)
{
	return run && run->deadline > 0 && pb_monotonic_s() >= run->deadline;
}

/* Short enough that a stop is seen well within the 2 s the CLI promises. */
#define SLEEP_SLICE_MS 50

int pb_sleep_ms(const volatile sig_atomic_t *stop, long ms)
{
	while (ms > 0) {
		if (stop && *stop)
			return -1;
		long slice = ms < SLEEP_SLICE_MS ? ms : SLEEP_SLICE_MS;
		struct timespec ts = {slice / 1000, (slice % 1000) * 1000000L};
		while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
			if (stop && *stop)
				return -1;
		ms -= slice;
	}
	return stop && *stop ? -1 : 0;
}
