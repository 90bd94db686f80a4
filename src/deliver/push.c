/*
 * push.c - the day's digest as chat messages for six platforms, and their
 * sending.
 *
 * One way for every platform: a message is built as the JSON the platform
 * takes (assemble), checked against the platform's own limits (fits), and a
 * day is packed greedily, paper by paper, into as many messages as it needs.
 * Because the check runs on the very JSON that is sent, a limit can never be
 * missed by a wrong estimate. A paper too long for any message on its own is
 * shortened step by step (CAPS), never dropped.
 *
 * Escaping is per platform (each has its own markup and its own ways to
 * mention people): every string from the digest goes through the platform's
 * escaper before it meets markup, and a link is made only of an http(s) URL.
 */
#include "core/common.h"

#include "deliver/push.h"
#include "deliver/push_sign.h"

#include "core/buf.h"
#include "core/hash.h"
#include "core/text.h"
#include "lang/lang.h"
#include "net/http.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *name;  /* the config's type = ... */
	const char *label; /* what errors and logs call it */
} TYPES[PUSH_TYPE_COUNT] = {
	[PUSH_FEISHU] = {"feishu", "Feishu"},
	[PUSH_DINGTALK] = {"dingtalk", "DingTalk"},
	[PUSH_WECOM] = {"wecom", "WeCom"},
	[PUSH_SLACK] = {"slack", "Slack"},
	[PUSH_DISCORD] = {"discord", "Discord"},
	[PUSH_TELEGRAM] = {"telegram", "Telegram"},
};

/* The platforms' limits (their documentation), and our own margins where a limit is vague. */
enum {
	FEISHU_MAX_BODY = 20000,    /* bytes of the card's JSON: Feishu says ~30 KB for a card, 20 KB
				     * for a request; the smaller with room for the signature */
	DINGTALK_MAX_TEXT = 5000,   /* characters of markdown.text */
	WECOM_MAX_CONTENT = 4096,   /* bytes of markdown.content */
	SLACK_MAX_BLOCKS = 50,
	SLACK_MAX_SECTION = 3000,   /* characters of one section's text */
	SLACK_MAX_HEADER = 150,     /* characters of a header block */
	SLACK_MAX_TOTAL = 30000,    /* characters of all blocks: ours, to stay clear of Slack's 40k */
	DISCORD_MAX_CONTENT = 2000,
	DISCORD_MAX_EMBEDS = 10,
	DISCORD_MAX_EMBED_TITLE = 256,
	DISCORD_MAX_EMBED_DESC = 4096,
	DISCORD_MAX_EMBED_TOTAL = 6000,
	TELEGRAM_MAX_TEXT = 4096,   /* UTF-16 units, counted on the escaped text (more than Telegram counts) */
	TELEGRAM_MAX_CAPTION = 1024,
};

/* The header strings are ours, but bounded anyway so a header always leaves room for a paper. */
#define MAX_TITLE_CHARS 150
#define MAX_HOT_CHARS 300
#define MAX_AREAS_CHARS 100
#define MAX_TEXT_CHARS 2000

/* A paper that does not fit a message alone is shown shorter, one step at a time. */
static const struct {
	size_t title, summary; /* code points; SIZE_MAX: whole */
} CAPS[] = {
	{SIZE_MAX, SIZE_MAX}, {300, 600}, {200, 300}, {120, 120}, {60, 0},
};

#define ZWSP "\xe2\x80\x8b" /* U+200B ZERO WIDTH SPACE: breaks a mention without showing */

const char *push_type_name(enum push_type t)
{
	return (unsigned)t < PUSH_TYPE_COUNT ? TYPES[t].name : "?";
}

int push_type_parse(const char *name, enum push_type *out)
{
	for (int t = 0; name && t < PUSH_TYPE_COUNT; t++) {
		if (!strcmp(name, TYPES[t].name)) {
			*out = (enum push_type)t;
			return 0;
		}
	}
	return -1;
}

void push_batch_release(struct push_batch *b)
{
	for (size_t i = 0; i < b->n; i++) {
		free(b->items[i].method);
		free(b->items[i].body);
		free(b->items[i].preview);
	}
	free(b->items);
	b->items = NULL;
	b->n = b->cap = 0;
}

int push_channel_check(const struct push_channel *ch, struct pb_err *err)
{
	const char *name = ch->name && *ch->name ? ch->name : "?";
	if ((unsigned)ch->type >= PUSH_TYPE_COUNT)
		return pb_err_set(err, PB_ERR_USAGE, "[push.%s]: unknown type", name);
	const char *type = TYPES[ch->type].name;
	if (!ch->name || !*ch->name)
		return pb_err_set(err, PB_ERR_USAGE, "a %s channel has no name", type);
	if (ch->type == PUSH_TELEGRAM) {
		if (!ch->token || !*ch->token) {
			pb_err_set(err, PB_ERR_USAGE, "[push.%s] (telegram) has no token", name);
			pb_err_hint(err, "set token = the bot's token from @BotFather (or token_env = VARIABLE)");
			return PB_ERR_USAGE;
		}
		/* The token goes into the URL path: a '/' or a blank in it would change the request. */
		if (strcspn(ch->token, "/?#% \t\r\n") != strlen(ch->token))
			return pb_err_set(err, PB_ERR_USAGE,
					  "[push.%s] (telegram): the token holds a character a bot token "
					  "cannot have (it looks like 123456:ABC-DEF...)", name);
		if (!ch->chat_id || !*ch->chat_id) {
			pb_err_set(err, PB_ERR_USAGE, "[push.%s] (telegram) has no chat_id", name);
			pb_err_hint(err, "set chat_id = the chat's id (-100...) or @channelname");
			return PB_ERR_USAGE;
		}
		if (ch->api_url && *ch->api_url && !url_is_http(ch->api_url))
			return pb_err_set(err, PB_ERR_USAGE,
					  "[push.%s] (telegram): api_url is not an http(s) URL", name);
		return 0;
	}
	if (!ch->url || !*ch->url) {
		pb_err_set(err, PB_ERR_USAGE, "[push.%s] (%s) has no url", name, type);
		pb_err_hint(err, "set url = the webhook's URL (or url_env = VARIABLE, to keep it out of the file)");
		return PB_ERR_USAGE;
	}
	/* Never the URL itself in the message: it carries the webhook's token. */
	if (!url_is_http(ch->url))
		return pb_err_set(err, PB_ERR_USAGE, "[push.%s] (%s): url is not an http(s) URL", name,
				  type);
	if (ch->secret && *ch->secret && ch->type != PUSH_FEISHU && ch->type != PUSH_DINGTALK)
		return pb_err_set(err, PB_ERR_USAGE,
				  "[push.%s] (%s) has a secret, but only feishu and dingtalk sign their "
				  "messages; remove it", name, type);
	return 0;
}

