/* Unit tests for fsutil: atomic writes that follow no planted symlink, keep the usual mode, leave no temp file. */
#include "core/common.h"

#include "core/fsutil.h"
#include "harness.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static char *slurp(const char *path)
{
	struct buf b;
	buf_init(&b, 1 << 20);
	struct pb_err err = PB_ERR_INIT;
	if (fs_read_file(path, &b, &err)) {
		buf_release(&b);
		return NULL;
	}
	char *s = xstrndup(b.data ? b.data : "", b.len);
	buf_release(&b);
	return s;
}

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	CHECK(f != NULL);
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

/* The names in dir, sorted and joined with ' ' ("" for none), so a test sees any leftover. */
static char *listing(const char *dir)
{
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort);
	struct buf b;
	buf_init(&b, 1 << 16);
	for (int i = 0; i < n; i++) {
		const char *name = names[i]->d_name;
		if (strcmp(name, ".") && strcmp(name, "..")) {
			CHECK((b.len == 0 || buf_add(&b, " ", 1) == 0) &&
			      buf_add(&b, name, strlen(name)) == 0);
		}
		free(names[i]);
	}
	if (n >= 0)
		free(names);
	char *s = xstrndup(b.data ? b.data : "", b.len);
	buf_release(&b);
	return s;
}

static mode_t mode_of(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0 ? st.st_mode & 07777 : (mode_t)-1;
}

/*
 * The old writer opened PATH.tmp.<pid> with O_CREAT|O_TRUNC: a symlink planted
 * there made it overwrite the link's target. Plant one at that name (and make
 * the target itself a symlink, which the rename must replace, not follow).
 */
static void test_planted_symlinks(const char *dir, const char *elsewhere)
{
	char *victim = xasprintf("%s/victim.txt", elsewhere);
	put(victim, "precious\n");
	char *target = xasprintf("%s/edition.md", dir);
	char *planted = xasprintf("%s.tmp.%ld", target, (long)getpid());
	CHECK_INT(symlink(victim, planted), 0);

	struct pb_err err = PB_ERR_INIT;
	CHECK_INT(fs_write_atomic(target, "new edition\n", 12, &err), 0);
	char *got = slurp(victim);
	CHECK_STR(got, "precious\n");
	free(got);
	got = slurp(target);
	CHECK_STR(got, "new edition\n");
	free(got);
	/* Only the target and the planted link: no temporary file left behind. */
	char *names = listing(dir);
	char *want = xasprintf("edition.md edition.md.tmp.%ld", (long)getpid());
	CHECK_STR(names, want);
	free(want);
	free(names);
	CHECK_INT(unlink(planted), 0);

	/* A symlink at the target is replaced by the new file; what it pointed to is untouched. */
	char *linked = xasprintf("%s/linked.md", dir);
	CHECK_INT(symlink(victim, linked), 0);
	CHECK_INT(fs_write_atomic(linked, "replaced\n", 9, &err), 0);
	struct stat st;
	CHECK(lstat(linked, &st) == 0 && S_ISREG(st.st_mode));
	got = slurp(victim);
	CHECK_STR(got, "precious\n");
	free(got);
	got = slurp(linked);
	CHECK_STR(got, "replaced\n");
	free(got);
	CHECK_INT(unlink(linked), 0);
	CHECK_INT(unlink(target), 0);

	free(linked);
	free(planted);
	free(target);
	free(victim);
}

/* A new file gets 0666 & ~umask, as open(path, O_CREAT, 0666) would give (mkostemp alone gives 0600). */
static void test_mode(const char *dir)
{
	static const struct {
		mode_t umask, want;
	} cases[] = {{022, 0644}, {077, 0600}, {002, 0664}, {0, 0666}};
	char *path = xasprintf("%s/mode.txt", dir);
	mode_t old = umask(022);
	for (size_t i = 0; i < PB_ARRAY_LEN(cases); i++) {
		umask(cases[i].umask);
		struct pb_err err = PB_ERR_INIT;
		CHECK_INT(fs_write_atomic(path, "x", 1, &err), 0);
		CHECK_INT(mode_of(path), cases[i].want);
		/* Rewriting an existing file gives the same mode. */
		CHECK_INT(fs_write_atomic(path, "y", 1, &err), 0);
		CHECK_INT(mode_of(path), cases[i].want);
	}
	umask(old);
	CHECK_INT(unlink(path), 0);
	free(path);
}

