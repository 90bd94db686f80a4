/*
 * daylock.h - one writer per archive and day, so two runs at once never pay twice.
 *
 * Cron overlapping a manual run once made both translate every paper: the
 * archive stayed consistent, but each paper was paid for twice. A run that
 * is about to pay for a day (translate, speak, send) first takes the day's
 * lock; a second run on the same archive and day waits for it, then finds
 * the answers stored and asks for none of them again.
 *
 *     struct day_lock l;
 *     if (day_lock_take(archive_path(a), "2025-12-26", run, &l, &err)) ...
 *     ... the stages that pay ...
 *     day_lock_release(&l);
 *
 * The lock is an open-file-description byte-range lock (F_OFD_SETLK) on one
 * byte, the day's number, of the file ARCHIVE.lock beside the archive:
 *   - the kernel drops it when the holder exits, kill -9 included, so a dead
 *     run never blocks the next one (claimed rows in the archive would need
 *     an expiry, and a guess at how long a day may take);
 *   - one file serves every day (a backfill takes one day at a time), rather
 *     than a lock file per day piling up beside the archive;
 *   - not the archive itself: SQLite's own POSIX locks on it would be
 *     dropped by any close of another descriptor for that file.
 * OFD locks, unlike classic fcntl locks, belong to the open file, so two
 * lock takers in one process exclude each other as two processes do.
 */
#ifndef PB_DAYLOCK_H
#define PB_DAYLOCK_H

#include "core/err.h"
#include "core/run.h"

struct day_lock {
	int fd; /* -1: not held */
};

#define DAY_LOCK_INIT {-1}

/*
 * Take the lock of (archive_path, date), waiting while another process holds
 * it: logs "waiting for another paperboy on ARCHIVE DATE" once, and looks at
 * the stop flag and the deadline while it waits. PB_ERR_STOPPED when a stop
 * was asked for, PB_ERR_IO when the lock file cannot be used or the deadline
 * passed first; *out is then not held.
 */
int day_lock_take(const char *archive_path, const char *date, const struct pb_run *run,
		  struct day_lock *out, struct pb_err *err) PB_MUST_CHECK;

/* Release (closing the lock file); a lock not held is left alone. */
void day_lock_release(struct day_lock *l);

#endif