/* --- text -------------------------------------------------------------- */

/* UTF-16 code units, what Telegram counts: characters beyond the BMP take two. */
static size_t u16_units(const char *s)
{
	size_t n = 0;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		n += (c & 0xC0) != 0x80;
		n += c >= 0xF0;
	}
	return n;
}

/* s cut to at most max code points, the last being "…" when it was cut; caller frees. */
static char *clip(const char *s, size_t max)
{
	if (max == SIZE_MAX || utf8_length(s) <= max)
		return xstrdup(s);
	if (max == 0)
		return xstrdup("");
	const char *p = s;
	for (size_t n = 0; *p && n < max - 1; n++) {
		p++;
		while (((unsigned char)*p & 0xC0) == 0x80)
			p++;
	}
	struct buf b;
	buf_init(&b, BUF_LIMIT_NONE);
	sb_add(&b, s, (size_t)(p - s));
	sb_adds(&b, "…");
	return buf_detach(&b);
}

/* Feishu's lark_md: the HTML entities Feishu documents for its markup characters. */
static void esc_feishu(struct buf *o, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': sb_adds(o, "&amp;"); break;
		case '<': sb_adds(o, "&#60;"); break;
		case '>': sb_adds(o, "&#62;"); break;
		case '*': sb_adds(o, "&#42;"); break;
		case '_': sb_adds(o, "&#95;"); break;
		case '~': sb_adds(o, "&#126;"); break;
		case '`': sb_adds(o, "&#96;"); break;
		case '[': sb_adds(o, "&#91;"); break;
		case ']': sb_adds(o, "&#93;"); break;
		case '(': sb_adds(o, "&#40;"); break;
		case ')': sb_adds(o, "&#41;"); break;
		case '#': sb_adds(o, "&#35;"); break;
		case '\\': sb_adds(o, "&#92;"); break;
		default: sb_addc(o, *s);
		}
	}
}

/* Plain text that the platform still scans for tags (<at ...>, <@...>): a '<' that opens nothing. */
static void esc_plain_lt(struct buf *o, const char *s)
{
	for (; *s; s++) {
		sb_addc(o, *s);
		if (*s == '<')
			sb_adds(o, ZWSP);
	}
}

/* WeCom markdown: backslash escapes, and no '<' that could open <@userid> or <font>. */
static void esc_wecom(struct buf *o, const char *s)
{
	struct buf tmp;
	buf_init(&tmp, BUF_LIMIT_NONE);
	md_escape_text(&tmp, s);
	for (const char *p = tmp.data; *p; p++) {
		if (*p == '\\' && p[1] == '<') /* "\<" is no escape there: the ZWSP does the work */
			continue;
		sb_addc(o, *p);
		if (*p == '<')
			sb_adds(o, ZWSP);
	}
	buf_release(&tmp);
}

/* Discord markdown: backslash escapes, and '@' and '<' followed by a ZWSP (allowed_mentions is
 * the lock, this the second one: @everyone, @here and <@id> cannot even look like a mention). */
static void esc_discord(struct buf *o, const char *s)
{
	struct buf tmp;
	buf_init(&tmp, BUF_LIMIT_NONE);
	md_escape_text(&tmp, s);
	for (const char *p = tmp.data; *p; p++) {
		sb_addc(o, *p);
		if (*p == '@' || *p == '<')
			sb_adds(o, ZWSP);
	}
	buf_release(&tmp);
}

/* DingTalk markdown: backslash escapes, but entities for the HTML characters, which its
 * renderer takes as HTML. */
static void esc_dingtalk(struct buf *o, const char *s)
{
	struct buf tmp;
	buf_init(&tmp, BUF_LIMIT_NONE);
	md_escape_text(&tmp, s);
	for (const char *p = tmp.data; *p; p++) {
		if (*p == '\\' && p[1] && strchr("<>&", p[1]))
			continue;
		if (*p == '<')
			sb_adds(o, "&lt;");
		else if (*p == '>')
			sb_adds(o, "&gt;");
		else if (*p == '&')
			sb_adds(o, "&amp;");
		else
			sb_addc(o, *p);
	}
	buf_release(&tmp);
}

/* Slack mrkdwn: the three control characters, which make <!channel> and <@U123> plain text. */
static void esc_slack(struct buf *o, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': sb_adds(o, "&amp;"); break;
		case '<': sb_adds(o, "&lt;"); break;
		case '>': sb_adds(o, "&gt;"); break;
		default: sb_addc(o, *s);
		}
	}
}

static void escape(enum push_type t, struct buf *o, const char *s)
{
	switch (t) {
	case PUSH_FEISHU: esc_feishu(o, s); break;
	case PUSH_DINGTALK: esc_dingtalk(o, s); break;
	case PUSH_WECOM: esc_wecom(o, s); break;
	case PUSH_SLACK: esc_slack(o, s); break;
	case PUSH_DISCORD: esc_discord(o, s); break;
	case PUSH_TELEGRAM: html_escape(o, s); break;
	case PUSH_TYPE_COUNT: break;
	}
}

/* "[text](url)" in the Markdown platforms, the text escaped; just the text when url is no link. */
static void md_link(enum push_type t, struct buf *o, const char *text, const char *url)
{
	size_t mark = o->len;
	if (url) {
		sb_addc(o, '[');
		escape(t, o, text);
		sb_adds(o, "](");
		if (md_append_url(o, url)) {
			sb_addc(o, ')');
			return;
		}
		o->len = mark;
		o->data[mark] = '\0';
	}
	escape(t, o, text);
}

static json_t *jstr(const char *s)
{
	json_t *j = json_string(s);
	if (!j) { /* every string was normalised to valid UTF-8: this is a bug */
		fprintf(stderr, "paperboy: BUG: push: a string is not valid UTF-8\n");
		abort();
	}
	return j;
}

static void jset(json_t *obj, const char *key, const char *s)
{
	json_object_set_new(obj, key, jstr(s));
}

