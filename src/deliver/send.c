/* send.c - every channel of the config, each message once, recorded in the archive. */
#include "core/common.h"

#include "deliver/send.h"
#include "core/hash.h"
#include "core/layout.h"
#include "deliver/digest.h"
#include "deliver/mail.h"
#include "deliver/push.h"
#include "lang/lang.h"
#include "net/http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A channel of the config with its settings read (from the file or the environment). */
struct channel {
	const struct pb_delivery *d;
	const char *lang;
	struct push_channel push;
	struct mail_options mail;
	char **rcpts;
	size_t n_rcpts;
	char **bad_rcpts; /* what is wrong with each malformed address */
	size_t n_bad_rcpts;
};

static void channel_release(struct channel *ch)
{
	mail_recipients_free(ch->rcpts, ch->n_rcpts);
	mail_recipients_free(ch->bad_rcpts, ch->n_bad_rcpts);
	memset(ch, 0, sizeof(*ch));
}

static const char *value(const struct pb_delivery *d, enum delivery_key k, pb_getenv_fn *get,
			 int *rc, struct pb_err *err)
{
	const char *v = NULL;
	if (!*rc)
		*rc = config_delivery_value(d, k, get, &v, err);
	return v;
}

static int resolve(const struct pb_config *cfg, const struct pb_delivery *d, pb_getenv_fn *get,
		   struct channel *ch, struct pb_err *err)
{
	memset(ch, 0, sizeof(*ch));
	ch->d = d;
	int rc = 0;
	const char *lang = value(d, DK_LANG, get, &rc, err);
	const struct language *l = lang ? lang_find(lang) : lang_default();
	if (!rc && !l) {
		rc = pb_err_set(err, PB_ERR_USAGE, "%s%s%s: no edition language '%s'",
				d->is_mail ? "[mail" : "[push.", d->is_mail ? "" : d->name, "]", lang);
		pb_err_hint(err, "the languages are %s", lang_codes());
	}
	if (rc)
		return rc;
	ch->lang = l->code;
	if (d->is_mail) {
		struct mail_options *m = &ch->mail;
		m->url = value(d, DK_URL, get, &rc, err);
		m->from = value(d, DK_FROM, get, &rc, err);
		m->user = value(d, DK_USER, get, &rc, err);
		m->password = value(d, DK_PASSWORD, get, &rc, err);
		m->unsubscribe = value(d, DK_UNSUBSCRIBE, get, &rc, err);
		m->list_id = value(d, DK_LIST_ID, get, &rc, err);
		m->ca_file = value(d, DK_CA_FILE, get, &rc, err);
		m->connect_timeout_ms = cfg->connect_timeout_s * 1000;
		m->timeout_ms = cfg->http_timeout_s * 1000 * 4; /* a message with its pictures */
		const char *to = value(d, DK_TO, get, &rc, err);
		const char *to_file = value(d, DK_TO_FILE, get, &rc, err);
		if (!rc)
			rc = mail_options_check(m, err);
		if (!rc && !to && !to_file)
			rc = pb_err_set(err, PB_ERR_USAGE, "[mail] has no recipients: set to or to_file");
		if (!rc)
			rc = mail_read_recipients(to, to_file, &ch->rcpts, &ch->n_rcpts, &ch->bad_rcpts,
						  &ch->n_bad_rcpts, err);
		if (!rc && ch->n_rcpts + ch->n_bad_rcpts == 0)
			rc = pb_err_set(err, PB_ERR_USAGE, "[mail] to_file '%s' lists no address",
					to_file ? to_file : "");
		return rc;
	}
	struct push_channel *p = &ch->push;
	p->name = d->name;
	const char *type = value(d, DK_TYPE, get, &rc, err);
	if (!rc && (!type || push_type_parse(type, &p->type))) {
		rc = pb_err_set(err, PB_ERR_USAGE, "[push.%s] needs type = feishu, dingtalk, wecom, slack, "
				"discord or telegram%s%s%s", d->name, type ? " (got '" : "",
				type ? type : "", type ? "')" : "");
	}
	p->url = value(d, DK_URL, get, &rc, err);
	p->secret = value(d, DK_SECRET, get, &rc, err);
	p->api_url = value(d, DK_API_URL, get, &rc, err);
	p->token = value(d, DK_TOKEN, get, &rc, err);
	p->chat_id = value(d, DK_CHAT_ID, get, &rc, err);
	if (!rc)
		rc = push_channel_check(p, err);
	return rc;
}

