/*
 * mail.h - the day's edition as an e-mail, and sending it over SMTP with
 * libcurl.
 *
 *     struct mail_options mo = {.url = "smtps://smtp.example.com", .from = "日报 <a@b>"};
 *     struct mail_message m;
 *     mail_compose(&mo, digest, "reader@example.com", time(NULL), &m, &err);
 *     mail_send(&mo, &m, &run, &err);
 *     mail_message_release(&m);
 *
 * The message: multipart/alternative with a text/plain part (the digest as
 * text) and the HTML edition; the edition's pictures go inline as
 * multipart/related parts referenced by cid:, or are linked to the site
 * when [site] base_url is set. Headers: an RFC 2047 UTF-8 Subject (the
 * digest's title), From with a display name, Date, a Message-ID stable per
 * (day, language, recipient), List-Id, List-Unsubscribe (and
 * List-Unsubscribe-Post for an https URL), Content-Language.
 *
 * Transport: smtps:// (TLS from the start), or smtp:// with STARTTLS
 * required; plain text only to a loopback host (tests, local relays). AUTH
 * with user and password when given. The password never appears in an
 * error or a log line.
 */
#ifndef PB_DELIVER_MAIL_H
#define PB_DELIVER_MAIL_H

#include "core/buf.h"
#include "core/err.h"
#include "core/run.h"
#include "deliver/digest.h"

#include <time.h>

struct mail_options {
	const char *url;          /* smtps://host[:port] or smtp://host[:port] */
	const char *from;         /* "Display Name <addr@host>" or "addr@host" */
	const char *user;         /* AUTH; NULL: none */
	const char *password;     /* a secret */
	const char *unsubscribe;  /* mailto: and/or https: URL for List-Unsubscribe, comma-separated
				   * ("mailto:u@x, https://x/u"); NULL: none */
	const char *list_id;      /* List-Id; NULL: derived from From's domain */
	long connect_timeout_ms;  /* 0: libcurl's default */
	long timeout_ms;          /* one message; 0: none */
	/* Optional, zero by default (callers that memset the struct need not know them): */
	const char *ca_file;      /* a CA bundle to verify the server with; NULL: the system's */
	int max_tries;            /* tries per message on a transient failure (4xx, connection); 0: 3 */
	long backoff_base_ms;     /* the first wait between tries, doubling; 0: 2000 */
};

/* Are url and from usable? PB_ERR_USAGE naming the key and what is wrong. */
int mail_options_check(const struct mail_options *o, struct pb_err *err);

/*
 * The recipients: the comma-separated list `to` and the lines of `to_file`
 * (one address a line; blank lines and # comments skipped), in order,
 * duplicates dropped. A malformed address does not stop the others: it is
 * left out and described in bad ("'x@' in readers.txt line 3 is not an
 * e-mail address"), so it is reported as a failed delivery. Errors: the file
 * cannot be read.
 */
int mail_read_recipients(const char *to, const char *to_file, char ***out, size_t *n,
			 char ***bad, size_t *n_bad, struct pb_err *err);
void mail_recipients_free(char **list, size_t n);

struct mail_message {
	char *recipient;  /* the envelope and To address */
	char *message_id; /* "<2025-12-26.zh-CN.HASH@domain>" without the brackets' quoting */
	struct buf data;  /* the whole RFC 5322 message, CRLF line ends */
};

/* Compose d for recipient, dated now. */
int mail_compose(const struct mail_options *o, const struct digest *d, const char *recipient,
		 time_t now, struct mail_message *out, struct pb_err *err);
void mail_message_release(struct mail_message *m);

/*
 * Send m over SMTP. 0 when the server accepted it; PB_ERR_NET with the
 * server's reply (e.g. "550 5.1.1 no such user") or the transport error,
 * naming the recipient and the server's host, otherwise; PB_ERR_STOPPED on
 * a stop. A transient failure (a 4xx reply, a refused, reset or timed-out
 * connection) is tried again up to max_tries times with a growing wait; a
 * 5xx reply is final at once.
 */
int mail_send(const struct mail_options *o, const struct mail_message *m, const struct pb_run *run,
	      struct pb_err *err);

#endif