/* --- the digest as each platform shows it ------------------------------ */

struct view_paper {
	char *title, *summary, *areas, *url; /* normalised; url NULL when not http(s); areas NULL: none */
	unsigned level;                      /* CAPS step it is shown at */
};

struct view {
	enum push_type type;
	const struct ui_strings *ui;
	char *title, *hot;               /* normalised and bounded */
	char *edition_url, *poster_url;  /* NULL when absent or not http(s) */
	struct view_paper *papers;
	size_t n;
};

static char *normalized(const char *s)
{
	return text_normalize(s ? s : "");
}

static char *http_or_null(const char *url)
{
	return url && url_is_http(url) ? xstrdup(url) : NULL;
}

static void view_release(struct view *v)
{
	free(v->title);
	free(v->hot);
	free(v->edition_url);
	free(v->poster_url);
	for (size_t i = 0; i < v->n; i++) {
		free(v->papers[i].title);
		free(v->papers[i].summary);
		free(v->papers[i].areas);
		free(v->papers[i].url);
	}
	free(v->papers);
}

static void view_init(struct view *v, enum push_type t, const struct digest *d)
{
	memset(v, 0, sizeof(*v));
	v->type = t;
	v->ui = d->ui;
	char *title = normalized(d->title);
	v->title = clip(title, MAX_TITLE_CHARS);
	free(title);
	char *topics = normalized(d->hot_areas);
	char *hot = ui_format(d->ui, "push.hot", (struct tmpl_var[]){{"topics", topics}}, 1);
	v->hot = clip(hot, MAX_HOT_CHARS);
	free(hot);
	free(topics);
	v->edition_url = http_or_null(d->edition_url);
	v->poster_url = http_or_null(d->poster_url);
	v->n = d->n_papers;
	v->papers = xcalloc(v->n ? v->n : 1, sizeof(*v->papers));
	for (size_t i = 0; i < v->n; i++) {
		const struct digest_paper *p = &d->papers[i];
		struct view_paper *q = &v->papers[i];
		q->title = normalized(p->title && *p->title ? p->title : p->title_en);
		q->summary = p->summary && *p->summary ? normalized(p->summary)
						       : xstrdup(ui_get(d->ui, "push.no_summary"));
		if (p->areas && *p->areas) {
			char *areas = normalized(p->areas);
			char *clipped = clip(areas, MAX_AREAS_CHARS);
			q->areas = ui_format(d->ui, "push.areas", (struct tmpl_var[]){{"areas", clipped}}, 1);
			free(clipped);
			free(areas);
		}
		q->url = http_or_null(p->url);
	}
}

/* Paper i's title and summary at its CAPS step; the caller frees both. */
static void paper_text(const struct view *v, size_t i, char **title, char **summary)
{
	const struct view_paper *p = &v->papers[i];
	*title = clip(p->title, CAPS[p->level].title);
	*summary = clip(p->summary, CAPS[p->level].summary);
}

/* One message: the papers [lo, hi), with its part marker ("" when the day is one message). */
struct part {
	size_t lo, hi;
	const char *marker;
	bool first; /* the first message of the day: the poster goes there */
};

static char *heading(const struct view *v, const struct part *p)
{
	return xasprintf("%s%s", v->title, p->marker);
}

static json_t *feishu_card(const struct view *v, const struct part *pt)
{
	char *head = heading(v, pt);
	struct buf b;
	buf_init(&b, BUF_LIMIT_NONE);
	esc_plain_lt(&b, head);
	json_t *elements = json_array();
	json_t *header = json_pack("{s:s, s:{s:s, s:o}}", "template", "blue", "title", "tag",
				   "plain_text", "content", jstr(b.data));
	buf_reset(&b);
	esc_feishu(&b, v->hot);
	json_array_append_new(elements, json_pack("{s:s, s:{s:s, s:o}}", "tag", "div", "text", "tag",
						  "lark_md", "content", jstr(b.data)));
	json_array_append_new(elements, json_pack("{s:s}", "tag", "hr"));
	for (size_t i = pt->lo; i < pt->hi; i++) {
		char *title, *summary;
		paper_text(v, i, &title, &summary);
		buf_reset(&b);
		sb_addf(&b, "**%zu.** ", i + 1);
		if (v->papers[i].url && url_is_http(v->papers[i].url)) {
			sb_addc(&b, '[');
			esc_feishu(&b, title);
			sb_adds(&b, "](");
			md_append_url(&b, v->papers[i].url);
			sb_addc(&b, ')');
		} else {
			esc_feishu(&b, title);
		}
		if (*summary) {
			sb_addc(&b, '\n');
			esc_feishu(&b, summary);
		}
		if (v->papers[i].areas) {
			sb_addc(&b, '\n');
			esc_feishu(&b, v->papers[i].areas);
		}
		json_array_append_new(elements, json_pack("{s:s, s:{s:s, s:o}}", "tag", "div", "text",
							  "tag", "lark_md", "content", jstr(b.data)));
		free(title);
		free(summary);
	}
	/* Card images need an image_key uploaded through the app API: the poster is a link here. */
	json_t *actions = json_array();
	if (v->edition_url)
		json_array_append_new(actions, json_pack("{s:s, s:{s:s, s:s}, s:s, s:s}", "tag", "button",
							 "text", "tag", "plain_text", "content",
							 ui_get(v->ui, "push.read"), "type", "primary",
							 "url", v->edition_url));
	if (pt->first && v->poster_url)
		json_array_append_new(actions, json_pack("{s:s, s:{s:s, s:s}, s:s, s:s}", "tag", "button",
							 "text", "tag", "plain_text", "content",
							 ui_get(v->ui, "push.poster"), "type", "default",
							 "url", v->poster_url));
	if (json_array_size(actions))
		json_array_append_new(elements, json_pack("{s:s, s:o}", "tag", "action", "actions", actions));
	else
		json_decref(actions);
	buf_release(&b);
	free(head);
	return json_pack("{s:s, s:{s:{s:b}, s:o, s:o}}", "msg_type", "interactive", "card", "config",
			 "wide_screen_mode", 1, "header", header, "elements", elements);
}

