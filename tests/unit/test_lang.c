/* Unit tests for lang: the language table, OpenCC conversion with glossary overrides, UI strings. */
#include "core/common.h"

#include "lang/lang.h"
#include "core/buf.h"
#include "core/data.h"
#include "core/fsutil.h"
#include "translate/prompt.h"
#include "harness.h"

#include <jansson.h>
#include <opencc.h>
#include <stdlib.h>
#include <string.h>

static struct lang_converter *converter(const char *code)
{
	struct lang_converter *cv = NULL;
	struct pb_err err = PB_ERR_INIT;
	int rc = lang_converter_new(lang_find(code), &cv, &err);
	CHECK_INT(rc, 0);
	if (rc)
		fprintf(stderr, "%s: %s (%s)\n", code, err.msg, err.hint);
	return cv;
}

static void check_convert(struct lang_converter *cv, const char *in, const char *expect)
{
	char *out = lang_convert(cv, in);
	CHECK_STR(out, expect);
	free(out);
}

static void test_table(void)
{
	CHECK(lang_find("zh-CN") == lang_default());
	CHECK(lang_find("zh-tw") == lang_find("zh-TW"));
	CHECK(lang_find("en") == NULL);
	CHECK(lang_find(NULL) == NULL);
	CHECK_STR(lang_find("zh-TW")->feed_lang, "zh-tw");
	CHECK_STR(lang_find("zh-TW")->html_lang, "zh-TW");
	CHECK(lang_default()->opencc_config == NULL);
	CHECK_CONTAINS(lang_codes(), "zh-TW");
}

/*
 * No Simplified-only character is left: OpenCC's s2t with Taiwan variants
 * (s2tw.json) finds nothing to change in any character of the text. Each
 * character is converted on a line of its own: on running text s2t also
 * re-spells phrases it misreads in Traditional (為了解決 -> 為瞭解決), which
 * says nothing about Simplified characters.
 */
static bool is_traditional(const char *text)
{
	opencc_t s2tw = opencc_open("s2tw.json");
	if (s2tw == (opencc_t)-1)
		return false;
	struct buf lines;
	buf_init(&lines, BUF_LIMIT_NONE);
	for (const char *c = text; *c;) {
		size_t len = 1;
		while (((unsigned char)c[len] & 0xc0) == 0x80)
			len++;
		if (*c != '\n') {
			sb_add(&lines, c, len);
			sb_addc(&lines, '\n');
		}
		c += len;
	}
	char *again = opencc_convert_utf8(s2tw, lines.data, lines.len);
	bool same = again && !strcmp(again, lines.data);
	if (!same)
		fprintf(stderr, "not Traditional throughout: %s\n", text);
	opencc_convert_utf8_free(again);
	opencc_close(s2tw);
	buf_release(&lines);
	return same;
}

static void test_convert(void)
{
	struct lang_converter *tw = converter("zh-TW"), *cn = converter("zh-CN");
	if (!tw || !cn)
		return;
	CHECK(!is_traditional("軟體與软件"));
	CHECK(is_traditional("為了解決秘密"));
	check_convert(tw, "软件", "軟體");
	check_convert(tw, "信息", "資訊");
	check_convert(tw, "软件信息", "軟體資訊");
	check_convert(tw, "", "");
	check_convert(tw, "GPT-4o 与 LLaMA-3", "GPT-4o 與 LLaMA-3");
	CHECK(lang_convert(tw, NULL) == NULL);
	CHECK(lang_convert(cn, NULL) == NULL);
	/* zh-CN is the LLM's own text. */
	check_convert(cn, "软件信息与鲁棒性", "软件信息与鲁棒性");
	/* The glossary's zh-TW column wins over s2twp (魯棒性, 智慧體, 大語言模型, 影象). */
	check_convert(tw, "模型的鲁棒性", "模型的穩健性");
	check_convert(tw, "多智能体系统", "多代理系統");
	check_convert(tw, "大语言模型与视觉语言模型", "大型語言模型與視覺語言模型");
	check_convert(tw, "辅助图像", "輔助影像");
	/* Invalid UTF-8 is repaired, not refused. */
	char *bad = lang_convert(tw, "软件\xff");
	CHECK(bad && !strncmp(bad, "軟體", strlen("軟體")));
	free(bad);
	lang_converter_free(tw);
	lang_converter_free(cn);
	lang_converter_free(NULL);
}