/* Is the channel among "a,b,c" (NULL: every channel is)? */
static bool selected(const char *only, const char *name)
{
	if (!only)
		return true;
	size_t n = strlen(name);
	for (const char *p = only; *p;) {
		p += strspn(p, ", ");
		size_t len = strcspn(p, ", ");
		if (len == n && !strncmp(p, name, n))
			return true;
		p += len;
	}
	return false;
}

bool send_configured(const struct pb_config *cfg)
{
	return cfg->n_deliveries > 0;
}

static void list_channels(const struct pb_config *cfg, char *out, size_t size)
{
	size_t used = 0;
	out[0] = '\0';
	for (size_t i = 0; i < cfg->n_deliveries && used < size; i++)
		used += (size_t)snprintf(out + used, size - used, "%s%s", i ? ", " : "",
					 cfg->deliveries[i].name);
}

int send_check(const struct pb_config *cfg, const struct send_options *so, struct pb_err *err)
{
	for (const char *p = so->only ? so->only : ""; *p;) {
		p += strspn(p, ", ");
		size_t len = strcspn(p, ", ");
		bool known = false;
		for (size_t i = 0; i < cfg->n_deliveries && !known; i++)
			known = strlen(cfg->deliveries[i].name) == len &&
				!strncmp(cfg->deliveries[i].name, p, len);
		if (len && !known) {
			char names[512];
			list_channels(cfg, names, sizeof(names));
			pb_err_set(err, PB_ERR_USAGE, "--only: no channel '%.*s'", (int)len, p);
			if (names[0])
				pb_err_hint(err, "the configured channels are %s", names);
			else
				pb_err_hint(err, "no channel is configured: add [mail] or [push.NAME] to the "
						 "--config file (see the README, \"Deliver\")");
			return PB_ERR_USAGE;
		}
		p += len;
	}
	if (!send_configured(cfg) && so->only)
		return 0;
	for (size_t i = 0; i < cfg->n_deliveries; i++) {
		if (!selected(so->only, cfg->deliveries[i].name))
			continue;
		struct channel ch;
		int rc = resolve(cfg, &cfg->deliveries[i], so->getenv, &ch, err);
		channel_release(&ch);
		if (rc)
			return rc;
	}
	if (cfg->alerts_push) {
		const struct pb_delivery *d = config_delivery_find(cfg, cfg->alerts_push);
		if (!d || d->is_mail) {
			pb_err_set(err, PB_ERR_USAGE, "[alerts] push = %s names no [push.%s] section",
				   cfg->alerts_push, cfg->alerts_push);
			pb_err_hint(err, "alerts go to a chat channel: add [push.%s] or fix the name",
				    cfg->alerts_push);
			return PB_ERR_USAGE;
		}
	}
	return 0;
}

/* ---- the report ------------------------------------------------------------------------ */

const char *send_result_name(enum send_result r)
{
	switch (r) {
	case SEND_SENT: return "sent";
	case SEND_ALREADY: return "already sent";
	case SEND_FAILED: return "failed";
	case SEND_DRY_RUN: return "dry run";
	}
	return "?";
}

