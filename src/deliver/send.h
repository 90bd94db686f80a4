/*
 * send.h - the send stage: a day's editions to every configured channel
 * ([mail] and each [push.NAME]), once and only once, and the alerts.
 *
 *     struct send_options so = {.getenv = getenv};
 *     struct send_report rep = {0};
 *     send_day(archive, cfg, &so, "2025-12-26", &run, &rep, &err);
 *     ... rep.items[i]: channel, recipient, what became of each message ...
 *     send_report_release(&rep);
 *
 * Once only: every message is recorded in the archive's deliveries table as
 * "sending" before it goes out and "sent" or "failed" when the server has
 * answered, so a rerun sends only what was not delivered, and a run killed
 * mid-send repeats at most the message in flight. --resend sends again on
 * purpose. A channel that fails never stops the others.
 *
 * Each channel delivers the edition in its `lang` (default zh-CN). Secrets
 * (passwords, tokens, signing secrets, webhook URLs) are read from the
 * config or the environment (KEY_env) here, and never reach a report, a log
 * line or the archive: channels are named by their section.
 */
#ifndef PB_DELIVER_SEND_H
#define PB_DELIVER_SEND_H

#include "archive/archive.h"
#include "core/config.h"
#include "core/err.h"
#include "core/run.h"

struct send_options {
	const char *only;      /* "mail,team": only these channels; NULL: every one */
	bool resend;           /* send again what was delivered */
	bool dry_run;          /* compose, record nothing, send nothing: previews in the report */
	pb_getenv_fn *getenv;  /* where KEY_env variables are read; NULL: none is */
};

enum send_result {
	SEND_SENT,
	SEND_ALREADY,  /* delivered by an earlier run */
	SEND_FAILED,
	SEND_DRY_RUN   /* --dry-run: composed, not sent */
};

/* One message to one recipient (or one chat channel). */
struct send_item {
	char *channel;    /* "mail" or NAME */
	char *kind;       /* "mail", "slack", ... */
	char *lang;
	char *recipient;  /* the address; "" for a chat channel */
	int part, parts;  /* message part+1 of parts */
	enum send_result result;
	char *message_id; /* the platform's, when it returned one */
	char *detail;     /* SEND_FAILED: why; SEND_DRY_RUN: the message as it would go out */
};

struct send_report {
	struct send_item *items;
	size_t n, cap;
	size_t sent, already, failed, dry;
	size_t channels;  /* channels tried */
};

void send_report_release(struct send_report *r);
/* "send: 3 sent, 2 already delivered, 1 failed" */
void send_report_summary(const struct send_report *r, char *out, size_t size);
const char *send_result_name(enum send_result r); /* "sent", "already sent", ... */

/* Does the config name any channel? */
bool send_configured(const struct pb_config *cfg);

/*
 * Is every channel's configuration complete and every name in only known?
 * PB_ERR_USAGE naming the section and key; run checks this before fetching,
 * so a typo is met before anything is paid for.
 */
int send_check(const struct pb_config *cfg, const struct send_options *so, struct pb_err *err);

/*
 * Deliver date to every channel (or those of so->only). Returns 0 when every
 * message was delivered (now or before); PB_ERR_NET when any failed (each is
 * in r, the stage goes on with the others); PB_ERR_STOPPED on a stop; other
 * errors (no edition, the archive) before anything was sent.
 */
int send_day(struct archive *a, const struct pb_config *cfg, const struct send_options *so,
	     const char *date, const struct pb_run *run, struct send_report *r, struct pb_err *err);

/*
 * Post text to [alerts] push about problems (stable keys such as
 * "run:2025-12-26:failed:fetch"), once: nothing is sent when every one was
 * alerted before (filter with archive_alert_seen to word the text), and
 * each is recorded once the message is out. *sent is false when nothing was
 * sent (no alert channel, or nothing new).
 */
int send_alert(struct archive *a, const struct pb_config *cfg, pb_getenv_fn *get,
	       const char *const *problems, size_t n, const char *text, const struct pb_run *run,
	       bool *sent, struct pb_err *err);

#endif