static void test_real_abstract(void)
{
	struct buf text;
	buf_init(&text, BUF_LIMIT_FILE);
	struct pb_err err = PB_ERR_INIT;
	CHECK_INT(fs_read_file(TEST_FIXTURES "/llm-replay/2025-12-26.json", &text, &err), 0);
	json_t *root = json_loads(text.data, 0, NULL);
	buf_release(&text);
	CHECK(root != NULL);
	struct lang_converter *tw = converter("zh-TW");
	const char *key;
	json_t *v;
	size_t n = 0;
	json_object_foreach(root, key, v) {
		const char *zh = json_string_value(json_object_get(v, "translation"));
		if (!zh || !tw)
			continue;
		char *out = lang_convert(tw, zh);
		CHECK(strcmp(out, zh) != 0);
		CHECK(is_traditional(out));
		if (!strcmp(key, "2512.21218")) {
			/* 潜在隐式视觉推理 … 视觉信息 … 辅助图像 … 最先进的成果 */
			CHECK_CONTAINS(out, "標題：潛在隱式視覺推理");
			CHECK_CONTAINS(out, "視覺資訊");
			CHECK_CONTAINS(out, "輔助影像");
			CHECK_CONTAINS(out, "最先進的成果");
		}
		free(out);
		n++;
	}
	CHECK(n >= 5);
	lang_converter_free(tw);
	json_decref(root);
}

static void test_glossary(void)
{
	struct lang_converter *cv = NULL;
	struct pb_err err = PB_ERR_INIT;
	const char *g = "# mine\nagent\t智能体\t代理人\ntoken\t词元\n\t软件\t軟體程式\n";
	CHECK_INT(lang_converter_new_glossary(lang_find("zh-TW"), g, "mine.tsv", &cv, &err), 0);
	if (cv) {
		check_convert(cv, "智能体的软件", "代理人的軟體程式");
		check_convert(cv, "词元", "詞元");
		lang_converter_free(cv);
	}
	cv = NULL;
	CHECK_INT(lang_converter_new_glossary(lang_find("zh-TW"), "a\t\t代理\n", "bad.tsv", &cv, &err),
		  PB_ERR_PARSE);
	CHECK_CONTAINS(err.msg, "bad.tsv' line 1");
	CHECK(cv == NULL);
	pb_err_clear(&err);
	CHECK_INT(lang_converter_new(NULL, &cv, &err), PB_ERR_USAGE);

	/* The prompt lists only the zh-CN column and skips conversion-only rows, so the
	 * prompt (and the version of every stored translation) is what it was. */
	char *lines = NULL;
	size_t terms = 0;
	CHECK_INT(glossary_format(data_get("data/glossary.tsv", NULL), "g", &lines, &terms, &err), 0);
	CHECK_INT(terms, 45);
	CHECK_CONTAINS(lines, "   - agent → 智能体\n   - agentic → 智能体式\n");
	CHECK_CONTAINS(lines, "   - robustness → 鲁棒性\n");
	CHECK(!strstr(lines, "代理") && !strstr(lines, "穩健性") && !strstr(lines, "影像"));
	free(lines);
	struct prompt p;
	CHECK_INT(prompt_load(&p, NULL, &err), 0);
	CHECK_STR(p.version, "p1-92e94e618540");
	prompt_release(&p);
}

static struct ui_strings *load_ui(const char *code)
{
	struct ui_strings *ui = NULL;
	struct pb_err err = PB_ERR_INIT;
	CHECK_INT(ui_strings_load(lang_find(code), &ui, &err), 0);
	if (!ui)
		fprintf(stderr, "%s: %s\n", code, err.msg);
	return ui;
}

/* Placeholders of a value, in order ("{{a}}{{b}}" -> "a,b,"). */
static char *placeholders(const char *s)
{
	struct buf b;
	buf_init(&b, BUF_LIMIT_NONE);
	for (const char *p = strstr(s, "{{"); p; p = strstr(p + 2, "{{")) {
		const char *end = strstr(p, "}}");
		if (!end)
			break;
		sb_add(&b, p + 2, (size_t)(end - p - 2));
		sb_addc(&b, ',');
	}
	return buf_detach(&b);
}

