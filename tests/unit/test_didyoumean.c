/* Unit tests for "did you mean": the edit distance and the nearest name. */
#include "core/common.h"

#include "core/suggest.h"
#include "harness.h"

int main(void)
{
	CHECK_INT((long)edit_distance("", ""), 0);
	CHECK_INT((long)edit_distance("run", "run"), 0);
	CHECK_INT((long)edit_distance("", "run"), 3);
	CHECK_INT((long)edit_distance("kitten", "sitting"), 3);
	CHECK_INT((long)edit_distance("rnu", "run"), 1);      /* a swap is one edit */
	CHECK_INT((long)edit_distance("rendr", "render"), 1); /* an insertion */
	CHECK_INT((long)edit_distance("hf-url", "hf_url"), 1);
	CHECK_INT((long)edit_distance("outt", "out"), 1);
	CHECK_INT((long)edit_distance("abc", "ca"), 3);       /* a swapped pair is not edited again */

	static const char *const commands[] = {"fetch", "translate", "render", "speak", "run",
					       "backfill", "import", "stats", "demo", "config", "help"};
	size_t n = PB_ARRAY_LEN(commands);
	CHECK_STR(suggest_closest("rnu", commands, n), "run");
	CHECK_STR(suggest_closest("rendr", commands, n), "render");
	CHECK_STR(suggest_closest("fecth", commands, n), "fetch");
	CHECK_STR(suggest_closest("trnaslate", commands, n), "translate");
	CHECK_STR(suggest_closest("stat", commands, n), "stats");
	CHECK(suggest_closest("frobnicate", commands, n) == NULL); /* nothing close */
	CHECK(suggest_closest("x", commands, n) == NULL);          /* too short to guess */
	CHECK(suggest_closest("run", commands, n) == NULL);        /* not a typo */
	static const char *const keys[] = {"out", "db", "hf_url", "timeout", "retries"};
	CHECK_STR(suggest_closest("hf-url", keys, PB_ARRAY_LEN(keys)), "hf_url");
	CHECK_STR(suggest_closest("outt", keys, PB_ARRAY_LEN(keys)), "out");
	CHECK_STR(suggest_closest("timout", keys, PB_ARRAY_LEN(keys)), "timeout");
	return test_report("test_didyoumean");
}
