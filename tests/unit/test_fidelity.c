/* Unit tests for translate/fidelity and the glossary: numbers, Chinese-ness. */
#include "core/common.h"

#include "translate/fidelity.h"
#include "translate/prompt.h"
#include "harness.h"

#include <stdlib.h>
#include <time.h>

static void check_numbers(const char *text, const char *expect)
{
	char **nums = numbers_extract(text);
	struct buf joined;
	buf_init(&joined, BUF_LIMIT_NONE);
	for (char **p = nums; *p; p++)
		sb_addf(&joined, "%s%s", p == nums ? "" : " ", *p);
	CHECK_STR(joined.data, expect);
	buf_release(&joined);
	numbers_free(nums);
}


static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Issue 13, finding 11: 60,000 numbers a side took 15 s inside the curl loop. */
static void check_many_numbers(void)
{
	struct buf en, zh, missing;
	buf_init(&en, BUF_LIMIT_NONE);
	buf_init(&zh, BUF_LIMIT_NONE);
	buf_init(&missing, BUF_LIMIT_NONE);
	for (int i = 0; i < 60000; i++) {
		sb_addf(&en, "%s%d.%d", i ? ", " : "", i, i % 97);
		/* The translation keeps all but one, in another order. */
		int j = 59999 - i;
		if (j != 31337)
			sb_addf(&zh, "%s%d.%d", zh.len ? "，" : "", j, j % 97);
	}
	double t0 = now_s();
	char **nums = numbers_extract(en.data);
	size_t n = 0;
	while (nums[n])
		n++;
	size_t count = numbers_missing(nums, zh.data, &missing);
	double took = now_s() - t0;
	CHECK_INT(n, 60000);
	CHECK_INT(count, 1);
	CHECK_STR(missing.data, "31337.6");
	fprintf(stderr, "fidelity: 60000 numbers a side in %.3f s\n", took);
	CHECK(took < 1.0);
	numbers_free(nums);
	buf_release(&en);
	buf_release(&zh);
	buf_release(&missing);
}

int main(void)
{
	/* The VA-π abstract (2025-12-26). */
	check_numbers("With only 1% ImageNet-1K data and 25 minutes of tuning, it reduces FID from 14.36 "
		      "to 7.65 and improves IS from 86.55 to 116.70 on LlamaGen-XXL (LlamaGen: from 0.306 "
		      "to 0.339) (Janus-Pro: from 0.725 to 0.744).",
		      "1 25 14.36 7.65 86.55 116.70 0.306 0.339 0.725 0.744");
	/* Names and units are not numbers; ranges and list markers are. */
	check_numbers("2D projections of 3D worlds with GPT-4o, Llama-3, o1 and a 1.5B model", "");
	check_numbers("improves accuracy by 10-30% (1) and (2), repeated 10-30%", "10 30 1 2");
	check_numbers("on 10,000 images and 1,234,567 tokens", "10000 1234567");
	/* A dotted run is a version or an address, not a quantity: the translation keeps it
	 * whole, and "2.0" alone would never be found in "2.0.1" (asking the LLM again). */
	check_numbers("version 2.0.1 of it, at 192.168.0.1, in 3 runs", "3");
	{
		char **v = numbers_extract("PyTorch 2.1.0 and CUDA 12.1 on 8 GPUs");
		struct buf m;
		buf_init(&m, BUF_LIMIT_NONE);
		CHECK_INT(numbers_missing(v, "在8块GPU上使用PyTorch 2.1.0和CUDA 12.1", &m), 0);
		CHECK_STR(m.data, "");
		buf_release(&m);
		numbers_free(v);
	}
	/* Greek and other alphabets name things too (2025-12-03's π_0); ideographs do not. */
	check_numbers("policies π_0, π_{0.5}, α2 and 5μm; 在2024年", "0.5 2024");

	char **nums = numbers_extract("FID from 14.36 to 7.65, 1% of data, 10-30% faster");
	struct buf missing;
	buf_init(&missing, BUF_LIMIT_NONE);
	CHECK_INT(numbers_missing(nums, "FID从14.36降低到7.65，仅用1%的数据，快10-30%。", &missing), 0);
	CHECK_STR(missing.data, "");
	CHECK_INT(numbers_missing(nums, "FID从14.3降低到17.65，用了11%的数据，快10-30%。", &missing), 3);
	CHECK_STR(missing.data, "14.36, 7.65, 1");
	buf_release(&missing);
	numbers_free(nums);

	CHECK(cjk_ratio("尽管大型多模态模型（LMMs）取得了显著进展") > 0.5);
	CHECK(cjk_ratio("While Large Multimodal Models have made progress") == 0.0);
	CHECK(cjk_ratio("") == 0.0);
	CHECK(has_cjk("VA-π：变分策略对齐"));
	CHECK(!has_cjk("VA-π: Variational Policy Alignment"));

	char *lines = NULL;
	size_t terms = 0;
	struct pb_err err = PB_ERR_INIT;
	CHECK_INT(glossary_format("# c\n\nagent\t智能体\n token \t 词元 \n", "g", &lines, &terms, &err), 0);
	CHECK_INT(terms, 2);
	CHECK_STR(lines, "   - agent → 智能体\n   - token → 词元");
	free(lines);
	CHECK_INT(glossary_format("agent 智能体\n", "bad.tsv", &lines, &terms, &err), PB_ERR_PARSE);
	CHECK_CONTAINS(err.msg, "bad.tsv' line 1");

	/* The shipped prompt loads, and its version is stable for the same inputs. */
	struct prompt p1, p2;
	pb_err_clear(&err);
	CHECK_INT(prompt_load(&p1, NULL, &err), 0);
	CHECK_INT(prompt_load(&p2, NULL, &err), 0);
	CHECK_STR(p1.version, p2.version);
	CHECK(p1.glossary_terms >= 40);
	CHECK_CONTAINS(p1.system, "agent → 智能体");
	CHECK_CONTAINS(p1.system, "\"summary\"");
	prompt_release(&p1);
	prompt_release(&p2);

	check_many_numbers();
	return test_report("test_fidelity");
}
