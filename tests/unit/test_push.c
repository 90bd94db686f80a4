/*
 * Unit tests for deliver/push: every platform's messages keep its limits,
 * show every paper exactly once and in order however long the day, keep
 * hostile titles inert, and are signed as the platforms compute it.
 *
 * The limits are checked here again, independently of push.c's own check,
 * on the JSON parsed back with jansson.
 */
#include "core/common.h"

#include "core/hash.h"
#include "deliver/push.h"
#include "deliver/push_sign.h"
#include "lang/lang.h"
#include "harness.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static const char *const ALL_HOSTILE[] = {
	"@everyone @here 看这里",
	"<!channel> <!here> <@U123> <!subteam^S1>",
	"<at user_id=\"all\">所有人</at> <at id=all></at>",
	"<b>unclosed <i>tags</b> & <script>alert(1)</script>",
	"[x](javascript:alert(1)) **star** _under_ `code` ~strike~",
	"<@userid> <@all> <font color=\"warning\">red</font>",
	"#heading\n> quote\n1. list",
};

/* The digest's strings are its own (char *); the test's are literals it never frees. */
static char *lit(const char *s)
{
	return (char *)s;
}

struct day {
	struct digest d;
	struct digest_paper papers[80];
	char strings[80][3][2048];
};

static void day_init(struct day *day, const struct ui_strings *ui, size_t n)
{
	memset(day, 0, sizeof(*day));
	struct digest *d = &day->d;
	snprintf(d->date, sizeof(d->date), "2025-12-26");
	d->lang = lit("zh-CN");
	d->ui = ui;
	d->title = xasprintf("Hugging Face 论文日报 2025-12-26 · %zu 篇", n);
	d->hot_areas = lit("强化学习(2)、多模态(2)");
	d->edition_url = lit("https://papers.example.org/days/2025-12-26.html");
	d->poster_url = lit("https://papers.example.org/media/2025-12-26/poster.png");
	d->papers = day->papers;
	d->n_papers = n;
	for (size_t i = 0; i < n; i++) {
		struct digest_paper *p = &day->papers[i];
		/* A tag no escaping changes, so a paper can be found in any markup. */
		snprintf(day->strings[i][0], 2048, "PAPER%03zuX 视觉语言模型的长上下文推理与多模态对齐研究", i + 1);
		snprintf(day->strings[i][1], 2048, "2512.%05zu", 21000 + i);
		snprintf(day->strings[i][2], 2048, "https://papers.example.org/days/2025-12-26.html#p%zu", i + 1);
		p->title = day->strings[i][0];
		p->title_en = lit("A Study of Long-Context Reasoning");
		p->id = day->strings[i][1];
		p->url = day->strings[i][2];
		p->summary = lit("本文提出了一种新的强化学习方法，通过在大规模多模态数据上进行预训练，"
				 "显著提升了模型在长上下文推理任务中的表现，并在多个基准上取得了最佳结果。");
		p->areas = lit("强化学习 · 多模态");
		p->upvotes = (long)(100 - i);
	}
}

static void day_release(struct day *day)
{
	free(day->d.title);
}

static size_t chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static size_t utf16(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += (((unsigned char)*s & 0xC0) != 0x80) + ((unsigned char)*s >= 0xF0);
	return n;
}

static const char *str_at(json_t *j, const char *a, const char *b)
{
	json_t *x = json_object_get(j, a);
	if (b)
		x = json_object_get(x, b);
	return json_string_value(x);
}

/* The part of a message that lists papers (Slack's fallback text names one too: left out). */
static char *paper_part(enum push_type t, json_t *j)
{
	json_t *x = NULL;
	switch (t) {
	case PUSH_FEISHU: x = json_object_get(json_object_get(j, "card"), "elements"); break;
	case PUSH_DINGTALK: x = json_object_get(json_object_get(j, "markdown"), "text"); break;
	case PUSH_WECOM: x = json_object_get(json_object_get(j, "markdown"), "content"); break;
	case PUSH_SLACK: x = json_object_get(j, "blocks"); break;
	case PUSH_DISCORD: x = json_object_get(j, "embeds"); break;
	case PUSH_TELEGRAM: x = json_object_get(j, "text"); break;
	default: break;
	}
	if (!x)
		return xstrdup("");
	return json_dumps(x, JSON_ENCODE_ANY | JSON_COMPACT);
}