/* The markdown text of DingTalk and WeCom: the same layout, their own escaping. */
static char *md_text(const struct view *v, const struct part *pt)
{
	enum push_type t = v->type;
	struct buf b;
	buf_init(&b, BUF_LIMIT_NONE);
	char *head = heading(v, pt);
	sb_adds(&b, t == PUSH_WECOM ? "## " : "### ");
	escape(t, &b, head);
	sb_adds(&b, "\n\n");
	escape(t, &b, v->hot);
	sb_adds(&b, "\n\n");
	/* DingTalk's markdown shows images by URL; WeCom's has no images. */
	if (t == PUSH_DINGTALK && pt->first && v->poster_url) {
		struct buf img;
		buf_init(&img, BUF_LIMIT_NONE);
		if (md_append_url(&img, v->poster_url)) {
			sb_adds(&b, "![");
			escape(t, &b, ui_get(v->ui, "push.poster"));
			sb_addf(&b, "](%s)\n\n", img.data);
		}
		buf_release(&img);
	}
	for (size_t i = pt->lo; i < pt->hi; i++) {
		char *title, *summary;
		paper_text(v, i, &title, &summary);
		sb_addf(&b, "**%zu.** ", i + 1);
		md_link(t, &b, title, v->papers[i].url);
		if (*summary) {
			sb_adds(&b, "\n\n");
			escape(t, &b, summary);
		}
		if (v->papers[i].areas) {
			sb_adds(&b, "\n\n");
			if (t == PUSH_WECOM)
				sb_adds(&b, "<font color=\"comment\">");
			escape(t, &b, v->papers[i].areas);
			if (t == PUSH_WECOM)
				sb_adds(&b, "</font>");
		}
		sb_adds(&b, "\n\n");
		free(title);
		free(summary);
	}
	if (v->edition_url)
		md_link(t, &b, ui_get(v->ui, "push.read"), v->edition_url);
	free(head);
	return buf_detach(&b);
}

static json_t *dingtalk_body(const struct view *v, const struct part *pt)
{
	char *text = md_text(v, pt);
	char *head = heading(v, pt);
	/* Mentions only take effect through "at": empty, so no "@..." in a title can ping. */
	json_t *j = json_pack("{s:s, s:{s:o, s:o}, s:{s:[], s:[], s:b}}", "msgtype", "markdown",
			      "markdown", "title", jstr(head), "text", jstr(text), "at", "atMobiles",
			      "atUserIds", "isAtAll", 0);
	free(head);
	free(text);
	return j;
}

static json_t *wecom_body(const struct view *v, const struct part *pt)
{
	char *text = md_text(v, pt);
	json_t *j = json_pack("{s:s, s:{s:o}}", "msgtype", "markdown", "markdown", "content", jstr(text));
	free(text);
	return j;
}

static void slack_link(struct buf *b, const char *url, const char *text)
{
	sb_addc(b, '<');
	for (const char *p = url; *p; p++) {
		if (*p == '|' || *p == '<' || *p == '>')
			sb_addf(b, "%%%02X", (unsigned char)*p);
		else
			sb_addc(b, *p);
	}
	sb_addc(b, '|');
	esc_slack(b, text);
	sb_addc(b, '>');
}

static json_t *slack_section(const char *mrkdwn)
{
	return json_pack("{s:s, s:{s:s, s:o}}", "type", "section", "text", "type", "mrkdwn", "text",
			 jstr(mrkdwn));
}

static json_t *slack_body(const struct view *v, const struct part *pt)
{
	json_t *blocks = json_array();
	struct buf b;
	buf_init(&b, BUF_LIMIT_NONE);
	char *head = heading(v, pt);
	char *short_head = clip(head, SLACK_MAX_HEADER);
	esc_slack(&b, short_head);
	json_array_append_new(blocks, json_pack("{s:s, s:{s:s, s:o}}", "type", "header", "text", "type",
						"plain_text", "text", jstr(b.data)));
	buf_reset(&b);
	esc_slack(&b, v->hot);
	json_array_append_new(blocks, slack_section(b.data));
	if (pt->first && v->poster_url)
		json_array_append_new(blocks, json_pack("{s:s, s:s, s:s}", "type", "image", "image_url",
							v->poster_url, "alt_text",
							ui_get(v->ui, "push.poster")));
	for (size_t i = pt->lo; i < pt->hi; i++) {
		char *title, *summary;
		paper_text(v, i, &title, &summary);
		buf_reset(&b);
		sb_addf(&b, "*%zu.* ", i + 1);
		if (v->papers[i].url)
			slack_link(&b, v->papers[i].url, title);
		else
			esc_slack(&b, title);
		if (*summary) {
			sb_addc(&b, '\n');
			esc_slack(&b, summary);
		}
		if (v->papers[i].areas) {
			sb_addc(&b, '\n');
			esc_slack(&b, v->papers[i].areas);
		}
		json_array_append_new(blocks, slack_section(b.data));
		free(title);
		free(summary);
	}
	if (v->edition_url) {
		buf_reset(&b);
		slack_link(&b, v->edition_url, ui_get(v->ui, "push.read"));
		json_array_append_new(blocks, json_pack("{s:s, s:[{s:s, s:o}]}", "type", "context",
							"elements", "type", "mrkdwn", "text",
							jstr(b.data)));
	}
	/* The fallback text is what notifications show: the heading and how many papers. */
	buf_reset(&b);
	esc_slack(&b, head);
	if (pt->hi > pt->lo) {
		char *title, *summary;
		paper_text(v, pt->lo, &title, &summary);
		sb_adds(&b, ": ");
		esc_slack(&b, title);
		if (pt->hi - pt->lo > 1) {
			char count[24];
			snprintf(count, sizeof(count), "%zu", pt->hi - pt->lo - 1);
			char *more = ui_format(v->ui, "push.more", (struct tmpl_var[]){{"count", count}}, 1);
			sb_adds(&b, " · ");
			esc_slack(&b, more);
			free(more);
		}
		free(title);
		free(summary);
	}
	json_t *j = json_pack("{s:o, s:o}", "text", jstr(b.data), "blocks", blocks);
	buf_release(&b);
	free(short_head);
	free(head);
	return j;
}

