/* TEMPORARY stub until the push branch lands (src/CMakeLists.txt picks push.c when it exists). */
#include "core/common.h"
#include "deliver/push.h"
#include <string.h>
#include <stdlib.h>
static const char *const names[] = {"feishu", "dingtalk", "wecom", "slack", "discord", "telegram"};
const char *push_type_name(enum push_type t) { return names[t]; }
int push_type_parse(const char *name, enum push_type *out)
{
	for (int i = 0; i < PUSH_TYPE_COUNT; i++)
		if (!strcmp(name, names[i])) { *out = (enum push_type)i; return 0; }
	return -1;
}
void push_batch_release(struct push_batch *b) { for (size_t i = 0; i < b->n; i++) { free(b->items[i].body); free(b->items[i].method); free(b->items[i].preview);} free(b->items); memset(b, 0, sizeof(*b)); }
int push_channel_check(const struct push_channel *ch, struct pb_err *err) { (void)ch; (void)err; return 0; }
int push_render_digest(const struct push_channel *ch, const struct digest *d, struct push_batch *out, struct pb_err *err)
{ (void)ch; (void)d; (void)out; return pb_err_set(err, PB_ERR, "stub"); }
int push_render_text(const struct push_channel *ch, const char *text, struct push_batch *out, struct pb_err *err)
{ (void)ch; (void)text; (void)out; return pb_err_set(err, PB_ERR, "stub"); }
int push_send(struct net_client *c, const struct push_channel *ch, const struct push_message *m, long long now_ms, char *id, size_t id_size, const struct pb_run *run, struct pb_err *err)
{ (void)c; (void)ch; (void)m; (void)now_ms; (void)id; (void)id_size; (void)run; return pb_err_set(err, PB_ERR, "stub"); }