/* Every platform limit, checked on the message as parsed back. */
static void check_limits(enum push_type t, json_t *j, const char *body)
{
	switch (t) {
	case PUSH_FEISHU:
		CHECK(strlen(body) <= 20000);
		CHECK_STR(str_at(j, "msg_type", NULL), "interactive");
		break;
	case PUSH_DINGTALK:
		CHECK_STR(str_at(j, "msgtype", NULL), "markdown");
		CHECK(str_at(j, "markdown", "title") != NULL);
		CHECK(chars(str_at(j, "markdown", "text")) <= 5000);
		CHECK(json_is_false(json_object_get(json_object_get(j, "at"), "isAtAll")));
		break;
	case PUSH_WECOM:
		CHECK_STR(str_at(j, "msgtype", NULL), "markdown");
		CHECK(strlen(str_at(j, "markdown", "content")) <= 4096);
		break;
	case PUSH_SLACK: {
		json_t *blocks = json_object_get(j, "blocks");
		CHECK(json_array_size(blocks) <= 50);
		CHECK(str_at(j, "text", NULL) != NULL);
		size_t i;
		json_t *b;
		json_array_foreach(blocks, i, b) {
			const char *text = str_at(b, "text", "text");
			if (text)
				CHECK(chars(text) <= 3000);
		}
		break;
	}
	case PUSH_DISCORD: {
		CHECK(chars(str_at(j, "content", NULL)) <= 2000);
		json_t *embeds = json_object_get(j, "embeds");
		CHECK(json_array_size(embeds) <= 10);
		size_t total = 0, i;
		json_t *e;
		json_array_foreach(embeds, i, e) {
			const char *title = str_at(e, "title", NULL), *desc = str_at(e, "description", NULL);
			size_t a = title ? chars(title) : 0, b = desc ? chars(desc) : 0;
			CHECK(a <= 256);
			CHECK(b <= 4096);
			total += a + b;
		}
		CHECK(total <= 6000);
		json_t *parse = json_object_get(json_object_get(j, "allowed_mentions"), "parse");
		CHECK(json_is_array(parse) && json_array_size(parse) == 0);
		break;
	}
	case PUSH_TELEGRAM:
		CHECK_STR(str_at(j, "parse_mode", NULL), "HTML");
		CHECK_STR(str_at(j, "chat_id", NULL), "-1001234");
		if (str_at(j, "caption", NULL))
			CHECK(utf16(str_at(j, "caption", NULL)) <= 1024);
		else
			CHECK(utf16(str_at(j, "text", NULL)) <= 4096);
		break;
	default:
		break;
	}
}