static struct send_item *add_item(struct send_report *r, const struct channel *ch,
				  const char *recipient, int part, int parts, enum send_result res)
{
	GROW(r->items, r->cap, r->n + 1);
	struct send_item *it = &r->items[r->n++];
	memset(it, 0, sizeof(*it));
	it->channel = xstrdup(ch->d->name);
	it->kind = xstrdup(ch->d->is_mail ? "mail" : push_type_name(ch->push.type));
	it->lang = xstrdup(ch->lang ? ch->lang : LAYOUT_DEFAULT_LANG);
	it->recipient = xstrdup(recipient ? recipient : "");
	it->part = part;
	it->parts = parts;
	it->result = res;
	switch (res) {
	case SEND_SENT: r->sent++; break;
	case SEND_ALREADY: r->already++; break;
	case SEND_FAILED: r->failed++; break;
	case SEND_DRY_RUN: r->dry++; break;
	}
	return it;
}

void send_report_release(struct send_report *r)
{
	for (size_t i = 0; i < r->n; i++) {
		struct send_item *it = &r->items[i];
		free(it->channel);
		free(it->kind);
		free(it->lang);
		free(it->recipient);
		free(it->message_id);
		free(it->detail);
	}
	free(r->items);
	memset(r, 0, sizeof(*r));
}

void send_report_summary(const struct send_report *r, char *out, size_t size)
{
	if (r->dry)
		snprintf(out, size, "send: %zu channel%s, %zu message%s composed (dry run: none sent)",
			 r->channels, r->channels == 1 ? "" : "s", r->dry, r->dry == 1 ? "" : "s");
	else
		snprintf(out, size, "send: %zu channel%s, %zu sent, %zu already delivered, %zu failed",
			 r->channels, r->channels == 1 ? "" : "s", r->sent, r->already, r->failed);
}

/* ---- one message ------------------------------------------------------------------------- */

struct send_ctx {
	struct archive *a;
	const struct send_options *so;
	const struct pb_run *run;
	struct send_report *r;
	struct net_client *http;
	const char *date;
	bool failed;         /* any message */
	struct pb_err fatal; /* the archive cannot record, or a stop: nothing more is sent */
};

/* Has this message been delivered (so it is skipped), per the archive? */
static int delivered(struct send_ctx *s, const struct delivery_ref *ref, bool *yes)
{
	enum delivery_status st = DELIVERY_NONE;
	*yes = false;
	if (s->so->resend)
		return 0;
	if (archive_delivery_status(s->a, ref, &st, &s->fatal))
		return PB_ERR_DB;
	*yes = st == DELIVERY_SENT;
	return 0;
}

/*
 * The message goes out between a durable "sending" and its outcome, so a
 * kill leaves at most this one message to repeat. Returns non-zero only when
 * nothing more may be sent (a stop, the archive failing); a refused message
 * is an item of the report.
 */
static int deliver(struct send_ctx *s, const struct channel *ch, const struct delivery_ref *ref,
		   int parts, const char *payload, size_t len,
		   int (*post)(struct send_ctx *, const struct channel *, const void *, char *, size_t,
			       struct pb_err *),
		   const void *message)
{
	char hash[PB_SHA256_HEX_LEN + 1];
	sha256_hex(payload, len, hash);
	const char *kind = ch->d->is_mail ? "mail" : push_type_name(ch->push.type);
	if (archive_delivery_begin(s->a, ref, kind, hash, &s->fatal))
		return PB_ERR_DB;
	char id[128] = "";
	struct pb_err err = PB_ERR_INIT;
	int rc = post(s, ch, message, id, sizeof(id), &err);
	if (rc == PB_ERR_STOPPED) {
		/* Not known to have arrived: the row stays "sending", and the next run sends it. */
		s->fatal = err;
		return rc;
	}
	if (archive_delivery_finish(s->a, ref, rc == 0, id, rc ? err.msg : NULL, &s->fatal))
		return PB_ERR_DB;
	struct send_item *it = add_item(s->r, ch, ref->recipient, ref->part, parts,
					rc ? SEND_FAILED : SEND_SENT);
	if (rc) {
		s->failed = true;
		it->detail = xasprintf("%s%s%s", err.msg, err.hint[0] ? "; hint: " : "", err.hint);
		pb_warn(s->run->log, "%s: %s", ch->d->name, err.msg);
		if (err.hint[0])
			pb_warn(s->run->log, "hint: %s", err.hint);
	} else {
		it->message_id = id[0] ? xstrdup(id) : NULL;
		pb_debug(s->run->log, "%s: %s %d of %d delivered%s%s", ch->d->name,
			 ref->recipient && *ref->recipient ? ref->recipient : "message", ref->part + 1,
			 parts, id[0] ? ", id " : "", id);
	}
	return 0;
}

