/* Unit tests for the poster: 1080 wide, as tall as its cards, deterministic, CJK as glyphs. */
#include "core/common.h"

#include "render/canvas.h"
#include "render/poster.h"
#include "render/qr.h"
#include "core/buf.h"
#include "core/fsutil.h"
#include "lang/lang.h"
#include "harness.h"
#include "ui_helper.h"

#include <stdlib.h>
#include <unistd.h>

static struct ui_strings *ui;

static const struct poster_paper papers[] = {
	{"VA-π：针对像素感知自回归生成的变分策略对齐",
	 "提出变分策略对齐方法，让自回归图像生成器直接在像素空间上优化，"
	 "显著提升生成质量与一致性。",
	 128, "强化学习 · 图像生成", 3},
	{"GTR-Turbo：合并检查点秘密地成为代理性视觉语言模型训练的“免费”教师",
	 "把训练过程中的检查点合并成教师模型，无需额外的大模型即可为视觉语言智能体"
	 "提供稳定的指导信号。在多个代理基准上超过了依赖外部教师的方法。",
	 96, "强化学习 · 多模态 · 智能体", 1},
	{"Schoenfeld's Anatomy of Mathematical Reasoning by Language Models: ThinkARM, a "
	 "Framework for Analysing Episodes of Reasoning Traces at Scale Across Thousands of "
	 "Competition Problems",
	 NULL, 77, "大语言模型 · 推理", 7},
	{"视频扩散模型中的时间一致性：一种无需训练的注意力重加权方法",
	 "通过在推理时重新加权跨帧注意力，减少长视频生成中的闪烁与漂移。", 64,
	 "视频生成 · 扩散模型", 2},
	{"面向长上下文的稀疏注意力：在百万词元上保持线性复杂度",
	 "设计块稀疏注意力模式并配合高效内核，使百万词元上下文的推理成本接近线性。", 51,
	 "大语言模型 · 高效推理", 12},
	{"用合成数据教会小模型做几何证明", "", 40, "数学推理", 5},
	{"MMSearch-R1：激励多模态大模型按需搜索",
	 "用强化学习训练多模态模型在不确定时主动调用图像与文本搜索。", 33,
	 "强化学习 · 多模态 · 检索增强", 9},
	{"机器人操作中的世界模型：从视频预训练到策略微调",
	 "在大规模人类视频上预训练世界模型，再用少量机器人数据微调策略。", 27, "机器人 · 世界模型", 4},
	{"语音大模型的低延迟流式对话", "一种边听边说的流式架构，把端到端响应延迟降到两百毫秒以内。",
	 19, "语音 · 大语言模型", 10},
	{"基于偏好数据的奖励模型校准", "分析奖励模型的过度自信问题并提出温度校准方法。", 12,
	 "对齐 · 强化学习", 6},
};

