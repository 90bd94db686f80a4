/*
 * fsutil.h - files written whole or not at all.
 *
 * Every output is written to a temporary file beside its target, flushed,
 * and renamed into place, so a crash or a full disk never leaves a
 * half-written edition. Errors name the path and the system's reason.
 */
#ifndef PB_FSUTIL_H
#define PB_FSUTIL_H

#include "core/buf.h"
#include "core/err.h"

/* mkdir -p; existing directories are fine. */
int fs_mkdir_p(const char *path, struct pb_err *err);
/* Create the parent directory of path (if it has one). */
int fs_mkdir_parent(const char *path, struct pb_err *err);
/*
 * Write data to path atomically (temp file ".NAME.XXXXXX" beside it, O_EXCL and never
 * through a symlink, + fsync + rename); parents are created. After the rename, the
 * temp files of path that a killed writer left (untouched for FS_STALE_TEMP_S) go.
 */
int fs_write_atomic(const char *path, const void *data, size_t len, struct pb_err *err);
/* The same for a file made of several pieces, written in order (no joined copy in memory). */
int fs_write_atomic_parts(const char *path, const void *const *parts, const size_t *lens,
			  size_t n, struct pb_err *err);
#define FS_STALE_TEMP_S 60
/* That removal alone, for a writer that keeps path as it is (its bytes are already right). */
void fs_remove_stale_temps(const char *path);
/* Read a whole file into out (initialised by the caller; limit applies). */
int fs_read_file(const char *path, struct buf *out, struct pb_err *err);
bool fs_is_dir(const char *path);
bool fs_is_file(const char *path);
/* The size of a regular file in bytes, or -1. */
long long fs_file_size(const char *path);
/* Join a directory and a name with one '/'; caller frees. */
char *path_join(const char *dir, const char *name);

#endif
