/*
 * fuzz.h - what the fuzz targets share: turning the fuzzer's bytes into the
 * inputs of a stage, and checking a property.
 *
 * Every target defines LLVMFuzzerTestOneInput. Built with clang and
 * -fsanitize=fuzzer (fuzz/run), it is a libFuzzer target; built with the
 * project's compiler and fuzz/replay.c, it replays its corpus (the seeds and
 * every crasher found so far) as a test of the normal suite.
 *
 * Structured inputs: one input is a list of records separated by 0x1E (the
 * ASCII record separator), each a list of fields separated by 0x1F (unit
 * separator). fuzz/seed.py writes the seeds in this form from the fixtures,
 * so the fuzzer starts from real papers and mutates from there.
 */
#ifndef PB_FUZZ_H
#define PB_FUZZ_H

#include "core/paper.h"

#include <stddef.h>
#include <stdint.h>

#define FUZZ_RECORD '\x1e'
#define FUZZ_FIELD '\x1f'

/* At most this many records are read from one input: a day is not longer. */
#define FUZZ_MAX_RECORDS 300

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The input as a NUL-terminated string (an input's own NULs cut it). Caller frees. */
char *fuzz_string(const uint8_t *data, size_t size);

struct fuzz_records {
	char ***fields;   /* fields[r][f], NUL-terminated copies */
	size_t *n_fields; /* per record */
	size_t n;         /* records */
};

void fuzz_records_split(const uint8_t *data, size_t size, struct fuzz_records *out);
void fuzz_records_release(struct fuzz_records *r);
/* Field f of record r, or "" when the record has fewer fields. */
const char *fuzz_field(const struct fuzz_records *r, size_t rec, size_t f);

/*
 * Papers from records, one per record, fields in this order:
 *   title, abstract, title_zh, abstract_zh, summary_zh, authors (comma-separated),
 *   ai_keywords (comma-separated), github_repo, project_page, organization, upvotes
 * Text goes through text_normalize, as everything from the API or an LLM does on
 * its way in; ids are synthetic and valid (the API's are checked at parse time).
 * An empty title_zh leaves the paper untranslated.
 */
void fuzz_papers(const struct fuzz_records *r, struct paper_list *out);

/* The zh-CN UI strings, loaded once for the whole session (target names a failure). */
struct ui_strings;
const struct ui_strings *fuzz_ui_zh_cn(const char *target);

/* A property failed: print it and abort, which libFuzzer reports as a crash. */
_Noreturn void fuzz_fail(const char *target, const char *what, const char *detail);
#define FUZZ_CHECK(target, cond, detail) \
	do { \
		if (!(cond)) \
			fuzz_fail(target, #cond, detail); \
	} while (0)

#endif