static int post_mail(struct send_ctx *s, const struct channel *ch, const void *message, char *id,
		     size_t id_size, struct pb_err *err)
{
	const struct mail_message *m = message;
	snprintf(id, id_size, "%s", m->message_id ? m->message_id : "");
	return mail_send(&ch->mail, m, s->run, err);
}

/* The webhooks' HTTP settings: the config's timeouts and retries, for deliveries and alerts alike. */
static void webhook_net_options(const struct pb_config *cfg, struct net_options *no)
{
	net_options_default(no);
	no->connect_timeout_ms = cfg->connect_timeout_s * 1000;
	no->timeout_ms = cfg->http_timeout_s * 1000;
	no->retry.max_tries = (int)cfg->http_retries + 1;
}

/* Wall-clock milliseconds: what Feishu's and DingTalk's signatures are computed over. */
static long long now_ms(void)
{
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	return (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

static int post_push(struct send_ctx *s, const struct channel *ch, const void *message, char *id,
		     size_t id_size, struct pb_err *err)
{
	return push_send(s->http, &ch->push, message, now_ms(), id, id_size, s->run, err);
}

static int send_mail(struct send_ctx *s, const struct channel *ch, const struct digest *d)
{
	/* A typo in the list fails that line alone, every run, until it is fixed. */
	for (size_t i = 0; i < ch->n_bad_rcpts; i++) {
		struct send_item *it = add_item(s->r, ch, "", 0, 1, SEND_FAILED);
		it->detail = xstrdup(ch->bad_rcpts[i]);
		s->failed = true;
		pb_warn(s->run->log, "mail: %s; it gets nothing until it is fixed", ch->bad_rcpts[i]);
	}
	for (size_t i = 0; i < ch->n_rcpts; i++) {
		if (pb_run_stopped(s->run))
			return pb_err_set(&s->fatal, PB_ERR_STOPPED, "send interrupted");
		const char *to = ch->rcpts[i];
		struct delivery_ref ref = {s->date, ch->lang, ch->d->name, to, 0};
		bool done;
		if (delivered(s, &ref, &done))
			return PB_ERR_DB;
		if (done) {
			add_item(s->r, ch, to, 0, 1, SEND_ALREADY);
			continue;
		}
		struct mail_message m = {0};
		struct pb_err err = PB_ERR_INIT;
		if (mail_compose(&ch->mail, d, to, time(NULL), &m, &err)) {
			struct send_item *it = add_item(s->r, ch, to, 0, 1, SEND_FAILED);
			it->detail = xstrdup(err.msg);
			s->failed = true;
			pb_warn(s->run->log, "%s: %s", ch->d->name, err.msg);
			mail_message_release(&m);
			continue;
		}
		int rc = 0;
		if (s->so->dry_run) {
			struct send_item *it = add_item(s->r, ch, to, 0, 1, SEND_DRY_RUN);
			it->detail = xasprintf("To: %s\nSubject: %s\nMessage-ID: <%s>\n(%zu bytes, "
					       "text and HTML)", to, d->title, m.message_id, m.data.len);
		} else {
			rc = deliver(s, ch, &ref, 1, m.data.data, m.data.len, post_mail, &m);
		}
		mail_message_release(&m);
		if (rc)
			return rc;
	}
	return 0;
}

static int send_push(struct send_ctx *s, const struct channel *ch, const struct digest *d)
{
	struct push_batch b = {0};
	struct pb_err err = PB_ERR_INIT;
	if (push_render_digest(&ch->push, d, &b, &err)) {
		struct send_item *it = add_item(s->r, ch, "", 0, 1, SEND_FAILED);
		it->detail = xstrdup(err.msg);
		s->failed = true;
		pb_warn(s->run->log, "%s: %s", ch->d->name, err.msg);
		push_batch_release(&b);
		return 0;
	}
	int rc = 0;
	int parts = (int)b.n;
	for (int k = 0; k < parts && !rc; k++) {
		if (pb_run_stopped(s->run)) {
			rc = pb_err_set(&s->fatal, PB_ERR_STOPPED, "send interrupted");
			break;
		}
		const struct push_message *m = &b.items[k];
		struct delivery_ref ref = {s->date, ch->lang, ch->d->name, "", k};
		bool done;
		if ((rc = delivered(s, &ref, &done)))
			break;
		if (done) {
			add_item(s->r, ch, "", k, parts, SEND_ALREADY);
			continue;
		}
		if (s->so->dry_run) {
			struct send_item *it = add_item(s->r, ch, "", k, parts, SEND_DRY_RUN);
			it->detail = xstrdup(m->preview ? m->preview : m->body);
			continue;
		}
		size_t failed_before = s->r->failed;
		rc = deliver(s, ch, &ref, parts, m->body, strlen(m->body), post_push, m);
		/* The messages of a day go in order: after a refused one, the rest wait for the rerun. */
		if (!rc && s->r->failed > failed_before)
			break;
	}
	push_batch_release(&b);
	return rc;
}

/* ---- the day ------------------------------------------------------------------------------ */

struct lang_digest {
	const char *lang;
	struct ui_strings *ui;
	struct digest *d;
	struct pb_err err; /* why there is no digest */
	int rc;
};

static const struct lang_digest *digest_for(struct lang_digest *cache, size_t *n, struct archive *a,
					    const struct pb_config *cfg, const struct pb_run *run,
					    const char *date, const char *lang)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp(cache[i].lang, lang))
			return &cache[i];
	struct lang_digest *c = &cache[(*n)++];
	c->lang = lang;
	c->err = (struct pb_err)PB_ERR_INIT;
	c->rc = ui_strings_load(lang_find(lang), &c->ui, &c->err);
	if (!c->rc)
		c->rc = digest_load(a, cfg, run, date, lang, c->ui, &c->d, &c->err);
	return c;
}

