/*
 * hf_page - the Hugging Face page parser (fetch/hf.c) on any bytes.
 * Properties: it never crashes; every paper it keeps has a safe id, a
 * non-empty title and abstract within the field limits, all valid UTF-8
 * with no control or invisible character; a skipped entry says why.
 */
#include "fuzz.h"

#include "core/text.h"
#include "fetch/hf.h"

#include <stdlib.h>
#include <string.h>

#define T "hf_page"

static void check_text(const char *s, size_t limit, const char *field)
{
	if (!s)
		return;
	size_t len = strlen(s);
	FUZZ_CHECK(T, len <= limit, field);
	FUZZ_CHECK(T, utf8_is_valid(s, len), field);
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t n = utf8_decode((const unsigned char *)s + i, len - i, &cp);
		FUZZ_CHECK(T, n > 0, field);
		FUZZ_CHECK(T, cp >= 0x20 && cp != 0x7f && !text_is_invisible_control(cp), field);
		i += n;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct paper_list papers = {0};
	struct hf_skips skips = {0};
	struct pb_err err = {0};
	size_t entries = 0;
	int rc = hf_parse_page((const char *)data, size, "fuzz.json", &papers, &skips, &entries, &err);
	if (rc) {
		FUZZ_CHECK(T, papers.n == 0, "a failed page kept papers");
		FUZZ_CHECK(T, err.msg[0] != '\0', "a failed page without a message");
	}
	FUZZ_CHECK(T, papers.n + skips.n <= entries || rc, "more papers than entries");
	for (size_t i = 0; i < papers.n; i++) {
		const struct paper *p = &papers.items[i];
		FUZZ_CHECK(T, p->id && paper_id_is_safe(p->id), p->id);
		FUZZ_CHECK(T, p->title && *p->title, p->id);
		FUZZ_CHECK(T, p->abstract && *p->abstract, p->id);
		check_text(p->title, HF_MAX_TITLE, "title");
		check_text(p->abstract, HF_MAX_ABSTRACT, "abstract");
		check_text(p->ai_summary, HF_MAX_ABSTRACT, "ai_summary");
		check_text(p->organization, HF_MAX_TITLE, "organization");
	}
	for (size_t i = 0; i < skips.n; i++)
		FUZZ_CHECK(T, skips.items[i].reasons && *skips.items[i].reasons, "a skip without reasons");
	hf_skips_release(&skips);
	paper_list_release(&papers);
	return 0;
}
