/* Unit tests for insights: areas on the real fixtures, keywords through ICU. */
#include "core/common.h"

#include "core/fsutil.h"
#include "fetch/hf.h"
#include "insights/insights.h"
#include "translate/answer.h"
#include "lang/lang.h"
#include "harness.h"
#include "ui_helper.h"

#include <jansson.h>
#include <stdlib.h>

static struct ui_strings *ui;

/* A fixture day with the old bot's real translations attached. */
static void load_day(const char *date, struct paper_list *papers)
{
	char *path = xasprintf("%s/hf-api/%s.json", TEST_FIXTURES, date);
	struct buf body;
	buf_init(&body, BUF_LIMIT_FILE);
	struct pb_err err = PB_ERR_INIT;
	struct hf_skips skips = {0};
	size_t n;
	CHECK_INT(fs_read_file(path, &body, &err), 0);
	CHECK_INT(hf_parse_page(body.data, body.len, path, papers, &skips, &n, &err), 0);
	buf_release(&body);
	free(path);
	hf_skips_release(&skips);
	path = xasprintf("%s/llm-replay/%s.json", TEST_FIXTURES, date);
	json_t *replay = json_load_file(path, 0, NULL);
	free(path);
	for (size_t i = 0; replay && i < papers->n; i++) {
		struct paper *p = &papers->items[i];
		const char *t = json_string_value(json_object_get(json_object_get(replay, p->id), "translation"));
		struct answer a;
		if (t && !answer_parse(t, &a, &err)) {
			p->title_zh = a.title_zh;
			p->abstract_zh = a.abstract_zh;
			p->summary_zh = a.summary_zh;
		}
	}
	json_decref(replay);
}

/* Parse one API response (a list of entries) into papers. */
static void parse_into(const char *body, size_t len, const char *what, struct paper_list *papers)
{
	struct pb_err err = PB_ERR_INIT;
	struct hf_skips skips = {0};
	size_t n;
	CHECK_INT(hf_parse_page(body, len, what, papers, &skips, &n, &err), 0);
	hf_skips_release(&skips);
}

static long find_area(const struct insights *in, const char *name)
{
	for (size_t a = 0; a < insights_area_count(in); a++)
		if (!strcmp(insights_area_name(in, a), name))
			return (long)a;
	return -1;
}

/*
 * The taxonomy against papers labelled by hand (tests/data/areas_labelled.tsv):
 * precision and recall over (paper, area) pairs. Every disagreement is
 * printed, so a change to taxonomy.tsv can be judged paper by paper.
 */
static void test_labelled_areas(const struct insights *in)
{
	struct paper_list pool = {0};
	const char *days[] = {"2025-12-26", "2025-01-23", "2024-05-27", "2026-05-12"};
	for (size_t i = 0; i < PB_ARRAY_LEN(days); i++)
		load_day(days[i], &pool);
	char *path = xasprintf("%s/../../data/demo/month.json", TEST_FIXTURES);
	json_t *month = json_load_file(path, 0, NULL);
	CHECK(month != NULL);
	free(path);
	const char *date;
	json_t *list;
	json_object_foreach(json_object_get(month, "days"), date, list) {
		char *body = json_dumps(list, JSON_COMPACT);
		parse_into(body, strlen(body), date, &pool);
		free(body);
	}
	json_decref(month);

	path = xasprintf("%s/../data/areas_labelled.tsv", TEST_FIXTURES);
	struct buf tsv;
	buf_init(&tsv, BUF_LIMIT_FILE);
	struct pb_err err = PB_ERR_INIT;
	CHECK_INT(fs_read_file(path, &tsv, &err), 0);
	free(path);
	size_t papers = 0, tp = 0, fp = 0, fn = 0;
	char *save = NULL;
	for (char *line = strtok_r(tsv.data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '#')
			continue;
		char *tab = strchr(line, '\t');
		CHECK(tab != NULL);
		if (!tab)
			continue;
		*tab = '\0';
		char *labels = tab + 1, *end = strchr(labels, '\t');
		if (end)
			*end = '\0';
		long index = paper_list_find(&pool, line);
		CHECK(index >= 0);
		if (index < 0) {
			fprintf(stderr, "labelled paper %s is in no fixture\n", line);
			continue;
		}
		uint64_t expected = 0;
		char *lsave = NULL;
		for (char *name = strtok_r(labels, ",", &lsave); name; name = strtok_r(NULL, ",", &lsave)) {
			if (!strcmp(name, "-"))
				continue;
			long a = find_area(in, name);
			CHECK(a >= 0);
			if (a >= 0)
				expected |= UINT64_C(1) << a;
			else
				fprintf(stderr, "%s: no area '%s' in the taxonomy\n", line, name);
		}
		const struct paper *p = &pool.items[index];
		uint64_t got = insights_paper_areas(in, p);
		papers++;
		for (size_t a = 0; a < insights_area_count(in); a++) {
			bool e = expected >> a & 1, g = got >> a & 1;
			tp += e && g;
			fp += !e && g;
			fn += e && !g;
			if (e != g)
				fprintf(stderr, "  %s %s %s: %.60s\n", e ? "missed" : "extra ", insights_area_name(in, a),
					line, p->title);
		}
	}
	buf_release(&tsv);
	double precision = tp + fp ? (double)tp / (double)(tp + fp) : 0;
	double recall = tp + fn ? (double)tp / (double)(tp + fn) : 0;
	fprintf(stderr, "areas on %zu labelled papers: precision %.3f (%zu/%zu), recall %.3f (%zu/%zu)\n",
		papers, precision, tp, tp + fp, recall, tp, tp + fn);
	CHECK(papers >= 120);
	CHECK(precision >= 0.9);
	CHECK(recall >= 0.8);

	/* The two false positives of the review: 稀疏奖励 and 蒸馏 in RL papers are not 高效推理;
	 * 预训练 does not make a video paper 语言模型. */
	long efficient = find_area(in, "高效推理"), language = find_area(in, "语言模型");
	const char *rl[] = {"2512.20605", "2512.13043"};
	for (size_t i = 0; i < PB_ARRAY_LEN(rl); i++) {
		long k = paper_list_find(&pool, rl[i]);
		CHECK(k >= 0 && !(insights_paper_areas(in, &pool.items[k]) >> efficient & 1));
	}
	long video = paper_list_find(&pool, "2512.19949");
	CHECK(video >= 0 && !(insights_paper_areas(in, &pool.items[video]) >> language & 1));
	paper_list_release(&pool);
}

