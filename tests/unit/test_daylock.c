/* Unit tests for pipeline/daylock: one writer per archive and day. */
#include "core/common.h"

#include "pipeline/daylock.h"
#include "harness.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t flag;

static void *stop_later(void *arg)
{
	(void)arg;
	struct timespec ts = {0, 300 * 1000000L};
	nanosleep(&ts, NULL);
	flag = SIGINT;
	return NULL;
}

struct captured {
	char text[1024];
	int lines;
};

static void capture(void *userdata, enum pb_log_level level, const char *line)
{
	(void)level;
	struct captured *c = userdata;
	c->lines++;
	strncat(c->text, line, sizeof(c->text) - strlen(c->text) - 1);
}

int main(void)
{
	char dir[] = "/tmp/pbtest-daylock-XXXXXX";
	if (!mkdtemp(dir))
		return 1;
	char *db = xasprintf("%s/paperboy.db", dir);
	char *lockfile = xasprintf("%s.lock", db);
	struct captured log_text = {"", 0};
	const struct pb_log log = {PB_LOG_INFO, capture, &log_text};
	struct pb_run run = {.log = &log, .stop = &flag};
	struct pb_err err = PB_ERR_INIT;

	/* The first taker gets the day at once, silently. */
	struct day_lock a = DAY_LOCK_INIT, again = DAY_LOCK_INIT, other = DAY_LOCK_INIT;
	CHECK_INT(day_lock_take(db, "2026-01-05", &run, &a, &err), 0);
	CHECK(a.fd >= 0);
	CHECK_INT(log_text.lines, 0);
	CHECK(access(lockfile, F_OK) == 0);

	/* Another day of the same archive is not held up (a backfill locks one day at a time). */
	CHECK_INT(day_lock_take(db, "2026-01-06", &run, &other, &err), 0);
	day_lock_release(&other);
	CHECK_INT(other.fd, -1);

	/* A second taker of the same day waits (an open file of its own excludes it, as
	 * another process would be), says so once, and ends on the stop flag. */
	pthread_t th;
	pthread_create(&th, NULL, stop_later, NULL);
	double t = pb_monotonic_s();
	CHECK_INT(day_lock_take(db, "2026-01-05", &run, &again, &err), PB_ERR_STOPPED);
	double waited = pb_monotonic_s() - t;
	pthread_join(th, NULL);
	CHECK(waited >= 0.25 && waited < 2.0);
	CHECK_INT(again.fd, -1);
	CHECK_INT(log_text.lines, 1);
	char *want = xasprintf("waiting for another paperboy on %s 2026-01-05", db);
	CHECK_CONTAINS(log_text.text, want);
	free(want);
	CHECK_CONTAINS(err.msg, "stopped while waiting");
	flag = 0;

	/* The deadline ends a wait too, with an error that says why. */
	err = (struct pb_err)PB_ERR_INIT;
	run.deadline = pb_monotonic_s() + 0.2;
	CHECK_INT(day_lock_take(db, "2026-01-05", &run, &again, &err), PB_ERR_IO);
	CHECK_CONTAINS(err.msg, "deadline");
	run.deadline = 0;

	/* Released, the day is free again. */
	day_lock_release(&a);
	day_lock_release(&a); /* twice is harmless */
	err = (struct pb_err)PB_ERR_INIT;
	CHECK_INT(day_lock_take(db, "2026-01-05", &run, &again, &err), 0);
	day_lock_release(&again);

	/* A symlink planted as the lock file is not followed. */
	char *db2 = xasprintf("%s/other.db", dir);
	char *lock2 = xasprintf("%s.lock", db2);
	char *target = xasprintf("%s/target", dir);
	CHECK(symlink(target, lock2) == 0);
	err = (struct pb_err)PB_ERR_INIT;
	CHECK_INT(day_lock_take(db2, "2026-01-05", &run, &again, &err), PB_ERR_IO);
	CHECK_CONTAINS(err.hint, "symbolic link");
	CHECK(access(target, F_OK) != 0);

	/* A date that is not one is refused before anything is created. */
	err = (struct pb_err)PB_ERR_INIT;
	CHECK(day_lock_take(db, "2026-13-01", &run, &again, &err) != 0);
	CHECK_INT(again.fd, -1);

	unlink(lock2);
	unlink(lockfile);
	rmdir(dir);
	free(db);
	free(lockfile);
	free(db2);
	free(lock2);
	free(target);
	return test_report("test_daylock");
}
