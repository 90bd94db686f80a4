/* replay.c - the demo's recorded-answer chat server (libmicrohttpd). */
#include "core/common.h"

#include "demo/replay.h"
#include "core/buf.h"
#include "core/text.h"

#include <arpa/inet.h>
#include <jansson.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct recorded {
	char *title; /* normalised English title */
	char *translation;
};

struct replay_server {
	struct MHD_Daemon *daemon;
	struct recorded *answers;
	size_t n_answers;
	char url[64];
};

/* The normalised text after "Title: " in the last user message of a chat request. */
static char *requested_title(const char *body, size_t len)
{
	json_t *root = json_loadb(body, len, 0, NULL);
	json_t *messages = json_object_get(root, "messages");
	const char *user = NULL;
	size_t i;
	json_t *m;
	json_array_foreach(messages, i, m) {
		const char *role = json_string_value(json_object_get(m, "role"));
		if (role && !strcmp(role, "user"))
			user = json_string_value(json_object_get(m, "content"));
	}
	char *title = NULL;
	const char *line = user ? strstr(user, "Title: ") : NULL;
	if (line) {
		line += strlen("Title: ");
		const char *end = strchr(line, '\n');
		char *raw = end ? xstrndup(line, (size_t)(end - line)) : xstrdup(line);
		title = text_normalize(raw);
		free(raw);
	}
	json_decref(root);
	return title;
}

static enum MHD_Result respond(struct MHD_Connection *conn, unsigned status, char *json_text)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(strlen(json_text), json_text,
								 MHD_RESPMEM_MUST_FREE);
	MHD_add_response_header(r, "Content-Type", "application/json");
	enum MHD_Result ret = MHD_queue_response(conn, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result answer(struct replay_server *s, struct MHD_Connection *conn,
			      const struct buf *body)
{
	char *title = requested_title(body->data, body->len);
	const struct recorded *hit = NULL;
	for (size_t i = 0; title && i < s->n_answers && !hit; i++)
		if (!strcmp(s->answers[i].title, title))
			hit = &s->answers[i];
	free(title);
	if (!hit)
		return respond(conn, MHD_HTTP_NOT_FOUND,
			       xstrdup("{\"error\":{\"message\":\"no recorded answer for this paper\"}}"));
	/* Token counts are estimates (about 4 bytes a token): nothing is billed here. */
	json_t *reply = json_pack("{s:s, s:s, s:[{s:i, s:{s:s, s:s}, s:s}], s:{s:I, s:I}}",
				  "object", "chat.completion", "model", "paperboy-demo-replay",
				  "choices", "index", 0, "message", "role", "assistant", "content",
				  hit->translation, "finish_reason", "stop", "usage", "prompt_tokens",
				  (json_int_t)(body->len / 4), "completion_tokens",
				  (json_int_t)(strlen(hit->translation) / 4));
	char *text = json_dumps(reply, JSON_COMPACT);
	json_decref(reply);
	return respond(conn, MHD_HTTP_OK, text);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version, const char *upload,
				  size_t *upload_size, void **con_cls)
{
	(void)version;
	struct replay_server *s = cls;
	if (strcmp(method, "POST") || !strstr(url, "/chat/completions"))
		return respond(conn, MHD_HTTP_NOT_FOUND, xstrdup("{\"error\":{\"message\":\"not found\"}}"));
	struct buf *body = *con_cls;
	if (!body) {
		body = xmalloc(sizeof(*body));
		buf_init(body, 8u << 20);
		*con_cls = body;
		return MHD_YES;
	}
	if (*upload_size) {
		if (buf_add(body, upload, *upload_size))
			return MHD_NO;
		*upload_size = 0;
		return MHD_YES;
	}
	return answer(s, conn, body);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode code)
{
	(void)cls, (void)conn, (void)code;
	struct buf *body = *con_cls;
	if (body) {
		buf_release(body);
		free(body);
		*con_cls = NULL;
	}
}

static void free_answers(struct replay_server *s)
{
	for (size_t i = 0; i < s->n_answers; i++) {
		free(s->answers[i].title);
		free(s->answers[i].translation);
	}
	free(s->answers);
}

int replay_server_start(const char *answers, size_t len, struct replay_server **out,
			struct pb_err *err)
{
	json_error_t jerr;
	json_t *root = json_loadb(answers, len, 0, &jerr);
	if (!json_is_array(root)) {
		json_decref(root);
		return pb_err_set(err, PB_ERR_PARSE, "the recorded answers are not a JSON list");
	}
	struct replay_server *s = xcalloc(1, sizeof(*s));
	s->answers = xcalloc(json_array_size(root) + 1, sizeof(*s->answers));
	size_t i;
	json_t *item;
	json_array_foreach(root, i, item) {
		const char *title = json_string_value(json_object_get(item, "title"));
		const char *text = json_string_value(json_object_get(item, "translation"));
		if (title && text) {
			s->answers[s->n_answers].title = text_normalize(title);
			s->answers[s->n_answers++].translation = xstrdup(text);
		}
	}
	json_decref(root);

	struct sockaddr_in addr;
	memset(&addr, 0, sizeof(addr));
	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	addr.sin_port = 0;
	s->daemon = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION,
				     0, NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR, &addr,
				     MHD_OPTION_NOTIFY_COMPLETED, on_completed, s, MHD_OPTION_END);
	const union MHD_DaemonInfo *info =
		s->daemon ? MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT) : NULL;
	if (!info || !info->port) {
		replay_server_stop(s);
		return pb_err_set(err, PB_ERR_NET, "cannot start the demo's answer server on 127.0.0.1");
	}
	snprintf(s->url, sizeof(s->url), "http://127.0.0.1:%u/v1", (unsigned)info->port);
	*out = s;
	return 0;
}

const char *replay_server_url(const struct replay_server *s)
{
	return s->url;
}

void replay_server_stop(struct replay_server *s)
{
	if (!s)
		return;
	if (s->daemon)
		MHD_stop_daemon(s->daemon);
	free_answers(s);
	free(s);
}