static json_t *discord_body(const struct view *v, const struct part *pt)
{
	struct buf b;
	buf_init(&b, BUF_LIMIT_NONE);
	char *head = heading(v, pt);
	sb_adds(&b, "**");
	esc_discord(&b, head);
	sb_adds(&b, "**\n");
	esc_discord(&b, v->hot);
	if (v->edition_url) {
		sb_addc(&b, '\n');
		md_link(PUSH_DISCORD, &b, ui_get(v->ui, "push.read"), v->edition_url);
	}
	json_t *content = jstr(b.data);
	json_t *embeds = json_array();
	if (pt->first && v->poster_url)
		json_array_append_new(embeds, json_pack("{s:s, s:{s:s}}", "title",
							ui_get(v->ui, "push.poster"), "image", "url",
							v->poster_url));
	for (size_t i = pt->lo; i < pt->hi; i++) {
		char *title, *summary;
		paper_text(v, i, &title, &summary);
		buf_reset(&b);
		sb_addf(&b, "%zu. ", i + 1);
		esc_discord(&b, title);
		json_t *e = json_pack("{s:o}", "title", jstr(b.data));
		if (v->papers[i].url)
			jset(e, "url", v->papers[i].url);
		buf_reset(&b);
		esc_discord(&b, summary);
		if (v->papers[i].areas) {
			if (b.len)
				sb_adds(&b, "\n");
			sb_adds(&b, "*");
			esc_discord(&b, v->papers[i].areas);
			sb_adds(&b, "*");
		}
		if (b.len)
			jset(e, "description", b.data);
		json_array_append_new(embeds, e);
		free(title);
		free(summary);
	}
	buf_release(&b);
	free(head);
	/* parse: [] is what stops pings; the escaping above only keeps them from looking like one. */
	return json_pack("{s:o, s:o, s:{s:[]}}", "content", content, "embeds", embeds,
			 "allowed_mentions", "parse");
}

static json_t *telegram_message(const struct push_channel *ch, const char *text)
{
	return json_pack("{s:s, s:s, s:s, s:{s:b}}", "chat_id", ch->chat_id ? ch->chat_id : "", "text", text, "parse_mode",
			 "HTML", "link_preview_options", "is_disabled", 1);
}

static void telegram_link(struct buf *b, const char *url, const char *text)
{
	if (url) {
		sb_adds(b, "<a href=\"");
		html_escape(b, url);
		sb_adds(b, "\">");
		html_escape(b, text);
		sb_adds(b, "</a>");
	} else {
		html_escape(b, text);
	}
}

static json_t *telegram_body(const struct push_channel *ch, const struct view *v,
			     const struct part *pt)
{
	struct buf b;
	buf_init(&b, BUF_LIMIT_NONE);
	char *head = heading(v, pt);
	sb_adds(&b, "<b>");
	html_escape(&b, head);
	sb_adds(&b, "</b>\n");
	html_escape(&b, v->hot);
	sb_adds(&b, "\n\n");
	for (size_t i = pt->lo; i < pt->hi; i++) {
		char *title, *summary;
		paper_text(v, i, &title, &summary);
		sb_addf(&b, "<b>%zu.</b> ", i + 1);
		telegram_link(&b, v->papers[i].url, title);
		if (*summary) {
			sb_addc(&b, '\n');
			html_escape(&b, summary);
		}
		if (v->papers[i].areas) {
			sb_adds(&b, "\n<i>");
			html_escape(&b, v->papers[i].areas);
			sb_adds(&b, "</i>");
		}
		sb_adds(&b, "\n\n");
		free(title);
		free(summary);
	}
	if (v->edition_url)
		telegram_link(&b, v->edition_url, ui_get(v->ui, "push.read"));
	json_t *j = telegram_message(ch, b.data);
	buf_release(&b);
	free(head);
	return j;
}

static json_t *assemble(const struct push_channel *ch, const struct view *v, const struct part *pt)
{
	switch (v->type) {
	case PUSH_FEISHU: return feishu_card(v, pt);
	case PUSH_DINGTALK: return dingtalk_body(v, pt);
	case PUSH_WECOM: return wecom_body(v, pt);
	case PUSH_SLACK: return slack_body(v, pt);
	case PUSH_DISCORD: return discord_body(v, pt);
	case PUSH_TELEGRAM: return telegram_body(ch, v, pt);
	case PUSH_TYPE_COUNT: break;
	}
	return NULL;
}

static const char *jget_str(const json_t *obj, const char *path_key)
{
	const char *s = json_string_value(json_object_get(obj, path_key));
	return s ? s : "";
}

/* Does body keep every limit of t's platform? (The one place the limits are checked.) */
static bool fits(enum push_type t, json_t *body)
{
	switch (t) {
	case PUSH_FEISHU: {
		char *s = json_dumps(body, JSON_COMPACT);
		bool ok = strlen(s) <= FEISHU_MAX_BODY;
		free(s);
		return ok;
	}
	case PUSH_DINGTALK:
		return utf8_length(jget_str(json_object_get(body, "markdown"), "text")) <= DINGTALK_MAX_TEXT;
	case PUSH_WECOM:
		return strlen(jget_str(json_object_get(body, "markdown"), "content")) <= WECOM_MAX_CONTENT;
	case PUSH_SLACK: {
		json_t *blocks = json_object_get(body, "blocks");
		if (json_array_size(blocks) > SLACK_MAX_BLOCKS)
			return false;
		size_t total = 0, i;
		json_t *blk;
		json_array_foreach(blocks, i, blk) {
			const char *type = jget_str(blk, "type");
			size_t n = utf8_length(jget_str(json_object_get(blk, "text"), "text"));
			if (!strcmp(type, "header") && n > SLACK_MAX_HEADER)
				return false;
			if (!strcmp(type, "section") && n > SLACK_MAX_SECTION)
				return false;
			total += n;
		}
		return total <= SLACK_MAX_TOTAL &&
		       utf8_length(jget_str(body, "text")) <= SLACK_MAX_SECTION;
	}
	case PUSH_DISCORD: {
		if (utf8_length(jget_str(body, "content")) > DISCORD_MAX_CONTENT)
			return false;
		json_t *embeds = json_object_get(body, "embeds");
		if (json_array_size(embeds) > DISCORD_MAX_EMBEDS)
			return false;
		size_t total = 0, i;
		json_t *e;
		json_array_foreach(embeds, i, e) {
			size_t title = utf8_length(jget_str(e, "title"));
			size_t desc = utf8_length(jget_str(e, "description"));
			if (title > DISCORD_MAX_EMBED_TITLE || desc > DISCORD_MAX_EMBED_DESC)
				return false;
			total += title + desc;
		}
		return total <= DISCORD_MAX_EMBED_TOTAL;
	}
	case PUSH_TELEGRAM:
		if (json_object_get(body, "caption"))
			return u16_units(jget_str(body, "caption")) <= TELEGRAM_MAX_CAPTION;
		return u16_units(jget_str(body, "text")) <= TELEGRAM_MAX_TEXT;
	case PUSH_TYPE_COUNT: break;
	}
	return false;
}