static cairo_surface_t *render(const char *dir, const char *name, size_t n, size_t total,
			       const char *hot, struct buf *bytes)
{
	struct poster p = {"2025-12-26", total, papers, n, hot, NULL, NULL};
	char *path = xasprintf("%s/%s", dir, name);
	struct pb_err err = PB_ERR_INIT;
	CHECK_INT(poster_render_png(&p, ui, path, &err), 0);
	if (err.msg[0])
		fprintf(stderr, "%s\n", err.msg);
	if (bytes) {
		buf_init(bytes, BUF_LIMIT_FILE);
		CHECK_INT(fs_read_file(path, bytes, &err), 0);
	}
	cairo_surface_t *s = cairo_image_surface_create_from_png(path);
	CHECK_INT(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
	unlink(path);
	free(path);
	return s;
}

static uint32_t pixel(cairo_surface_t *s, int x, int y)
{
	const unsigned char *row = cairo_image_surface_get_data(s) +
				   (size_t)y * (size_t)cairo_image_surface_get_stride(s);
	uint32_t v;
	memcpy(&v, row + (size_t)x * 4, sizeof(v));
	return v & 0xffffff;
}

/* Distinct colours seen on a grid of samples: a blank picture has one. */
static int distinct_colours(cairo_surface_t *s)
{
	uint32_t seen[64];
	int n = 0;
	int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
	for (int y = 0; y < h && n < 64; y += 7)
		for (int x = 0; x < w && n < 64; x += 5) {
			uint32_t v = pixel(s, x, y);
			int k = 0;
			while (k < n && seen[k] != v)
				k++;
			if (k == n)
				seen[n++] = v;
		}
	return n;
}

/* Nothing is drawn into the outer strips: every row is one colour there. */
static bool edges_clear(cairo_surface_t *s, int strip)
{
	int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
	for (int y = 0; y < h; y++)
		for (int x = 0; x < strip; x++)
			if (pixel(s, x, y) != pixel(s, 0, y) ||
			    pixel(s, w - 1 - x, y) != pixel(s, w - 1, y))
				return false;
	return true;
}

/* Dark pixels of text drawn on white, and whether pango had a glyph for every character. */
static long ink_of(const char *text, int *unknown, struct buf *pixels)
{
	struct canvas c;
	struct pb_err err = PB_ERR_INIT;
	CHECK_INT(canvas_init(&c, 240, 80, &err), 0);
	canvas_clear(&c, (struct rgb){1, 1, 1});
	struct text_style st = {48, PANGO_WEIGHT_NORMAL, canvas_ink, NULL};
	PangoLayout *layout = canvas_layout(c.cr, text, &st, 0, 0);
	*unknown = pango_layout_get_unknown_glyphs_count(layout);
	canvas_draw_layout(c.cr, layout, st.color, 4, 4);
	g_object_unref(layout);
	cairo_surface_flush(c.surface);
	long ink = 0;
	buf_init(pixels, BUF_LIMIT_NONE);
	for (int y = 0; y < c.height; y++)
		for (int x = 0; x < c.width; x++) {
			uint32_t v = pixel(c.surface, x, y);
			sb_add(pixels, &v, sizeof(v));
			ink += (v & 0xff) < 0x80;
		}
	canvas_release(&c);
	return ink;
}

int main(void)
{
	ui = ui_of("zh-CN");
	char dir[] = "/tmp/pb-test-poster-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);

	struct buf a, b;
	const char *hot = "强化学习(4)、大语言模型(3)、多模态(2)";
	cairo_surface_t *ten = render(dir, "ten.png", 10, 50, hot, &a);
	CHECK_INT(cairo_image_surface_get_width(ten), POSTER_WIDTH);
	CHECK(distinct_colours(ten) > 8);
	CHECK(edges_clear(ten, 40));
	/* Same input, same bytes. */
	cairo_surface_t *again = render(dir, "again.png", 10, 50, hot, &b);
	CHECK(a.len > 1000 && a.len == b.len && memcmp(a.data, b.data, a.len) == 0);
	buf_release(&b);

	/* zh-TW: the caller passes Traditional text; the poster's own words follow ui. */
	struct ui_strings *cn = ui;
	ui = ui_of("zh-TW");
	CHECK(ui != NULL);
	if (ui) {
		struct buf c;
		cairo_surface_t *tw = render(dir, "tw.png", 10, 50, "強化學習(4)、大型語言模型(3)", &c);
		CHECK_INT(cairo_image_surface_get_width(tw), POSTER_WIDTH);
		CHECK(edges_clear(tw, 40));
		CHECK(c.len > 1000 && (c.len != a.len || memcmp(a.data, c.data, a.len)));
		const char *keep = getenv("PAPERBOY_TEST_KEEP");
		if (keep) {
			char *kept = path_join(keep, "poster.zh-TW.png");
			CHECK_INT(fs_write_atomic(kept, c.data, c.len, &(struct pb_err)PB_ERR_INIT), 0);
			free(kept);
		}
		buf_release(&c);
		cairo_surface_destroy(tw);
		ui_strings_free(ui);
	}
	ui = cn;
	buf_release(&a);

	cairo_surface_t *one = render(dir, "one.png", 1, 1, "", NULL);
	cairo_surface_t *three = render(dir, "three.png", 3, 3, NULL, NULL);
	CHECK_INT(cairo_image_surface_get_width(one), POSTER_WIDTH);
	CHECK(edges_clear(three, 40));
	int h1 = cairo_image_surface_get_height(one), h3 = cairo_image_surface_get_height(three),
	    h10 = cairo_image_surface_get_height(ten);
	CHECK(h1 > 600 && h1 < h3 && h3 < h10);
	CHECK(h10 < 6000);
	/* More cards than fit: the poster stops at POSTER_MAX_CARDS. */
	struct poster many = {"2025-12-26", 80, papers, 12, hot, NULL, NULL};
	struct pb_err err = PB_ERR_INIT;
	char *path = xasprintf("%s/many.png", dir);
	struct poster_paper twelve[12];
	for (size_t i = 0; i < 12; i++)
		twelve[i] = papers[i % PB_ARRAY_LEN(papers)];
	many.papers = twelve;
	CHECK_INT(poster_render_png(&many, ui, path, &err), 0);
	cairo_surface_t *capped = cairo_image_surface_create_from_png(path);
	CHECK_INT(cairo_image_surface_get_height(capped), h10);
	cairo_surface_destroy(capped);
	unlink(path);
	free(path);

	/* An empty day still makes a poster. */
	cairo_surface_t *none = render(dir, "none.png", 0, 0, NULL, NULL);
	CHECK(cairo_image_surface_get_height(none) < h1);
	cairo_surface_destroy(none);

	/*
	 * Hostile text: a newline, a tab, an invalid byte, one word longer than the
	 * card; then a very long Chinese title, summary and list of topics.
	 */
	struct poster_paper odd[] = {{
		"line\nbreak\tand \xff byte "
		"Aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
		"x\n\n\n\n\ny", -3,
		" · 一个非常非常非常非常非常非常非常非常非常非常非常非常非常非常非常"
		"非常非常非常非常长的领域名称 · · x ", 0},
		{"一种面向多模态大语言模型的可扩展、可解释且高效的统一视觉语言预训练框架：从数据清洗、"
		 "课程学习到强化学习对齐的全流程研究与大规模实证分析",
		 "我们系统研究了多模态预训练的每一个环节，并在二十余个基准上给出详尽的对比实验，"
		 "结果表明数据质量比数据规模更重要，课程学习能显著加快收敛，而强化学习对齐则进一步"
		 "提升了模型在开放式问答中的可靠性与安全性。",
		 100000000, "多模态 · 预训练 · 强化学习 · 对齐 · 数据工程 · 课程学习 · 评测基准", 123}};
	struct poster hostile = {"2025-12-26", 2, odd, 2, "a\nb", NULL, NULL};
	path = xasprintf("%s/odd.png", dir);
	CHECK_INT(poster_render_png(&hostile, ui, path, &err), 0);
	cairo_surface_t *o = cairo_image_surface_create_from_png(path);
	CHECK_INT(cairo_image_surface_get_width(o), POSTER_WIDTH);
	CHECK(edges_clear(o, 40));
	CHECK(cairo_image_surface_get_height(o) < h10);
	cairo_surface_destroy(o);
	unlink(path);

	/* Errors: no date, a bad date, a path that cannot be written. */
	struct poster bad = {NULL, 1, papers, 1, NULL, NULL, NULL};
	pb_err_clear(&err);
	CHECK_INT(poster_render_png(&bad, ui, path, &err), PB_ERR_USAGE);
	bad.date = "";
	pb_err_clear(&err);
	CHECK_INT(poster_render_png(&bad, ui, path, &err), PB_ERR_USAGE);
	bad.date = "2025-02-30";
	pb_err_clear(&err);
	CHECK_INT(poster_render_png(&bad, ui, path, &err), PB_ERR_USAGE);
	CHECK_CONTAINS(err.msg, "2025-02-30");
	CHECK(access(path, F_OK) != 0);
	free(path);
	bad.date = "2025-12-26";
	path = xasprintf("%s/file", dir);
	FILE *f = fopen(path, "w");
	CHECK(f != NULL);
	if (f)
		fclose(f);
	char *under_file = xasprintf("%s/poster.png", path);
	pb_err_clear(&err);
	CHECK(poster_render_png(&bad, ui, under_file, &err) < 0);
	CHECK_CONTAINS(err.msg, path);
	unlink(path);
	free(under_file);
	free(path);

	/* The edition's URL as a QR code, decoded back by zbarimg (scripts/deps.sh installs zbar-tools). */
	const char *url = "https://example.org/daily/newsletters/2025-12-26_daily_paper.html";
	char *joined = poster_join_url("https://example.org/daily/", "/newsletters/2025-12-26_daily_paper.html");
	CHECK_STR(joined, url);
	free(joined);
	joined = poster_join_url("https://example.org/daily", "newsletters/2025-12-26_daily_paper.html");
	CHECK_STR(joined, url);
	free(joined);
	struct poster linked = {"2025-12-26", 50, papers, 10, hot, url, "论文小报"};
	path = xasprintf("%s/linked.png", dir);
	pb_err_clear(&err);
	CHECK_INT(poster_render_png(&linked, ui, path, &err), 0);
	cairo_surface_t *l = cairo_image_surface_create_from_png(path);
	CHECK(cairo_image_surface_get_height(l) > h10 + 150); /* room for the code */
	cairo_surface_destroy(l);
	CHECK(system("command -v zbarimg >/dev/null 2>&1") == 0); /* a missing decoder fails, never skips */
	{
		char *cmd = xasprintf("zbarimg -q --raw '%s' 2>/dev/null", path);
		FILE *z = popen(cmd, "r");
		char line[512] = "";
		CHECK(z && fgets(line, sizeof(line), z));
		if (z)
			pclose(z);
		line[strcspn(line, "\n")] = '\0';
		CHECK_STR(line, url);
		free(cmd);
	}
	unlink(path);
	free(path);
	/* The code itself: version 5 (37 modules) for this URL at level M, finder patterns in
	 * three corners, the quiet zone white when drawn. */
	struct qr q;
	CHECK_INT(qr_encode(url, &q), 0);
	CHECK_INT(q.width, 37);
	for (int i = 0; i < 7; i++) {
		CHECK(q.dark[i] && q.dark[(size_t)i * 37] && q.dark[6 * 37 + i]); /* top-left ring */
		CHECK(q.dark[36 - i] && q.dark[(size_t)(36 - 6 + 0) * 37 + i]);    /* the other two */
	}
	CHECK(!q.dark[7] && !q.dark[7 * 37]); /* the separator */
	struct canvas qc;
	CHECK_INT(canvas_init(&qc, 400, 400, &err), 0);
	canvas_clear(&qc, (struct rgb){0.5, 0.5, 0.5});
	qr_draw(qc.cr, &q, 10, 10, 4);
	cairo_surface_flush(qc.surface);
	CHECK_INT(qr_side(&q, 4), (37 + 2 * QR_QUIET_ZONE) * 4);
	CHECK_INT(pixel(qc.surface, 10 + 15, 10 + 15), 0xffffff);          /* quiet zone */
	CHECK_INT(pixel(qc.surface, 10 + 16 + 1, 10 + 16 + 1), 0x000000);  /* first module */
	CHECK_INT(pixel(qc.surface, 5, 5), pixel(qc.surface, 399, 399));   /* nothing outside */
	canvas_release(&qc);
	qr_release(&q);
	CHECK(qr_encode("", &q) != 0);

	/* Chinese renders as glyphs from the CJK font, not as missing-glyph boxes. */
	struct buf cjk_px, box_px;
	int cjk_unknown, box_unknown;
	long cjk = ink_of("强化学习", &cjk_unknown, &cjk_px);
	long box = ink_of("\xF4\x8F\xBF\xBD\xF4\x8F\xBF\xBD", &box_unknown, &box_px); /* U+10FFFD */
	CHECK_INT(cjk_unknown, 0);
	CHECK(box_unknown > 0);
	CHECK(cjk > 400);
	CHECK(cjk != box);
	CHECK(cjk_px.len == box_px.len && memcmp(cjk_px.data, box_px.data, cjk_px.len) != 0);
	buf_release(&cjk_px);
	buf_release(&box_px);

	cairo_surface_destroy(ten);
	cairo_surface_destroy(again);
	cairo_surface_destroy(one);
	cairo_surface_destroy(three);
	CHECK(rmdir(dir) == 0);
	/* Let go of pango's font caches so leak checkers see only our memory. */
	canvas_release_fonts();
	ui_strings_free(ui);
	return test_report("test_poster");
}
