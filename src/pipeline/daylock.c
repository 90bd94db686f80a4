/* daylock.c - the per-day writer lock (see daylock.h for why it is built this way). */
/* F_OFD_SETLK: glibc declares the open-file-description locks only under _GNU_SOURCE. */
#define _GNU_SOURCE
#include "core/common.h"

#include "pipeline/daylock.h"
#include "core/date.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* How often a waiting run tries again: short enough to follow the first run closely. */
#define DAY_LOCK_POLL_MS 100

/* Open (creating) ARCHIVE.lock: never through a symlink, never blocking on a FIFO. */
static int open_lock_file(const char *path, struct pb_err *err)
{
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0666);
	if (fd < 0) {
		pb_err_set(err, PB_ERR_IO, "cannot open the lock file '%s': %s", path, strerror(errno));
		if (errno == ELOOP)
			pb_err_hint(err, "it is a symbolic link: remove it, paperboy creates the file itself");
		else
			pb_err_hint(err, "paperboy needs to create it beside the archive, in a folder "
				    "it can write to");
		return -1;
	}
	struct stat st;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		pb_err_set(err, PB_ERR_IO, "the lock file '%s' is not a regular file", path);
		close(fd);
		return -1;
	}
	return fd;
}

int day_lock_take(const char *archive_path, const char *date, const struct pb_run *run,
		  struct day_lock *out, struct pb_err *err)
{
	out->fd = -1;
	struct pb_date d;
	if (date_parse(date, &d, err))
		return err->status;
	char *path = xasprintf("%s.lock", archive_path);
	int fd = open_lock_file(path, err);
	int rc = fd < 0 ? PB_ERR_IO : 0;
	/* One byte per day: the day's number since 1970 (dates are 2000..2999, so it is > 0). */
	struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = date_to_days(&d),
			   .l_len = 1};
	bool told = false;
	while (!rc && fcntl(fd, F_OFD_SETLK, &fl) == -1) {
		if (errno != EAGAIN && errno != EACCES && errno != EINTR) {
			rc = pb_err_set(err, PB_ERR_IO, "cannot lock '%s' for %s: %s", path, date,
					strerror(errno));
			pb_err_hint(err, "the archive's folder must allow file locks (a local disk, "
				    "not every network file system does)");
			break;
		}
		if (!told) {
			/* Once: the wait may be long (a whole day's translations). */
			pb_info(run->log, "waiting for another paperboy on %s %s", archive_path, date);
			told = true;
		}
		if (pb_run_past_deadline(run)) {
			rc = pb_err_set(err, PB_ERR_IO, "another paperboy still works on %s %s: the "
					"deadline passed while waiting for it", archive_path, date);
			break;
		}
		if (pb_sleep_ms(run->stop, DAY_LOCK_POLL_MS))
			rc = pb_err_set(err, PB_ERR_STOPPED, "stopped while waiting for another "
					"paperboy on %s %s", archive_path, date);
	}
	if (rc && fd >= 0)
		close(fd);
	else if (!rc)
		out->fd = fd;
	free(path);
	return rc;
}

void day_lock_release(struct day_lock *l)
{
	if (l->fd < 0)
		return;
	close(l->fd); /* the last descriptor of the open file: the kernel drops its lock */
	l->fd = -1;
}
