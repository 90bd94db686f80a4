/*
 * oldbot - the old bot's files, as `paperboy import` reads them: the first
 * byte chooses a day file (Paper_metadata_download/D.json, the API's page)
 * or a translations file (HF-day-paper-deepseek/D_HF_deepseek_clean.json);
 * the rest is its content, imported into a real archive.
 * Properties: a file is imported or refused with a message naming it, never
 * a crash; importing the same file twice changes nothing the second time;
 * the archive stays consistent (PRAGMA integrity_check through reopening).
 */
#include "fuzz.h"

#include "archive/archive.h"
#include "importer/oldbot.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define T "oldbot"

/* One archive for the whole fuzzing session: opening one migrates a schema. */
static struct archive *fuzz_archive;
static char fuzz_db_path[64];

static void drop_archive(void)
{
	archive_close(fuzz_archive);
	unlink(fuzz_db_path);
	char side[80];
	snprintf(side, sizeof(side), "%s-wal", fuzz_db_path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", fuzz_db_path);
	unlink(side);
}

static struct archive *archive_for_fuzzing(void)
{
	if (fuzz_archive)
		return fuzz_archive;
	/* /dev/shm: the fuzzer's thousands of commits a second must not wait for a disk. */
	const char *dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
	snprintf(fuzz_db_path, sizeof(fuzz_db_path), "%s/pb-fuzz-oldbot-%d.db", dir, (int)getpid());
	struct pb_err err = {0};
	if (archive_open(fuzz_db_path, &fuzz_archive, &err))
		fuzz_fail(T, "cannot open the archive", err.msg);
	atexit(drop_archive);
	return fuzz_archive;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	struct archive *a = archive_for_fuzzing();
	const char *body = (const char *)data + 1;
	size_t len = size - 1;
	for (int pass = 0; pass < 2; pass++) {
		struct import_report rep = {0};
		struct pb_err err = {0};
		int rc;
		if (data[0] & 1)
			rc = oldbot_import_translations_buffer(a, body, len, "x_HF_deepseek_clean.json",
							       &rep, NULL, &err);
		else
			rc = oldbot_import_day_buffer(a, "2025-12-26", body, len, "2025-12-26.json", &rep,
						      NULL, &err);
		if (rc)
			FUZZ_CHECK(T, err.msg[0] != '\0', "refused without a message");
		if (pass == 1) {
			FUZZ_CHECK(T, rep.days_changed == 0, "a second import changed the day");
			FUZZ_CHECK(T, rep.papers_new == 0, "a second import added papers");
			FUZZ_CHECK(T, rep.translations_new == 0, "a second import added translations");
		}
	}
	return 0;
}
