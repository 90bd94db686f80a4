/* Unit tests for render/wordcloud: a valid, deterministic, non-blank cloud. */
#include "core/common.h"

#include "core/buf.h"
#include "core/fsutil.h"
#include "render/wordcloud.h"
#include "harness.h"

#include <cairo.h>
#include <stdlib.h>
#include <unistd.h>

static const struct cloud_word words[] = {
	{"强化学习", 14}, {"多模态", 12}, {"视频生成", 11}, {"自回归", 9}, {"三维", 9},
	{"LLM", 8}, {"智能体", 8}, {"扩散模型", 7}, {"world model", 7}, {"奖励", 6},
	{"视觉语言模型", 6}, {"令牌", 6}, {"推理", 6}, {"VLM", 5}, {"空间记忆", 5},
	{"diffusion model", 5}, {"教师", 4}, {"蒸馏", 4}, {"检查点", 4}, {"微调", 4},
	{"基准", 3}, {"预训练", 3}, {"video generation", 3}, {"RL", 3}, {"GTR", 3},
	{"稀疏奖励", 3}, {"层次结构", 2}, {"点云", 2}, {"SLAM", 2}, {"ELBO", 2},
	{"像素空间", 2}, {"证据下界", 2}, {"ImageNet", 2}, {"长期一致性", 2}, {"控制器", 2},
	{"探索", 2}, {"时间抽象", 2}, {"数学推理", 2}, {"认知结构", 1}, {"episode", 1},
	{"语言模型", 1}, {"几何", 1}, {"相机控制", 1}, {"交互编辑", 1}, {"软逻辑", 1},
};

static size_t differing_pixels(const char *path, int *w, int *h)
{
	cairo_surface_t *s = cairo_image_surface_create_from_png(path);
	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
		cairo_surface_destroy(s);
		return 0;
	}
	*w = cairo_image_surface_get_width(s);
	*h = cairo_image_surface_get_height(s);
	const uint32_t *px = (const uint32_t *)cairo_image_surface_get_data(s);
	int stride = cairo_image_surface_get_stride(s) / 4;
	size_t diff = 0;
	for (int y = 0; y < *h; y++)
		for (int x = 0; x < *w; x++)
			diff += (px[y * stride + x] & 0xFFFFFF) != (px[0] & 0xFFFFFF);
	cairo_surface_destroy(s);
	return diff;
}

int main(void)
{
	char dir[] = "/tmp/pb-test-cloud-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	char *a = xasprintf("%s/a.png", dir), *b = xasprintf("%s/b.png", dir);
	struct pb_err err = PB_ERR_INIT;
	size_t placed = 0;
	size_t n = PB_ARRAY_LEN(words);
	CHECK_INT(wordcloud_render_png(words, n, a, &placed, &err), 0);
	CHECK(placed >= n - 3); /* a tiny last word may find no spot; the rest all fit */
	CHECK_INT(wordcloud_render_png(words, n, b, NULL, &err), 0);
	int w = 0, h = 0;
	size_t ink = differing_pixels(a, &w, &h);
	CHECK_INT(w, WORDCLOUD_WIDTH);
	CHECK_INT(h, WORDCLOUD_HEIGHT);
	CHECK(ink > (size_t)(w * h) / 20); /* clearly not blank */
	struct buf x, y;
	buf_init(&x, BUF_LIMIT_FILE);
	buf_init(&y, BUF_LIMIT_FILE);
	CHECK_INT(fs_read_file(a, &x, &err), 0);
	CHECK_INT(fs_read_file(b, &y, &err), 0);
	CHECK(x.len == y.len && !memcmp(x.data, y.data, x.len)); /* same input, same bytes */
	buf_release(&x);
	buf_release(&y);

	/* One word, equal weights, and nothing at all still make a picture. */
	CHECK_INT(wordcloud_render_png(words, 1, a, &placed, &err), 0);
	CHECK_INT(placed, 1);
	CHECK_INT(wordcloud_render_png(words, 0, a, &placed, &err), 0);
	CHECK_INT(placed, 0);
	if (getenv("PB_KEEP_PICTURES"))
		wordcloud_render_png(words, n, "/tmp/wordcloud-sample.png", NULL, &err);

	unlink(a);
	unlink(b);
	rmdir(dir);
	free(a);
	free(b);
	return test_report("test_wordcloud");
}