static bool part_fits(const struct push_channel *ch, const struct view *v, const struct part *pt)
{
	json_t *j = assemble(ch, v, pt);
	bool ok = fits(v->type, j);
	json_decref(j);
	return ok;
}

/* What `send --dry-run` shows of a part: plain text, the same for every platform. */
static char *part_preview(const struct view *v, const struct part *pt)
{
	struct buf b;
	buf_init(&b, BUF_LIMIT_NONE);
	sb_addf(&b, "%s%s\n%s\n", v->title, pt->marker, v->hot);
	if (pt->first && v->poster_url && v->type != PUSH_TELEGRAM)
		sb_addf(&b, "%s: %s\n", ui_get(v->ui, "push.poster"), v->poster_url);
	for (size_t i = pt->lo; i < pt->hi; i++) {
		char *title, *summary;
		paper_text(v, i, &title, &summary);
		sb_addf(&b, "\n%zu. %s\n", i + 1, title);
		if (*summary)
			sb_addf(&b, "   %s\n", summary);
		if (v->papers[i].areas)
			sb_addf(&b, "   %s\n", v->papers[i].areas);
		if (v->papers[i].url)
			sb_addf(&b, "   %s\n", v->papers[i].url);
		free(title);
		free(summary);
	}
	if (v->edition_url)
		sb_addf(&b, "\n%s: %s\n", ui_get(v->ui, "push.read"), v->edition_url);
	return buf_detach(&b);
}

static void batch_add(struct push_batch *out, const char *method, json_t *body, char *preview)
{
	GROW(out->items, out->cap, out->n + 1);
	struct push_message *m = &out->items[out->n++];
	m->method = method ? xstrdup(method) : NULL;
	m->body = json_dumps(body, JSON_COMPACT);
	m->preview = preview;
	json_decref(body);
}

/* Telegram: the poster as a photo with a short caption, before the day's text. */
static void telegram_photo(const struct push_channel *ch, const struct view *v, struct push_batch *out)
{
	static const size_t hot_caps[] = {SIZE_MAX, 150, 60, 0};
	json_t *j = NULL;
	for (size_t k = 0; k < PB_ARRAY_LEN(hot_caps); k++) {
		struct buf b;
		buf_init(&b, BUF_LIMIT_NONE);
		sb_adds(&b, "<b>");
		html_escape(&b, v->title);
		sb_adds(&b, "</b>");
		char *hot = clip(v->hot, hot_caps[k]);
		if (*hot) {
			sb_addc(&b, '\n');
			html_escape(&b, hot);
		}
		free(hot);
		json_decref(j);
		j = json_pack("{s:s, s:s, s:s, s:s}", "chat_id", ch->chat_id ? ch->chat_id : "", "photo", v->poster_url,
			      "caption", b.data, "parse_mode", "HTML");
		buf_release(&b);
		if (fits(PUSH_TELEGRAM, j))
			break;
	}
	batch_add(out, "sendPhoto", j, xasprintf("%s: %s\n%s\n", ui_get(v->ui, "push.poster"),
						  v->poster_url, v->title));
}

int push_render_digest(const struct push_channel *ch, const struct digest *d, struct push_batch *out,
		       struct pb_err *err)
{
	if ((unsigned)ch->type >= PUSH_TYPE_COUNT)
		return pb_err_set(err, PB_ERR_USAGE, "[push.%s]: unknown type", ch->name);
	if (!d->ui)
		return pb_err_set(err, PB_ERR, "the digest of %s has no UI strings (a bug)", d->date);
	struct view v;
	view_init(&v, ch->type, d);
	const char *method = ch->type == PUSH_TELEGRAM ? "sendMessage" : NULL;
	if (ch->type == PUSH_TELEGRAM && v.poster_url)
		telegram_photo(ch, &v, out);

	/* Packing: the widest marker a part can get, so the real one always fits too. */
	char *wide = ui_format(v.ui, "push.part", (struct tmpl_var[]){{"part", "99"}, {"parts", "99"}}, 2);
	struct part whole = {0, v.n, "", true};
	size_t *ends = NULL, n_parts = 0, cap_parts = 0;
	int rc = 0;
	if (part_fits(ch, &v, &whole)) {
		GROW(ends, cap_parts, 1);
		ends[n_parts++] = v.n;
	} else {
		for (size_t lo = 0; lo < v.n || n_parts == 0;) {
			struct part pt = {lo, lo + (lo < v.n), wide, n_parts == 0};
			while (!part_fits(ch, &v, &pt)) {
				if (pt.hi == pt.lo || v.papers[lo].level + 1 >= PB_ARRAY_LEN(CAPS)) {
					rc = pb_err_set(err, PB_ERR,
							"%s channel '%s': paper %zu of %s does not fit one "
							"message even shortened (a bug)",
							TYPES[ch->type].label, ch->name, lo + 1, d->date);
					goto done;
				}
				v.papers[lo].level++;
			}
			while (pt.hi < v.n) {
				pt.hi++;
				if (!part_fits(ch, &v, &pt)) {
					pt.hi--;
					break;
				}
			}
			GROW(ends, cap_parts, n_parts + 1);
			ends[n_parts++] = pt.hi;
			lo = pt.hi;
		}
	}
	for (size_t k = 0, lo = 0; k < n_parts; lo = ends[k++]) {
		char num[24], total[24];
		snprintf(num, sizeof(num), "%zu", k + 1);
		snprintf(total, sizeof(total), "%zu", n_parts);
		char *marker = n_parts > 1 ? ui_format(v.ui, "push.part",
						       (struct tmpl_var[]){{"part", num}, {"parts", total}}, 2)
					   : xstrdup("");
		struct part pt = {lo, ends[k], marker, k == 0};
		batch_add(out, method, assemble(ch, &v, &pt), part_preview(&v, &pt));
		free(marker);
	}
done:
	free(ends);
	free(wide);
	view_release(&v);
	return rc;
}