static void test_ui_strings(void)
{
	struct ui_strings *cn = load_ui("zh-CN"), *tw = load_ui("zh-TW");
	if (!cn || !tw)
		return;
	CHECK(ui_language(tw) == lang_find("zh-TW"));
	CHECK_STR(ui_get(cn, "chart.legend_missing"), "未抓取");
	CHECK_STR(ui_get(tw, "chart.legend_missing"), "未擷取");
	CHECK_STR(ui_get(tw, "hot_topics.none"), "綜合");
	CHECK(ui_find(cn, "no.such_key") == NULL);
	char *more = ui_format(tw, "poster.more", (const struct tmpl_var[]){{"count", "3"}}, 1);
	CHECK_STR(more, "另有 3 篇論文，詳見日報");
	free(more);

	/* The same keys in both files, with the same placeholders. */
	size_t n_cn, n_tw;
	const char **kc = ui_keys(cn, &n_cn), **kt = ui_keys(tw, &n_tw);
	CHECK_INT(n_cn, n_tw);
	CHECK(n_cn > 50);
	for (size_t i = 0; i < n_cn; i++) {
		if (!ui_find(tw, kc[i]))
			fprintf(stderr, "zh-TW.ini lacks '%s'\n", kc[i]);
		CHECK(ui_find(tw, kc[i]) != NULL);
	}
	for (size_t i = 0; i < n_tw; i++) {
		if (!ui_find(cn, kt[i])) {
			fprintf(stderr, "zh-CN.ini lacks '%s'\n", kt[i]);
			CHECK(false);
			continue;
		}
		char *pc = placeholders(ui_get(cn, kt[i])), *pt = placeholders(ui_get(tw, kt[i]));
		CHECK_STR(pt, pc);
		free(pc);
		free(pt);
		/* Every zh-TW string is Traditional through and through. */
		CHECK(is_traditional(ui_get(tw, kt[i])));
	}
	free(kc);
	free(kt);

	/* Every research area has a display name in each language. */
	const char *tax = data_get("data/insights/taxonomy.tsv", NULL);
	CHECK(tax != NULL);
	for (const char *line = tax; tax && *line;) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		if (len && line[0] != '#') {
			const char *tab = memchr(line, '\t', len);
			char *key = xasprintf("area.%.*s", (int)(tab ? tab - line : (long)len), line);
			CHECK(ui_find(cn, key) && ui_find(tw, key));
			if (ui_find(cn, key))
				CHECK_STR(ui_get(cn, key), key + 5);
			free(key);
		}
		line += len + (end ? 1 : 0);
	}
	ui_strings_free(cn);
	ui_strings_free(tw);
}

/* inih reads 199 bytes a line at most: a longer line would be cut into two. */
static void test_ini_files(void)
{
	const char *files[] = {"data/lang/zh-CN.ini", "data/lang/zh-TW.ini"};
	for (size_t f = 0; f < PB_ARRAY_LEN(files); f++) {
		const char *text = data_get(files[f], NULL);
		CHECK(text != NULL);
		for (const char *line = text; text && *line;) {
			const char *end = strchr(line, '\n');
			size_t len = end ? (size_t)(end - line) : strlen(line);
			CHECK(len < 199);
			line += len + (end ? 1 : 0);
		}
	}
	struct ui_strings *ui = NULL;
	struct pb_err err = PB_ERR_INIT;
	CHECK_INT(ui_strings_parse(lang_default(), "[a]\nx = \" · \"\ny = 1\n", "t.ini", &ui, &err), 0);
	if (ui) {
		CHECK_STR(ui_get(ui, "a.x"), " · ");
		CHECK_STR(ui_get(ui, "a.y"), "1");
		ui_strings_free(ui);
	}
	ui = NULL;
	CHECK_INT(ui_strings_parse(lang_default(), "[a]\nx = 1\nx = 2\n", "t.ini", &ui, &err),
		  PB_ERR_PARSE);
	CHECK_CONTAINS(err.msg, "'a.x' given twice");
	CHECK(ui == NULL);
	ui_strings_free(NULL);
}

int main(void)
{
	test_table();
	test_convert();
	test_real_abstract();
	test_glossary();
	test_ui_strings();
	test_ini_files();
	return test_report("test_lang");
}