/* Parts are written in order; a path with no directory is written in the current one. */
static void test_parts_and_relative_path(const char *dir)
{
	char *path = xasprintf("%s/sub/deeper/parts.txt", dir);
	const void *parts[] = {"one ", "", "two ", "three"};
	const size_t lens[] = {4, 0, 4, 5};
	struct pb_err err = PB_ERR_INIT;
	CHECK_INT(fs_write_atomic_parts(path, parts, lens, 4, &err), 0);
	char *got = slurp(path);
	CHECK_STR(got, "one two three");
	free(got);
	char *sub = xasprintf("%s/sub/deeper", dir);
	char *names = listing(sub);
	CHECK_STR(names, "parts.txt");
	free(names);

	char *cwd = getcwd(NULL, 0);
	CHECK(cwd != NULL);
	CHECK_INT(chdir(sub), 0);
	CHECK_INT(fs_write_atomic("plain.txt", "plain", 5, &err), 0);
	got = slurp("plain.txt");
	CHECK_STR(got, "plain");
	free(got);
	names = listing(".");
	CHECK_STR(names, "parts.txt plain.txt");
	free(names);
	CHECK_INT(chdir(cwd), 0);
	free(cwd);
	free(sub);
	free(path);
}

/* Failures name the path, and leave neither a temporary file nor a changed target. */
static void test_failures_leave_nothing(const char *dir)
{
	/* The rename fails: a non-empty directory is in the target's place. */
	char *busy = xasprintf("%s/busy", dir);
	char *inside = xasprintf("%s/busy/keep", dir);
	CHECK_INT(mkdir(busy, 0777), 0);
	put(inside, "kept");
	struct pb_err err = PB_ERR_INIT;
	CHECK_INT(fs_write_atomic(busy, "x", 1, &err), PB_ERR_IO);
	CHECK_CONTAINS(err.msg, "cannot write");
	CHECK_CONTAINS(err.msg, busy);
	char *names = listing(dir);
	CHECK_STR(names, "busy");
	free(names);

	/* The directory is not writable: the temporary file cannot be made (root may write anyway). */
	if (geteuid() != 0) {
		char *ro = xasprintf("%s/ro", dir);
		char *file = xasprintf("%s/ro/out.txt", dir);
		CHECK_INT(mkdir(ro, 0777), 0);
		CHECK_INT(chmod(ro, 0555), 0);
		pb_err_clear(&err);
		CHECK_INT(fs_write_atomic(file, "x", 1, &err), PB_ERR_IO);
		CHECK_CONTAINS(err.msg, file);
		CHECK_CONTAINS(err.msg, "Permission denied");
		CHECK(err.hint[0] != '\0');
		names = listing(ro);
		CHECK_STR(names, "");
		free(names);
		CHECK_INT(chmod(ro, 0755), 0);
		CHECK_INT(rmdir(ro), 0);
		free(file);
		free(ro);
	}
	CHECK_INT(unlink(inside), 0);
	CHECK_INT(rmdir(busy), 0);
	free(inside);
	free(busy);
}

/* A kill -9 between mkostemp and rename leaves ".NAME.XXXXXX": the next write of NAME removes it. */
static void test_stale_temps(const char *dir)
{
	char *target = xasprintf("%s/stale.md", dir);
	char *old = xasprintf("%s/.stale.md.AbC123", dir);
	char *fresh = xasprintf("%s/.stale.md.Fresh1", dir);
	char *longer = xasprintf("%s/.stale.md.Toolong7", dir);
	char *other = xasprintf("%s/.other.md.AbC123", dir);
	const char *const all[] = {old, fresh, longer, other};
	for (size_t i = 0; i < PB_ARRAY_LEN(all); i++)
		put(all[i], "partial");
	/* Untouched for longer than FS_STALE_TEMP_S: the killed writer's. */
	struct timespec times[2] = {{time(NULL) - 2 * FS_STALE_TEMP_S, 0}, {time(NULL) - 2 * FS_STALE_TEMP_S, 0}};
	CHECK_INT(utimensat(AT_FDCWD, old, times, 0), 0);
	CHECK_INT(utimensat(AT_FDCWD, longer, times, 0), 0);
	CHECK_INT(utimensat(AT_FDCWD, other, times, 0), 0);
	struct pb_err err = PB_ERR_INIT;
	CHECK_INT(fs_write_atomic(target, "new", 3, &err), 0);
	CHECK(access(old, F_OK) != 0);    /* the stale temp of stale.md: gone */
	CHECK(access(fresh, F_OK) == 0);  /* one being written now: kept */
	CHECK(access(longer, F_OK) == 0); /* not a name mkostemp makes */
	CHECK(access(other, F_OK) == 0);  /* another file's */
	for (size_t i = 0; i < PB_ARRAY_LEN(all); i++) {
		unlink(all[i]);
		free((char *)all[i]);
	}
	unlink(target);
	free(target);
}

int main(void)
{
	char dir[] = "/tmp/pb_fsutil_XXXXXX";
	char elsewhere[] = "/tmp/pb_fsutil_victim_XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	CHECK(mkdtemp(elsewhere) != NULL);

	test_planted_symlinks(dir, elsewhere);
	test_mode(dir);
	test_failures_leave_nothing(dir);
	test_parts_and_relative_path(dir);
	test_stale_temps(dir);

	char *cmd = xasprintf("rm -rf '%s' '%s'", dir, elsewhere);
	CHECK_INT(system(cmd), 0);
	free(cmd);
	return test_report("test_fsutil");
}