static bool has_keyword(const struct keyword_list *k, const char *word)
{
	for (size_t i = 0; i < k->n; i++)
		if (!strcmp(k->items[i].word, word))
			return true;
	return false;
}

int main(void)
{
	ui = ui_of("zh-CN");
	struct insights *in;
	struct pb_err err = PB_ERR_INIT;
	CHECK_INT(insights_new(&in, &err), 0);
	CHECK(insights_area_count(in) >= 12);

	struct paper_list day = {0};
	load_day("2025-12-26", &day);
	struct day_insights d;
	insights_day(in, &day, &d);
	char *hot = insights_hot_topics(in, ui, &d, 5);
	fprintf(stderr, "2025-12-26 热门领域：%s\n", hot);
	CHECK_CONTAINS(hot, "强化学习(");
	CHECK_CONTAINS(hot, "、");
	/* 2512.20605 is hierarchical reinforcement learning: 强化学习 is among its areas. */
	char *areas = insights_area_names(in, ui, d.paper_areas[1], 5);
	CHECK_CONTAINS(areas, "强化学习");
	free(areas);
	fprintf(stderr, "top keywords:");
	for (size_t i = 0; i < d.keywords.n && i < 25; i++)
		fprintf(stderr, " %s(%ld)", d.keywords.items[i].word, d.keywords.items[i].count);
	fprintf(stderr, "\n");
	CHECK(d.keywords.n >= 20);
	/* Domain phrases stay whole; the prompt labels never count. */
	CHECK(has_keyword(&d.keywords, "强化学习"));
	CHECK(has_keyword(&d.keywords, "多模态"));
	CHECK(!has_keyword(&d.keywords, "标题"));
	CHECK(!has_keyword(&d.keywords, "摘要"));
	/* One concept, one word: the acronyms and English terms fold into the Chinese form. */
	CHECK(has_keyword(&d.keywords, "视觉语言模型"));
	CHECK(has_keyword(&d.keywords, "多模态大模型"));
	CHECK(has_keyword(&d.keywords, "视频生成"));
	const char *folded[] = {"VLM", "LMM", "RL", "AR", "reinforcement learning", "video generation",
				"令牌", "sparse reward"};
	for (size_t i = 0; i < PB_ARRAY_LEN(folded); i++) {
		CHECK(!has_keyword(&d.keywords, folded[i]));
		if (has_keyword(&d.keywords, folded[i]))
			fprintf(stderr, "not folded: %s\n", folded[i]);
	}
	/* Filler is not a keyword: stop words, and qualifiers ICU cuts out (没有, 无关). */
	const char *filler[] = {"没有", "无关", "昂贵", "意义", "真实", "中间", "增加", "展现", "大型",
				"检查", "而无", "而言"};
	for (size_t i = 0; i < PB_ARRAY_LEN(filler); i++) {
		CHECK(!has_keyword(&d.keywords, filler[i]));
		if (has_keyword(&d.keywords, filler[i]))
			fprintf(stderr, "filler kept: %s\n", filler[i]);
	}
	/* A paper counts once per keyword: 三维, said 14 times almost all by one paper, is not the
	 * day's top word; no count exceeds the papers of the day. */
	CHECK(strcmp(d.keywords.items[0].word, "三维") != 0);
	for (size_t i = 0; i < d.keywords.n; i++) {
		CHECK(d.keywords.items[i].count <= (long)day.n);
		CHECK(d.keywords.items[i].mentions >= d.keywords.items[i].count);
	}
	/* Counts never go up going down the list. */
	for (size_t i = 1; i < d.keywords.n; i++)
		CHECK(d.keywords.items[i - 1].count >= d.keywords.items[i].count);
	free(hot);
	day_insights_release(&d);
	paper_list_release(&day);

	/* "RL" is a whole word: "world" and "controller" do not make a paper about RL. */
	struct paper_list one = {0};
	struct paper *p = paper_list_push(&one);
	p->id = xstrdup("x");
	p->title = xstrdup("A world model for the real world");
	p->abstract = xstrdup("We build a controller for the world of URLs and overRL-free tasks.");
	uint64_t mask = insights_paper_areas(in, p);
	char *names = insights_area_names(in, ui, mask, 10);
	CHECK(strstr(names, "强化学习") == NULL);
	free(names);
	free(p->abstract);
	p->abstract = xstrdup("We train it with RL and PPO, and RLHF-style rewards.");
	names = insights_area_names(in, ui, insights_paper_areas(in, p), 10);
	CHECK_CONTAINS(names, "强化学习");
	free(names);
	/* Chinese patterns read the translation. */
	free(p->abstract);
	p->abstract = xstrdup("Nothing here.");
	p->title_zh = xstrdup("一种视频生成方法");
	p->abstract_zh = xstrdup("我们提出了视频生成的新方法。");
	names = insights_area_names(in, ui, insights_paper_areas(in, p), 10);
	CHECK_STR(names, "视频生成");
	free(names);

	struct day_insights none;
	free(p->title_zh);
	free(p->abstract_zh);
	p->title_zh = p->abstract_zh = NULL;
	insights_day(in, &one, &none);
	hot = insights_hot_topics(in, ui, &none, 5);
	CHECK_STR(hot, "综合");
	free(hot);
	/* zh-TW shows the same areas by their Taiwan names. */
	struct ui_strings *tw = ui_of("zh-TW");
	CHECK(tw != NULL);
	if (tw) {
		hot = insights_hot_topics(in, tw, &none, 5);
		CHECK_STR(hot, "綜合");
		free(hot);
		names = insights_area_names(in, tw, 1u << 2 | 1u << 3 | 1u << 10, 10);
		CHECK_STR(names, "影片生成 \xC2\xB7 影像生成 \xC2\xB7 程式碼");
		free(names);
		ui_strings_free(tw);
	}
	day_insights_release(&none);
	paper_list_release(&one);

	/* Ties keep taxonomy order; the format is "名(n)、名(n)". */
	struct day_insights fake = {0};
	struct area_count areas_fake[] = {{1, 2}, {0, 2}, {2, 1}};
	fake.areas = areas_fake;
	fake.n_areas = 3;
	hot = insights_hot_topics(in, ui, &fake, 2);
	char *expect = xasprintf("%s(2)、%s(2)", insights_area_name(in, 1), insights_area_name(in, 0));
	CHECK_STR(hot, expect);
	free(expect);
	free(hot);

	/* Document frequency: one paper saying a term ten times, in three forms, counts once. */
	{
		struct paper q = {0};
		q.id = xstrdup("y");
		q.title = xstrdup("RL for RL: reinforcement learning with RL");
		q.abstract = xstrdup("RL, RL, RL and RL; reinforcement learning and RL.");
		q.title_zh = xstrdup("强化学习");
		q.abstract_zh = xstrdup("强化学习强化学习。没有无关的真实意义。");
		struct keyword_counter *kc = keyword_counter_new();
		insights_count_keywords(in, &q, kc);
		struct keyword_list kl;
		keyword_counter_sorted(kc, 0, &kl);
		CHECK(kl.n >= 1);
		if (kl.n) {
			CHECK_STR(kl.items[0].word, "强化学习");
			CHECK_INT(kl.items[0].count, 1);
			CHECK(kl.items[0].mentions >= 10);
		}
		CHECK(!has_keyword(&kl, "RL"));
		CHECK(!has_keyword(&kl, "没有"));
		CHECK(!has_keyword(&kl, "无关"));
		CHECK(!has_keyword(&kl, "真实"));
		CHECK(!has_keyword(&kl, "意义"));
		keyword_list_release(&kl);
		keyword_counter_free(kc);
		paper_release(&q);
	}

	/* A window: counts add up across days. */
	struct keyword_counter *c = keyword_counter_new();
	keyword_counter_add(c, "多模态", 2);
	keyword_counter_add(c, "LLM", 1);
	keyword_counter_add(c, "多模态", 3);
	struct keyword_list top;
	keyword_counter_sorted(c, 1, &top);
	CHECK_INT(top.n, 1);
	CHECK_STR(top.items[0].word, "多模态");
	CHECK_INT(top.items[0].count, 5);
	keyword_list_release(&top);
	keyword_counter_free(c);
	test_labelled_areas(in);
	insights_free(in);
	ui_strings_free(ui);
	return test_report("test_insights");
}
