/*
 * push.h - the day's digest as chat messages, one format per platform, and
 * sending one message to one channel through the shared HTTP layer.
 *
 *     struct push_channel ch = {"team", PUSH_SLACK, .url = webhook};
 *     struct push_batch b;
 *     push_render_digest(&ch, digest, &b, &err);       messages in order, each in limits
 *     for (size_t i = 0; i < b.n; i++)
 *         push_send(client, &ch, &b.items[i], now_ms, id, sizeof(id), &run, &err);
 *     push_batch_release(&b);
 *
 * Formats: Feishu/Lark an interactive card (signed when a secret is set),
 * DingTalk markdown (signed when a secret is set), WeCom markdown (≤ 4096
 * bytes), Slack Block Kit (≤ 50 blocks, sections ≤ 3000 characters, a plain
 * text fallback), Discord content + embeds (≤ 2000 / ≤ 10 embeds / ≤ 6000
 * characters, no mentions allowed), Telegram sendMessage with parse_mode
 * HTML (≤ 4096 characters) and sendPhoto for the poster. A day that does not
 * fit one message is split into several, in order. Every digest string is
 * escaped for the platform's markup: no title can mention, ping or link
 * anyone or anything.
 *
 * Secrets: the webhook URL, the signing secret and the bot token never
 * appear in a message, an error or a log line; errors name the channel.
 */
#ifndef PB_DELIVER_PUSH_H
#define PB_DELIVER_PUSH_H

#include "core/err.h"
#include "core/run.h"
#include "deliver/digest.h"

enum push_type {
	PUSH_FEISHU,
	PUSH_DINGTALK,
	PUSH_WECOM,
	PUSH_SLACK,
	PUSH_DISCORD,
	PUSH_TELEGRAM,
	PUSH_TYPE_COUNT
};

/* "feishu" ... "telegram" (the config's type = ...); -1 from parse when unknown. */
const char *push_type_name(enum push_type t);
int push_type_parse(const char *name, enum push_type *out);

struct push_channel {
	const char *name;    /* NAME of [push.NAME]: in messages and the deliveries table */
	enum push_type type;
	const char *url;     /* the webhook (all but Telegram); a secret: it carries the token */
	const char *secret;  /* Feishu, DingTalk signing secret; NULL: unsigned */
	const char *api_url; /* Telegram Bot API root; NULL: https://api.telegram.org */
	const char *token;   /* Telegram bot token; a secret */
	const char *chat_id; /* Telegram chat */
};

struct push_message {
	char *method;  /* Telegram: "sendMessage" or "sendPhoto"; NULL for the others */
	char *body;    /* the JSON body as sent, before signing (its hash is the payload hash) */
	char *preview; /* what `send --dry-run` prints for it: readable, no secret */
};

struct push_batch {
	struct push_message *items;
	size_t n, cap;
};

void push_batch_release(struct push_batch *b);

/* Is the channel's configuration complete for its type? PB_ERR_USAGE naming the missing key. */
int push_channel_check(const struct push_channel *ch, struct pb_err *err);

/* The digest as ch's platform shows it, appended to out: one message or more, in order. */
int push_render_digest(const struct push_channel *ch, const struct digest *d, struct push_batch *out,
		       struct pb_err *err);

/* One short plain text (an alert) as one message of ch's platform, escaped like any title. */
int push_render_text(const struct push_channel *ch, const char *text, struct push_batch *out,
		     struct pb_err *err);

struct net_client;

/*
 * POST m to ch (signing it with now_ms when a secret is set) and read the
 * platform's answer: 0 when it accepted the message, with the platform's
 * message id in id ("" when it returns none); PB_ERR_NET naming the channel
 * and the platform's own error (code and text) otherwise; PB_ERR_STOPPED on a
 * stop.
 */
int push_send(struct net_client *c, const struct push_channel *ch, const struct push_message *m,
	      long long now_ms, char *id, size_t id_size, const struct pb_run *run,
	      struct pb_err *err);

#endif