static const struct push_channel CHANNELS[PUSH_TYPE_COUNT] = {
	{"fs", PUSH_FEISHU, .url = "https://open.feishu.cn/open-apis/bot/v2/hook/TOKEN", .secret = "s"},
	{"dt", PUSH_DINGTALK, .url = "https://oapi.dingtalk.com/robot/send?access_token=TOKEN"},
	{"wc", PUSH_WECOM, .url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=KEY"},
	{"sl", PUSH_SLACK, .url = "https://hooks.slack.com/services/T/B/X"},
	{"dc", PUSH_DISCORD, .url = "https://discord.com/api/webhooks/1/TOKEN"},
	{"tg", PUSH_TELEGRAM, .token = "123:ABC", .chat_id = "-1001234"},
};

/* Render d for t; check limits and that the papers appear once each, in order. Returns parts. */
static size_t check_day(enum push_type t, const struct digest *d, struct push_batch *b)
{
	struct pb_err err = PB_ERR_INIT;
	memset(b, 0, sizeof(*b));
	int rc = push_render_digest(&CHANNELS[t], d, b, &err);
	CHECK_INT(rc, 0);
	if (rc)
		fprintf(stderr, "%s: %s\n", push_type_name(t), err.msg);
	size_t next = 0, texts = 0; /* the paper expected next */
	for (size_t k = 0; k < b->n; k++) {
		const struct push_message *m = &b->items[k];
		json_error_t je;
		json_t *j = json_loads(m->body, 0, &je);
		CHECK(json_is_object(j));
		if (!j) {
			fprintf(stderr, "%s message %zu: %s\n", push_type_name(t), k, je.text);
			continue;
		}
		check_limits(t, j, m->body);
		CHECK(m->preview && *m->preview);
		CHECK(strstr(m->body, "TOKEN") == NULL);
		if (t == PUSH_TELEGRAM) {
			CHECK(m->method && (!strcmp(m->method, "sendMessage") || !strcmp(m->method, "sendPhoto")));
			if (!strcmp(m->method, "sendPhoto")) {
				CHECK_INT(k, 0);
				CHECK_STR(str_at(j, "photo", NULL), d->poster_url);
				json_decref(j);
				continue;
			}
		} else {
			CHECK(m->method == NULL);
		}
		texts++;
		/* The heading with the count, and the hot areas, in every message. */
		CHECK_CONTAINS(m->body, "论文日报");
		CHECK_CONTAINS(m->body, "热门领域");
		char *part = paper_part(t, j);
		for (const char *p = part; (p = strstr(p, "PAPER")); p += 5) {
			unsigned long no = strtoul(p + 5, NULL, 10);
			CHECK_INT(no, next + 1);
			next = no;
		}
		free(part);
		json_decref(j);
	}
	CHECK_INT(next, d->n_papers);
	return texts;
}

static void test_normal_day(const struct ui_strings *ui)
{
	struct day *day = xcalloc(1, sizeof(*day));
	day_init(day, ui, 7);
	for (int t = 0; t < PUSH_TYPE_COUNT; t++) {
		struct push_batch b;
		CHECK_INT(check_day((enum push_type)t, &day->d, &b), 1);
		/* The poster where the platform shows images (Feishu: a button; WeCom: none). */
		const char *all = b.items[0].body;
		if (t != PUSH_WECOM)
			CHECK_CONTAINS(all, "poster.png");
		else
			CHECK(strstr(all, "poster.png") == NULL);
		if (t == PUSH_TELEGRAM)
			CHECK_INT(b.n, 2);
		CHECK(strstr(b.items[b.n - 1].body, "（1/") == NULL);
		CHECK_CONTAINS(b.items[b.n - 1].preview, "PAPER007X");
		push_batch_release(&b);
	}
	/* Without a poster URL, no image and no Telegram photo. */
	day->d.poster_url = NULL;
	struct push_batch b = {0};
	struct pb_err err = PB_ERR_INIT;
	CHECK_INT(push_render_digest(&CHANNELS[PUSH_TELEGRAM], &day->d, &b, &err), 0);
	CHECK_INT(b.n, 1);
	CHECK_STR(b.items[0].method, "sendMessage");
	push_batch_release(&b);
	day_release(day);
	free(day);
}

static void test_long_day(const struct ui_strings *ui)
{
	struct day *day = xcalloc(1, sizeof(*day));
	day_init(day, ui, 60);
	/* Long Chinese titles and summaries, each different. */
	for (size_t i = 0; i < 60; i++) {
		struct buf t;
		buf_init(&t, BUF_LIMIT_NONE);
		sb_addf(&t, "PAPER%03zuX ", i + 1);
		for (size_t k = 0; k < 12 + i % 5; k++)
			sb_adds(&t, "面向具身智能的多模态大模型");
		snprintf(day->strings[i][0], 2048, "%s", t.data);
		buf_release(&t);
	}
	char *summary = NULL;
	{
		struct buf s;
		buf_init(&s, BUF_LIMIT_NONE);
		for (int k = 0; k < 20; k++)
			sb_adds(&s, "该方法在十余个基准测试上显著超越现有方法，");
		sb_adds(&s, "。");
		summary = buf_detach(&s);
	}
	for (size_t i = 0; i < 60; i++)
		day->papers[i].summary = summary;
	for (int t = 0; t < PUSH_TYPE_COUNT; t++) {
		struct push_batch b;
		size_t parts = check_day((enum push_type)t, &day->d, &b);
		CHECK(parts > 1);
		/* The parts are numbered (1/N) ... (N/N). */
		char first[64], last[64];
		snprintf(first, sizeof(first), "（1/%zu）", parts);
		snprintf(last, sizeof(last), "（%zu/%zu）", parts, parts);
		size_t k0 = t == PUSH_TELEGRAM;
		CHECK_CONTAINS(b.items[k0].body, first);
		CHECK_CONTAINS(b.items[b.n - 1].body, last);
		CHECK_CONTAINS(b.items[b.n - 1].preview, last);
		push_batch_release(&b);
	}
	/* One paper longer than any message: shortened, not dropped, not rejected. */
	char *huge = xcalloc(1, 40000);
	for (size_t k = 0; k + 3 < 39000; k += 3)
		memcpy(huge + k, "长", 3);
	day->d.n_papers = 3;
	day->papers[1].summary = huge;
	char *huge_title = xasprintf("PAPER003X %s", huge);
	day->papers[2].title = huge_title;
	for (int t = 0; t < PUSH_TYPE_COUNT; t++) {
		struct push_batch b;
		check_day((enum push_type)t, &day->d, &b);
		push_batch_release(&b);
	}
	free(huge_title);
	free(huge);
	free(summary);
	day_release(day);
	free(day);
}

/* Telegram's HTML as Telegram parses it: only its tags, balanced; only its entities. */
static bool telegram_html_ok(const char *s)
{
	static const char *const tags[] = {"b", "i", "u", "s", "a", "code", "pre", "blockquote", "tg-spoiler"};
	const char *stack[32];
	size_t depth = 0;
	for (const char *p = s; *p; p++) {
		if (*p == '&') {
			if (strncmp(p, "&lt;", 4) && strncmp(p, "&gt;", 4) && strncmp(p, "&amp;", 5) &&
			    strncmp(p, "&quot;", 6) && strncmp(p, "&#", 2))
				return false;
		} else if (*p == '>') {
			return false;
		} else if (*p == '<') {
			bool close = p[1] == '/';
			const char *name = p + 1 + close;
			size_t len = strcspn(name, " >");
			const char *end = strchr(p, '>');
			if (!end)
				return false;
			bool known = false;
			for (size_t i = 0; i < PB_ARRAY_LEN(tags); i++)
				if (strlen(tags[i]) == len && !strncmp(tags[i], name, len))
					known = true;
			if (!known)
				return false;
			if (!close && !strncmp(name, "a", len) && len == 1) {
				const char *href = strstr(p, "href=\"");
				if (!href || href > end || (strncmp(href + 6, "http://", 7) &&
							    strncmp(href + 6, "https://", 8)))
					return false;
			}
			if (close) {
				if (!depth || strlen(stack[depth - 1]) != len || strncmp(stack[depth - 1], name, len))
					return false;
				depth--;
			} else {
				if (depth == 32)
					return false;
				for (size_t i = 0; i < PB_ARRAY_LEN(tags); i++)
					if (strlen(tags[i]) == len && !strncmp(tags[i], name, len))
						stack[depth++] = tags[i];
			}
			p = end;
		}
	}
	return depth == 0;
}

/* A javascript: link: in the Markdown platforms a "](javascript" that is not an escaped bracket
 * followed by text (Slack and Telegram have no such syntax: there it is text). */
static bool has_js_link(enum push_type t, const char *s)
{
	bool markdown = t != PUSH_SLACK && t != PUSH_TELEGRAM;
	for (const char *p = s; markdown && (p = strstr(p, "](javascript")); p++)
		if (p == s || p[-1] != '\\')
			return true;
	return strstr(s, "href=\"javascript") || strstr(s, "<javascript") ||
	       strstr(s, "javascript:alert(2)");
}

/* Every string in j, concatenated with newlines: what the platform scans for markup. */
static void all_strings(json_t *j, struct buf *out)
{
	if (json_is_string(j)) {
		sb_adds(out, json_string_value(j));
		sb_addc(out, '\n');
	} else if (json_is_array(j)) {
		size_t i;
		json_t *x;
		json_array_foreach(j, i, x)
			all_strings(x, out);
	} else if (json_is_object(j)) {
		const char *k;
		json_t *x;
		json_object_foreach(j, k, x)
			all_strings(x, out);
	}
}

static void check_inert(enum push_type t, const struct push_message *m)
{
	json_t *j = json_loads(m->body, 0, NULL);
	CHECK(j != NULL);
	struct buf s;
	buf_init(&s, BUF_LIMIT_NONE);
	all_strings(j, &s);
	const char *text = s.data;
	CHECK(!has_js_link(t, text));
	if (has_js_link(t, text))
		fprintf(stderr, "%s: a javascript: link in %s\n", push_type_name(t), text);
	switch (t) {
	case PUSH_FEISHU:
		CHECK(strstr(text, "<at") == NULL);
		CHECK(strstr(text, "<b>") == NULL);
		break;
	case PUSH_DINGTALK:
		CHECK(strstr(text, "<b>") == NULL);
		CHECK(strstr(text, "<script") == NULL);
		CHECK(strstr(text, " **star**") == NULL);
		break;
	case PUSH_WECOM:
		CHECK(strstr(text, "<@") == NULL);
		CHECK(strstr(text, "<font color=\"warning\"") == NULL);
		break;
	case PUSH_SLACK:
		CHECK(strstr(text, "<!") == NULL);
		CHECK(strstr(text, "<@") == NULL);
		CHECK(strstr(text, "<b>") == NULL);
		break;
	case PUSH_DISCORD:
		CHECK(strstr(text, "@everyone") == NULL);
		CHECK(strstr(text, "@here") == NULL);
		CHECK(strstr(text, "<@") == NULL);
		break;
	case PUSH_TELEGRAM: {
		const char *body = str_at(j, "text", NULL);
		if (!body)
			body = str_at(j, "caption", NULL);
		CHECK(body && telegram_html_ok(body));
		if (body && !telegram_html_ok(body))
			fprintf(stderr, "bad Telegram HTML: %s\n", body);
		break;
	}
	default:
		break;
	}
	buf_release(&s);
	json_decref(j);
}

static void test_hostile_day(const struct ui_strings *ui)
{
	struct day *day = xcalloc(1, sizeof(*day));
	size_t n = PB_ARRAY_LEN(ALL_HOSTILE);
	day_init(day, ui, n + 1);
	for (size_t i = 0; i < n; i++) {
		snprintf(day->strings[i][0], 2048, "PAPER%03zuX %s", i + 1, ALL_HOSTILE[i]);
		day->papers[i].summary = lit(ALL_HOSTILE[(i + 1) % n]);
		day->papers[i].areas = lit(ALL_HOSTILE[(i + 2) % n]);
	}
	/* A link that is no web link: never made a link anywhere. */
	day->papers[n].url = lit("javascript:alert(2)");
	day->papers[n].summary = NULL; /* untranslated */
	day->d.hot_areas = lit("<!channel>(2)、@everyone(1)、<at id=all></at>");
	for (int t = 0; t < PUSH_TYPE_COUNT; t++) {
		struct push_batch b;
		check_day((enum push_type)t, &day->d, &b);
		for (size_t k = 0; k < b.n; k++)
			check_inert((enum push_type)t, &b.items[k]);
		CHECK_CONTAINS(b.items[b.n - 1].preview, "暂无一句话总结");
		push_batch_release(&b);

		struct pb_err err = PB_ERR_INIT;
		for (size_t i = 0; i < n; i++) {
			memset(&b, 0, sizeof(b));
			CHECK_INT(push_render_text(&CHANNELS[t], ALL_HOSTILE[i], &b, &err), 0);
			CHECK_INT(b.n, 1);
			check_inert((enum push_type)t, &b.items[0]);
			push_batch_release(&b);
		}
	}
	/* The hostile strings are still there to read, escaped. */
	struct push_batch b = {0};
	struct pb_err err = PB_ERR_INIT;
	CHECK_INT(push_render_digest(&CHANNELS[PUSH_SLACK], &day->d, &b, &err), 0);
	CHECK_CONTAINS(b.items[0].body, "&lt;!channel&gt;");
	push_batch_release(&b);
	CHECK_INT(push_render_digest(&CHANNELS[PUSH_TELEGRAM], &day->d, &b, &err), 0);
	CHECK_CONTAINS(b.items[1].body, "&lt;b&gt;unclosed");
	push_batch_release(&b);
	CHECK_INT(push_render_digest(&CHANNELS[PUSH_DISCORD], &day->d, &b, &err), 0);
	CHECK_CONTAINS(b.items[0].body, "@\u200beveryone");
	push_batch_release(&b);
	day_release(day);
	free(day);
}

static void test_signatures(void)
{
	/* RFC 4231 test case 2. */
	char *s = hmac_sha256_base64("Jefe", 4, "what do ya want for nothing?", 28);
	CHECK_STR(s, "W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM=");
	free(s);
	/* Vectors from Python's hmac module, computed as Feishu and DingTalk document it. */
	s = push_sign_feishu("{\"msg_type\":\"text\"}", "feishu-secret", 1700000000999LL);
	CHECK_STR(s, "{\"msg_type\":\"text\",\"timestamp\":\"1700000000\","
		     "\"sign\":\"OrBzY1Y01Gq+HgJsl+7OfWcMVwc7YocohQm5iiZwjhU=\"}");
	free(s);
	s = push_sign_dingtalk_url("https://oapi.dingtalk.com/robot/send?access_token=T", "SECd1e2f3",
				   1700000000123LL);
	CHECK_STR(s, "https://oapi.dingtalk.com/robot/send?access_token=T&timestamp=1700000000123"
		     "&sign=WxZ7TofUKmLYpk%2Fbb%2BfN%2F9QFDH6Awy%2Byj24g6uMKN5Y%3D");
	free(s);
}

static void test_types_and_checks(void)
{
	for (int t = 0; t < PUSH_TYPE_COUNT; t++) {
		enum push_type back;
		CHECK_INT(push_type_parse(push_type_name((enum push_type)t), &back), 0);
		CHECK_INT(back, t);
		struct pb_err err = PB_ERR_INIT;
		CHECK_INT(push_channel_check(&CHANNELS[t], &err), 0);
	}
	enum push_type back;
	CHECK_INT(push_type_parse("lark", &back), -1);
	CHECK_INT(push_type_parse(NULL, &back), -1);

	struct pb_err err = PB_ERR_INIT;
	struct push_channel ch = {"team", PUSH_SLACK, .url = NULL};
	CHECK_INT(push_channel_check(&ch, &err), PB_ERR_USAGE);
	CHECK_CONTAINS(err.msg, "[push.team]");
	CHECK_CONTAINS(err.msg, "url");
	pb_err_clear(&err);
	ch.url = "ftp://hooks.slack.com/services/SECRET";
	CHECK_INT(push_channel_check(&ch, &err), PB_ERR_USAGE);
	CHECK(strstr(err.msg, "SECRET") == NULL);
	pb_err_clear(&err);
	ch = (struct push_channel){"t", PUSH_TELEGRAM, .token = "123:ABC"};
	CHECK_INT(push_channel_check(&ch, &err), PB_ERR_USAGE);
	CHECK_CONTAINS(err.msg, "chat_id");
	pb_err_clear(&err);
	ch = (struct push_channel){"t", PUSH_TELEGRAM, .token = "123:ABC/../x", .chat_id = "1"};
	CHECK_INT(push_channel_check(&ch, &err), PB_ERR_USAGE);
	CHECK(strstr(err.msg, "123:ABC") == NULL);
	pb_err_clear(&err);
	ch = (struct push_channel){"w", PUSH_WECOM, .url = "https://x.example/k", .secret = "s"};
	CHECK_INT(push_channel_check(&ch, &err), PB_ERR_USAGE);
}

int main(void)
{
	struct ui_strings *ui = NULL;
	struct pb_err err = PB_ERR_INIT;
	if (ui_strings_load(lang_default(), &ui, &err)) {
		fprintf(stderr, "ui: %s\n", err.msg);
		return 1;
	}
	test_signatures();
	test_types_and_checks();
	test_normal_day(ui);
	test_long_day(ui);
	test_hostile_day(ui);
	ui_strings_free(ui);
	return test_report("test_push");
}
