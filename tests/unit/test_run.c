/* Unit tests for core/run: the interruptible sleep and the deadline. */
#include "core/common.h"

#include "core/run.h"
#include "harness.h"

#include <pthread.h>
#include <string.h>
#include <time.h>

static volatile sig_atomic_t flag;

static void *raise_later(void *arg)
{
	(void)arg;
	struct timespec ts = {0, 100 * 1000000L};
	nanosleep(&ts, NULL);
	flag = SIGINT;
	return NULL;
}

int main(void)
{
	/* A sleep without a stop sleeps its time. */
	double t = pb_monotonic_s();
	CHECK_INT(pb_sleep_ms(NULL, 120), 0);
	CHECK(pb_monotonic_s() - t >= 0.11);
	/* A stop set during the sleep ends it within a slice, not after the whole wait. */
	pthread_t th;
	pthread_create(&th, NULL, raise_later, NULL);
	t = pb_monotonic_s();
	CHECK_INT(pb_sleep_ms(&flag, 10000), -1);
	double waited = pb_monotonic_s() - t;
	pthread_join(th, NULL);
	CHECK(waited >= 0.09 && waited < 0.5);
	/* Once set, no sleep starts. */
	CHECK_INT(pb_sleep_ms(&flag, 1000), -1);

	struct pb_run run;
	memset(&run, 0, sizeof(run));
	CHECK(!pb_run_stopped(&run));
	CHECK(!pb_run_stopped(NULL));
	run.stop = &flag;
	CHECK(pb_run_stopped(&run));
	CHECK(!pb_run_past_deadline(&run)); /* no deadline */
	run.deadline = pb_monotonic_s() - 1;
	CHECK(pb_run_past_deadline(&run));
	run.deadline = pb_monotonic_s() + 60;
	CHECK(!pb_run_past_deadline(&run));
	return test_report("test_run");
}
