/*
 * harness.h - a tiny unit-test harness (after cmark's api_test/harness.h).
 * Each check prints the failing expression with file and line; main returns
 * non-zero if any check failed, and a test that ran no checks fails too.
 */
#ifndef PB_TEST_HARNESS_H
#define PB_TEST_HARNESS_H

#include <stdio.h>
#include <string.h>

static int tests_run, tests_failed;

#define CHECK(cond)                                                                   \
	do {                                                                          \
		tests_run++;                                                          \
		if (!(cond)) {                                                        \
			tests_failed++;                                               \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
		}                                                                     \
	} while (0)

#define CHECK_INT(a, b)                                                               \
	do {                                                                          \
		long long a_ = (long long)(a), b_ = (long long)(b);                   \
		tests_run++;                                                          \
		if (a_ != b_) {                                                       \
			tests_failed++;                                               \
			fprintf(stderr, "%s:%d: %s == %lld, expected %lld\n", __FILE__, __LINE__, #a, \
				a_, b_);                                              \
		}                                                                     \
	} while (0)

#define CHECK_STR(a, b)                                                               \
	do {                                                                          \
		const char *a_ = (a), *b_ = (b);                                      \
		tests_run++;                                                          \
		if (!a_ || !b_ || strcmp(a_, b_)) {                                   \
			tests_failed++;                                               \
			fprintf(stderr, "%s:%d: %s == \"%s\", expected \"%s\"\n", __FILE__, __LINE__, \
				#a, a_ ? a_ : "(null)", b_ ? b_ : "(null)");          \
		}                                                                     \
	} while (0)

#define CHECK_CONTAINS(hay, needle)                                                   \
	do {                                                                          \
		const char *h_ = (hay), *n_ = (needle);                               \
		tests_run++;                                                          \
		if (!h_ || !strstr(h_, n_)) {                                         \
			tests_failed++;                                               \
			fprintf(stderr, "%s:%d: \"%s\" does not contain \"%s\"\n", __FILE__, __LINE__, \
				h_ ? h_ : "(null)", n_);                              \
		}                                                                     \
	} while (0)

static inline int test_report(const char *name)
{
	if (tests_run == 0) {
		fprintf(stderr, "%s: no checks ran\n", name);
		return 1;
	}
	fprintf(stderr, "%s: %d checks, %d failed\n", name, tests_run, tests_failed);
	return tests_failed ? 1 : 0;
}

#endif
