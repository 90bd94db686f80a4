/* fsutil.c - directories, atomic writes, whole-file reads. */
/* For mkostemp (glibc declares it only under _GNU_SOURCE): O_CLOEXEC at creation. */
#define _GNU_SOURCE
#include "core/common.h"

#include "core/fsutil.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

bool fs_is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

bool fs_is_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

char *path_join(const char *dir, const char *name)
{
	size_t n = strlen(dir);
	if (n == 0)
		return xstrdup(name);
	return xasprintf("%s%s%s", dir, dir[n - 1] == '/' ? "" : "/", name);
}

int fs_mkdir_p(const char *path, struct pb_err *err)
{
	char *copy = xstrdup(path);
	int rc = 0;
	for (char *p = copy + 1; ; p++) {
		if (*p == '/' || *p == '\0') {
			char saved = *p;
			*p = '\0';
			if (mkdir(copy, 0777) != 0 && errno != EEXIST) {
				rc = pb_err_set(err, PB_ERR_IO, "cannot create directory '%s': %s",
						copy, strerror(errno));
				pb_err_hint(err, "check that the parent is writable, or choose another --out");
				break;
			}
			*p = saved;
			if (saved == '\0')
				break;
		}
	}
	if (rc == 0 && !fs_is_dir(path))
		rc = pb_err_set(err, PB_ERR_IO, "cannot use '%s' as a directory: a file is in the way",
				path);
	free(copy);
	return rc;
}

int fs_mkdir_parent(const char *path, struct pb_err *err)
{
	const char *slash = strrchr(path, '/');
	if (!slash || slash == path)
		return 0;
	char *dir = xstrndup(path, (size_t)(slash - path));
	int rc = fs_mkdir_p(dir, err);
	free(dir);
	return rc;
}

int fs_write_atomic(const char *path, const void *data, size_t len, struct pb_err *err)
{
	return fs_write_atomic_parts(path, &data, &len, 1, err);
}

/*
 * The mode a new file gets from open(path, O_CREAT, 0666): 0666 & ~umask. The umask
 * is read from /proc/self/status (Linux 4.7+) and not with umask(0); umask(old),
 * which would change process-wide state that another thread may be creating files
 * under. Without /proc, 0644 (the usual umask 022) is the safe guess: readable as
 * an edition must be, writable only by its owner.
 */
static mode_t new_file_mode(void)
{
	mode_t mode = 0644;
	FILE *f = fopen("/proc/self/status", "re");
	if (!f)
		return mode;
	char line[256];
	while (fgets(line, sizeof(line), f)) {
		unsigned int mask;
		if (sscanf(line, "Umask: %o", &mask) == 1) {
			mode = (mode_t)(0666 & ~mask);
			break;
		}
	}
	fclose(f);
	return mode;
}

/*
 * The temporary file beside path: ".NAME.XXXXXX" in the same directory (so the
 * rename stays on one file system), hidden so that nothing lists it mid-write.
 * The name is random and mkostemp opens it O_CREAT|O_EXCL, which never follows a
 * symlink (not even a dangling one) and fails on any name already there: nobody
 * can plant a link that makes this write land on another file, as they could on
 * a predictable PATH.tmp.<pid> opened with O_TRUNC. Returns the fd (the name in
 * *tmp_out, caller frees) or -1 with errno set.
 */
static int open_temp_beside(const char *path, char **tmp_out)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	int dir_len = slash ? (int)(slash - path + 1) : 0;
	char *tmp = xasprintf("%.*s.%s.XXXXXX", dir_len, path, base);
	int fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		int saved = errno;
		free(tmp);
		errno = saved;
		return -1;
	}
	*tmp_out = tmp;
	return fd;
}

/* Is name what open_temp_beside makes for base: "." base "." and mkostemp's six letters? */
static bool is_temp_of(const char *name, const char *base)
{
	size_t bl = strlen(base);
	if (name[0] != '.' || strncmp(name + 1, base, bl) || name[1 + bl] != '.')
		return false;
	const char *x = name + 2 + bl;
	for (int i = 0; i < 6; i++)
		if (!((x[i] >= 'a' && x[i] <= 'z') || (x[i] >= 'A' && x[i] <= 'Z') ||
		      (x[i] >= '0' && x[i] <= '9')))
			return false;
	return x[6] == '\0';
}

/*
 * Remove the temporary files a killed writer of path left beside it (kill -9 between
 * mkostemp and rename): each kill left one, under a new random name, for good, and
 * the site's would be published with it. Only those untouched for FS_STALE_TEMP_S, so
 * a writer still at work on one (another process rendering the same page) keeps it.
 */
void fs_remove_stale_temps(const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	char *dir = slash ? xstrndup(path, (size_t)(slash - path + 1)) : xstrdup(".");
	DIR *d = opendir(dir);
	if (d) {
		time_t now = time(NULL);
		struct dirent *e;
		while ((e = readdir(d))) {
			if (!is_temp_of(e->d_name, base))
				continue;
			struct stat st;
			if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
			    S_ISREG(st.st_mode) && st.st_uid == geteuid() &&
			    now - st.st_mtime >= FS_STALE_TEMP_S)
				unlinkat(dirfd(d), e->d_name, 0);
		}
		closedir(d);
	}
	free(dir);
}

int fs_write_atomic_parts(const char *path, const void *const *parts, const size_t *lens,
			  size_t n_parts, struct pb_err *err)
{
	if (fs_mkdir_parent(path, err))
		return PB_ERR_IO;
	char *tmp = NULL;
	int fd = open_temp_beside(path, &tmp);
	if (fd < 0) {
		pb_err_set(err, PB_ERR_IO, "cannot write '%s': cannot create a temporary file beside it: %s",
			   path, strerror(errno));
		pb_err_hint(err, "check that the directory is writable, or choose another --out");
		return PB_ERR_IO;
	}
	errno = 0;
	/* mkostemp makes the file 0600; give it the mode a plain open(0666) would have. */
	if (fchmod(fd, new_file_mode()) != 0)
		goto fail;
	for (size_t i = 0; i < n_parts; i++) {
		const char *p = parts[i];
		size_t left = lens[i];
		while (left) {
			ssize_t n = write(fd, p, left);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				goto fail;
			p += n;
			left -= (size_t)n;
		}
	}
	if (fsync(fd) != 0 && errno != EINVAL)
		goto fail;
	if (close(fd) != 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) != 0)
		goto fail;
	free(tmp);
	fs_remove_stale_temps(path);
	return 0;
fail:;
	int saved = errno ? errno : EIO;
	if (fd >= 0)
		close(fd);
	/* Whatever failed, no temporary file is left behind. */
	unlink(tmp);
	free(tmp);
	pb_err_set(err, PB_ERR_IO, "cannot write '%s': %s", path, strerror(saved));
	if (saved == ENOSPC)
		pb_err_hint(err, "free some disk space and run again; the previous file was kept");
	return PB_ERR_IO;
}

int fs_read_file(const char *path, struct buf *out, struct pb_err *err)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return pb_err_set(err, PB_ERR_IO, "cannot read '%s': %s", path, strerror(errno));
	char chunk[65536];
	size_t n;
	int rc = 0;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (buf_add(out, chunk, n)) {
			rc = pb_err_set(err, PB_ERR_IO, "cannot read '%s': larger than %zu bytes",
					path, out->limit);
			break;
		}
	}
	if (!rc && ferror(f))
		rc = pb_err_set(err, PB_ERR_IO, "cannot read '%s': %s", path, strerror(errno));
	fclose(f);
	return rc;
}

long long fs_file_size(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode) ? (long long)st.st_size : -1;
}
