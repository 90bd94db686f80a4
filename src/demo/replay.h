/*
 * replay.h - an OpenAI-compatible chat server on 127.0.0.1 that answers
 * from recorded translations, so `paperboy demo` runs the real translate
 * stage (curl, retries, checks, archive) with no network and no key.
 *
 * Answers come from an old-bot translation file (a list of {title,
 * translation}); a request is matched by the "Title: …" line of its user
 * message. Served by libmicrohttpd on its own thread.
 *
 *     struct replay_server *s;
 *     replay_server_start(json, len, &s, &err);
 *     ... translate against replay_server_url(s) ...
 *     replay_server_stop(s);
 */
#ifndef PB_REPLAY_H
#define PB_REPLAY_H

#include "core/err.h"

struct replay_server;

int replay_server_start(const char *answers, size_t len, struct replay_server **out,
			struct pb_err *err);
/* "http://127.0.0.1:PORT/v1" */
const char *replay_server_url(const struct replay_server *s);
void replay_server_stop(struct replay_server *s);

#endif
