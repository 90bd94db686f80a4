/* fsutil.c - directories, atomic writes, whole-file reads. */
#include "core/common.h"

#include "core/fsutil.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

int fs_write_atomic_parts(const char *path, const void *const *parts, const size_t *lens,
			  size_t n_parts, struct pb_err *err)
{
	if (fs_mkdir_parent(path, err))
		return PB_ERR_IO;
	char *tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0) {
		pb_err_set(err, PB_ERR_IO, "cannot write '%s': %s", path, strerror(errno));
		free(tmp);
		return PB_ERR_IO;
	}
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
	return 0;
fail:;
	int saved = errno ? errno : EIO;
	if (fd >= 0)
		close(fd);
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