int push_render_text(const struct push_channel *ch, const char *text, struct push_batch *out,
		     struct pb_err *err)
{
	if ((unsigned)ch->type >= PUSH_TYPE_COUNT)
		return pb_err_set(err, PB_ERR_USAGE, "[push.%s]: unknown type", ch->name);
	static const size_t caps[] = {MAX_TEXT_CHARS, 1000, 500, 200};
	char *norm = normalized(text);
	json_t *j = NULL;
	char *shown = NULL;
	for (size_t k = 0; k < PB_ARRAY_LEN(caps); k++) {
		free(shown);
		json_decref(j);
		shown = clip(norm, caps[k]);
		struct buf b;
		buf_init(&b, BUF_LIMIT_NONE);
		escape(ch->type, &b, shown);
		switch (ch->type) {
		case PUSH_FEISHU:
			j = json_pack("{s:s, s:{s:[{s:s, s:{s:s, s:s}}]}}", "msg_type", "interactive", "card",
				      "elements", "tag", "div", "text", "tag", "lark_md", "content", b.data);
			break;
		case PUSH_DINGTALK: {
			/* The title shows in notifications only, as plain text. */
			char *title = clip(norm, 30);
			struct buf t;
			buf_init(&t, BUF_LIMIT_NONE);
			esc_dingtalk(&t, title);
			j = json_pack("{s:s, s:{s:s, s:s}, s:{s:[], s:[], s:b}}", "msgtype", "markdown",
				      "markdown", "title", t.data, "text", b.data, "at", "atMobiles",
				      "atUserIds", "isAtAll", 0);
			buf_release(&t);
			free(title);
			break;
		}
		case PUSH_WECOM:
			j = json_pack("{s:s, s:{s:s}}", "msgtype", "markdown", "markdown", "content", b.data);
			break;
		case PUSH_SLACK:
			j = json_pack("{s:s, s:[{s:s, s:{s:s, s:s}}]}", "text", b.data, "blocks", "type",
				      "section", "text", "type", "mrkdwn", "text", b.data);
			break;
		case PUSH_DISCORD:
			j = json_pack("{s:s, s:{s:[]}}", "content", b.data, "allowed_mentions", "parse");
			break;
		case PUSH_TELEGRAM:
			j = telegram_message(ch, b.data);
			break;
		case PUSH_TYPE_COUNT: break;
		}
		buf_release(&b);
		if (!j) {
			fprintf(stderr, "paperboy: BUG: push: a string is not valid UTF-8\n");
			abort();
		}
		if (fits(ch->type, j))
			break;
	}
	batch_add(out, ch->type == PUSH_TELEGRAM ? "sendMessage" : NULL, j, xasprintf("%s\n", shown));
	free(shown);
	free(norm);
	(void)err;
	return 0;
}

/* --- sending ----------------------------------------------------------- */

static void url_encode(struct buf *b, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    strchr("-._~", *p))
			sb_addc(b, (char)*p);
		else
			sb_addf(b, "%%%02X", *p);
	}
}

/* Feishu: timestamp in seconds and the HMAC keyed by "timestamp\nsecret" over nothing. */
char *push_sign_feishu(const char *body, const char *secret, long long now_ms)
{
	char *ts = xasprintf("%lld", now_ms / 1000);
	char *key = xasprintf("%s\n%s", ts, secret);
	char *sign = hmac_sha256_base64(key, strlen(key), "", 0);
	size_t len = strlen(body);
	struct buf b;
	buf_init(&b, BUF_LIMIT_NONE);
	/* body is our own compact JSON object: the two fields go in before its closing brace. */
	sb_add(&b, body, len - 1);
	sb_addf(&b, "%s\"timestamp\":\"%s\",\"sign\":\"%s\"}", len > 2 ? "," : "", ts, sign);
	free(sign);
	free(key);
	free(ts);
	return buf_detach(&b);
}

/* DingTalk: timestamp in milliseconds and the HMAC keyed by the secret over "timestamp\nsecret". */
char *push_sign_dingtalk_url(const char *url, const char *secret, long long now_ms)
{
	char *text = xasprintf("%lld\n%s", now_ms, secret);
	char *sign = hmac_sha256_base64(secret, strlen(secret), text, strlen(text));
	struct buf b;
	buf_init(&b, BUF_LIMIT_NONE);
	sb_addf(&b, "%s%ctimestamp=%lld&sign=", url, strchr(url, '?') ? '&' : '?', now_ms);
	url_encode(&b, sign);
	free(sign);
	free(text);
	return buf_detach(&b);
}

static char *request_url(const struct push_channel *ch, const struct push_message *m, long long now_ms)
{
	switch (ch->type) {
	case PUSH_DINGTALK:
		if (ch->secret && *ch->secret)
			return push_sign_dingtalk_url(ch->url, ch->secret, now_ms);
		return xstrdup(ch->url);
	case PUSH_DISCORD:
		/* wait=true: Discord answers with the message (and its id) instead of 204. */
		return xasprintf("%s%cwait=true", ch->url, strchr(ch->url, '?') ? '&' : '?');
	case PUSH_TELEGRAM: {
		const char *api = ch->api_url && *ch->api_url ? ch->api_url : "https://api.telegram.org";
		size_t len = strlen(api);
		while (len && api[len - 1] == '/')
			len--;
		return xasprintf("%.*s/bot%s/%s", (int)len, api, ch->token,
				 m->method ? m->method : "sendMessage");
	}
	default:
		return xstrdup(ch->url);
	}
}

/*
 * The platform's verdict on an answer: 1 accepted (id filled), 0 refused (why
 * says the platform's code and text), -1 not the platform's answer at all.
 */
