/*
 * enospc.c - a fault injector for the end-to-end tests (after jq's
 * inject_errors.c): preloaded with LD_PRELOAD, it makes every write to a file
 * whose path contains $PB_ENOSPC_PATH fail with ENOSPC, as a full disk would.
 * Other writes pass through untouched.
 *
 * With $PB_ENOSPC_FLAG set (a file name) the disk is full only while that
 * file exists: a test can fill the disk in the middle of a run by creating
 * it, and "free space" for the rerun by removing it.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

static int path_matches(int fd)
{
	const char *needle = getenv("PB_ENOSPC_PATH");
	if (!needle || !*needle)
		return 0;
	const char *flag = getenv("PB_ENOSPC_FLAG");
	if (flag && *flag && access(flag, F_OK) != 0)
		return 0;
	char link[64], path[PATH_MAX];
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	ssize_t n = readlink(link, path, sizeof(path) - 1);
	if (n <= 0)
		return 0;
	path[n] = '\0';
	return strstr(path, needle) != NULL;
}

ssize_t write(int fd, const void *buf, size_t count)
{
	static ssize_t (*real)(int, const void *, size_t);
	if (!real)
		real = (ssize_t (*)(int, const void *, size_t))dlsym(RTLD_NEXT, "write");
	if (count && path_matches(fd)) {
		errno = ENOSPC;
		return -1;
	}
	return real(fd, buf, count);
}

ssize_t pwrite64(int fd, const void *buf, size_t count, off_t offset)
{
	static ssize_t (*real)(int, const void *, size_t, off_t);
	if (!real)
		real = (ssize_t (*)(int, const void *, size_t, off_t))dlsym(RTLD_NEXT, "pwrite64");
	if (count && path_matches(fd)) {
		errno = ENOSPC;
		return -1;
	}
	return real(fd, buf, count, offset);
}