int send_day(struct archive *a, const struct pb_config *cfg, const struct send_options *so,
	     const char *date, const struct pb_run *run, struct send_report *r, struct pb_err *err)
{
	struct send_ctx s = {a, so, run, r, NULL, date, false, PB_ERR_INIT};
	struct lang_digest cache[8] = {{0}};
	size_t n_cache = 0;
	int rc = 0;
	struct net_options no;
	webhook_net_options(cfg, &no);
	for (size_t i = 0; i < cfg->n_deliveries && !rc; i++) {
		const struct pb_delivery *dl = &cfg->deliveries[i];
		if (!selected(so->only, dl->name))
			continue;
		r->channels++;
		struct channel ch;
		struct pb_err cerr = PB_ERR_INIT;
		if (resolve(cfg, dl, so->getenv, &ch, &cerr)) {
			struct send_item *it = add_item(r, &ch, "", 0, 1, SEND_FAILED);
			it->detail = xstrdup(cerr.msg);
			s.failed = true;
			pb_warn(run->log, "%s: %s", dl->name, cerr.msg);
			channel_release(&ch);
			continue;
		}
		const struct lang_digest *ld = n_cache < PB_ARRAY_LEN(cache)
			? digest_for(cache, &n_cache, a, cfg, run, date, ch.lang) : NULL;
		if (!ld || ld->rc == PB_ERR_NO_PAPERS || ld->rc == PB_ERR_DB) {
			rc = ld ? pb_err_set(err, ld->rc, "%s", ld->err.msg) : pb_err_set(err, PB_ERR, "too many languages");
			if (ld)
				pb_err_hint(err, "%s", ld->err.hint);
			channel_release(&ch);
			break;
		}
		if (ld->rc) {
			struct send_item *it = add_item(r, &ch, "", 0, 1, SEND_FAILED);
			it->detail = xasprintf("%s%s%s", ld->err.msg, ld->err.hint[0] ? "; hint: " : "",
					       ld->err.hint);
			s.failed = true;
			pb_warn(run->log, "%s: %s", dl->name, it->detail);
			channel_release(&ch);
			continue;
		}
		if (!dl->is_mail && !s.http && !(s.http = net_client_new(&no, err))) {
			rc = PB_ERR_NET;
			channel_release(&ch);
			break;
		}
		size_t before = r->failed;
		rc = dl->is_mail ? send_mail(&s, &ch, ld->d) : send_push(&s, &ch, ld->d);
		if (!rc && !so->dry_run && r->failed == before)
			pb_info(run->log, "%s: delivered", dl->name);
		channel_release(&ch);
	}
	if (rc && pb_err_is_set(&s.fatal)) {
		pb_err_set(err, s.fatal.status, "%s", s.fatal.msg);
		pb_err_hint(err, "%s", s.fatal.hint);
	}
	for (size_t i = 0; i < n_cache; i++) {
		digest_free(cache[i].d);
		ui_strings_free(cache[i].ui);
	}
	net_client_free(s.http);
	if (!rc && s.failed) {
		rc = pb_err_set(err, PB_ERR_NET, "%zu of %zu messages of %s not delivered", r->failed,
				r->failed + r->sent + r->already, date);
		pb_err_hint(err, "the next run (or paperboy send --date %s) retries them", date);
	}
	return rc;
}