static int read_answer(enum push_type t, long status, const char *body, char *id, size_t id_size,
		       char *why, size_t why_size)
{
	if (t == PUSH_SLACK) {
		/* Slack answers plain text: "ok", or the error's name. */
		size_t n = strcspn(body, "\r\n");
		if (n == 2 && !strncmp(body, "ok", 2))
			return 1;
		if (n == 0 || n > 100 || strchr(body, '{') || strchr(body, '<'))
			return -1;
		snprintf(why, why_size, "%.*s", (int)n, body);
		return 0;
	}
	if (t == PUSH_DISCORD && status == 204)
		return 1;
	json_t *j = json_loads(body, 0, NULL);
	if (!json_is_object(j)) {
		json_decref(j);
		return -1;
	}
	int verdict = -1;
	switch (t) {
	case PUSH_FEISHU: {
		json_t *code = json_object_get(j, "code");
		const char *msg = jget_str(j, "msg");
		if (!code) { /* the older webhook answer */
			code = json_object_get(j, "StatusCode");
			msg = jget_str(j, "StatusMessage");
		}
		if (json_is_integer(code) && json_integer_value(code) == 0) {
			snprintf(id, id_size, "%s", jget_str(json_object_get(j, "data"), "message_id"));
			verdict = 1;
		} else if (json_is_integer(code)) {
			snprintf(why, why_size, "code %lld: %.200s", (long long)json_integer_value(code), msg);
			verdict = 0;
		}
		break;
	}
	case PUSH_DINGTALK:
	case PUSH_WECOM: {
		json_t *code = json_object_get(j, "errcode");
		if (json_is_integer(code) && json_integer_value(code) == 0) {
			verdict = 1;
		} else if (json_is_integer(code)) {
			snprintf(why, why_size, "errcode %lld: %.200s", (long long)json_integer_value(code),
				 jget_str(j, "errmsg"));
			verdict = 0;
		}
		break;
	}
	case PUSH_DISCORD: {
		const char *mid = json_string_value(json_object_get(j, "id"));
		json_t *code = json_object_get(j, "code");
		json_t *retry = json_object_get(j, "retry_after");
		if (status >= 200 && status < 300 && mid) {
			snprintf(id, id_size, "%s", mid);
			verdict = 1;
		} else if (json_is_integer(code)) {
			snprintf(why, why_size, "code %lld: %.200s", (long long)json_integer_value(code),
				 jget_str(j, "message"));
			verdict = 0;
		} else if (json_is_number(retry)) {
			snprintf(why, why_size, "rate limited, retry after %.1f s", json_number_value(retry));
			verdict = 0;
		}
		break;
	}
	case PUSH_TELEGRAM: {
		json_t *ok = json_object_get(j, "ok");
		if (json_is_true(ok)) {
			json_t *mid = json_object_get(json_object_get(j, "result"), "message_id");
			if (json_is_integer(mid))
				snprintf(id, id_size, "%lld", (long long)json_integer_value(mid));
			verdict = 1;
		} else if (json_is_false(ok)) {
			snprintf(why, why_size, "error %lld: %.200s",
				 (long long)json_integer_value(json_object_get(j, "error_code")),
				 jget_str(j, "description"));
			verdict = 0;
		}
		break;
	}
	default:
		break;
	}
	json_decref(j);
	return verdict;
}

/* What to do about a refusal, where the platform's code says it. */
static void refusal_hint(const struct push_channel *ch, long status, const char *why,
			 struct pb_err *err)
{
	const char *n = ch->name;
	if (status == 429 || strstr(why, "rate limited") || strstr(why, "11232") ||
	    strstr(why, "45009") || strstr(why, "Too Many Requests"))
		pb_err_hint(err, "the platform is rate limiting; run paperboy send again later "
				 "(what was delivered is not sent twice)");
	else if (strstr(why, "19021") || strstr(why, "310000") || strstr(why, "sign"))
		pb_err_hint(err, "check secret in [push.%s] (the bot's signing secret) and this "
				 "machine's clock", n);
	else if (ch->type == PUSH_TELEGRAM && (status == 401 || strstr(why, "Unauthorized")))
		pb_err_hint(err, "check token in [push.%s]", n);
	else if (ch->type == PUSH_TELEGRAM && strstr(why, "chat not found"))
		pb_err_hint(err, "check chat_id in [push.%s] (and that the bot is a member)", n);
	else if (status == 404 || strstr(why, "no_service") || strstr(why, "10015") ||
		 strstr(why, "93000") || strstr(why, "300001") || strstr(why, "19001"))
		pb_err_hint(err, "the webhook is gone or its URL is wrong: check url in [push.%s]", n);
	else
		pb_err_hint(err, "the platform refused the message; this is likely a bug in paperboy's "
				 "%s format: please report it with the error", TYPES[ch->type].label);
}

int push_send(struct net_client *c, const struct push_channel *ch, const struct push_message *m,
	      long long now_ms, char *id, size_t id_size, const struct pb_run *run,
	      struct pb_err *err)
{
	if (id_size)
		id[0] = '\0';
	if (push_channel_check(ch, err))
		return err->status;
	char label[256];
	snprintf(label, sizeof(label), "%s channel '%s'", TYPES[ch->type].label, ch->name);
	bool signs = ch->secret && *ch->secret;
	char *body = ch->type == PUSH_FEISHU && signs ? push_sign_feishu(m->body, ch->secret, now_ms)
						       : xstrdup(m->body);
	char *url = request_url(ch, m, now_ms);
	static const char *const headers[] = {"Content-Type: application/json; charset=utf-8", NULL};
	struct net_request req = {
		.method = NET_POST,
		.url = url,
		.headers = headers,
		.body = body,
		.body_len = strlen(body),
		.max_response = 1u << 20,
		.label = label,
	};
	struct net_response r;
	net_response_init(&r, 1u << 20);
	struct pb_err net_err = PB_ERR_INIT;
	int rc = net_perform(c, &req, &r, run, &net_err);
	char why[400] = "";
	char got_id[128] = "";
	if (rc == PB_ERR_STOPPED || (rc && r.status == 0)) {
		/* No answer from the platform: the transport's error says it all. */
		*err = net_err;
	} else {
		int verdict = read_answer(ch->type, r.status, r.body.data, got_id, sizeof(got_id), why,
					  sizeof(why));
		if (rc == 0 && verdict == 1) {
			if (id_size)
				snprintf(id, id_size, "%s", got_id);
		} else if (verdict == 0) {
			rc = pb_err_set(err, PB_ERR_NET, "%s refused the message (HTTP %ld): %s", label,
					r.status, why);
			refusal_hint(ch, r.status, why, err);
		} else if (rc) {
			*err = net_err;
		} else {
			char excerpt[161];
			snprintf(excerpt, sizeof(excerpt), "%.160s", r.body.data);
			for (char *p = excerpt; *p; p++)
				if ((unsigned char)*p < ' ')
					*p = ' ';
			rc = pb_err_set(err, PB_ERR_NET, "%s answered HTTP %ld with something that is not "
					"its answer: '%s'", label, r.status, excerpt);
			pb_err_hint(err, "check url in [push.%s]: does it point at the platform's webhook?",
				    ch->name);
		}
	}
	net_response_release(&r);
	free(url);
	free(body);
	return rc;
}