/* ---- alerts ------------------------------------------------------------------------------ */

int send_alert(struct archive *a, const struct pb_config *cfg, pb_getenv_fn *get,
	       const char *const *problems, size_t n, const char *text, const struct pb_run *run,
	       bool *sent, struct pb_err *err)
{
	*sent = false;
	if (!cfg->alerts_push)
		return 0;
	const struct pb_delivery *d = config_delivery_find(cfg, cfg->alerts_push);
	if (!d || d->is_mail)
		return pb_err_set(err, PB_ERR_USAGE, "[alerts] push = %s names no [push.%s] section",
				  cfg->alerts_push, cfg->alerts_push);
	bool fresh = false;
	for (size_t i = 0; i < n && !fresh; i++) {
		bool seen;
		if (archive_alert_seen(a, problems[i], &seen, err))
			return PB_ERR_DB;
		fresh = !seen;
	}
	if (!fresh)
		return 0;
	struct channel ch;
	int rc = resolve(cfg, d, get, &ch, err);
	struct push_batch b = {0};
	if (!rc)
		rc = push_render_text(&ch.push, text, &b, err);
	struct net_options no;
	webhook_net_options(cfg, &no);
	struct net_client *http = rc ? NULL : net_client_new(&no, err);
	if (!rc && !http)
		rc = PB_ERR_NET;
	for (size_t i = 0; i < b.n && !rc; i++) {
		char id[128];
		rc = push_send(http, &ch.push, &b.items[i], now_ms(), id, sizeof(id), run, err);
	}
	for (size_t i = 0; i < n && !rc; i++)
		rc = archive_alert_put(a, problems[i], d->name, text, err);
	*sent = rc == 0;
	net_client_free(http);
	push_batch_release(&b);
	channel_release(&ch);
	return rc;
}
