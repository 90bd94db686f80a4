/* serve.c - the site preview: one folder over HTTP on a loopback address (libmicrohttpd). */
/* realpath() is POSIX 2008, but glibc declares it only for X/Open. */
#define _XOPEN_SOURCE 700
#include "core/common.h"

#include "publish/serve.h"
#include "core/buf.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

/* How often the waiting thread looks at the stop flag: a stop ends the preview well within the CLI's 2 s. */
#define STOP_POLL_MS 100
/* A browser keeps idle connections open; this closes the forgotten ones without cutting a slow MP3 download. */
#define CONNECTION_TIMEOUT_S 60u
#define LISTEN_BACKLOG 64

struct server {
	char *root; /* realpath() of the site folder: every file served resolves below it */
	size_t root_len;
	const struct pb_log *log;
};

/* ---- request path -> file ---- */

enum path_verdict { PATH_OK, PATH_BAD, PATH_HIDDEN };

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * The request path as a path relative to the root ("" for the root itself),
 * %-escapes decoded, empty and "." segments dropped. The decoding is done
 * here, after the whole path is seen, and splitting comes after it, so
 * "%2e%2e" is a ".." segment and "..%2f" one too. A NUL, a backslash (a
 * separator to some clients) or a ".." is PATH_BAD; a name starting with '.'
 * is PATH_HIDDEN: nothing the site writes has one, and a site folder that is
 * also a git work tree must not hand out its .git.
 */
static enum path_verdict url_to_rel(const char *url, struct buf *rel)
{
	if (url[0] != '/')
		return PATH_BAD;
	struct buf dec;
	buf_init(&dec, BUF_LIMIT_NONE);
	enum path_verdict v = PATH_OK;
	for (const char *p = url; *p && v == PATH_OK; p++) {
		char c = *p;
		if (c == '%') {
			int hi = hex_value(p[1]);
			int lo = hi < 0 ? -1 : hex_value(p[2]);
			if (lo < 0) {
				v = PATH_BAD;
				break;
			}
			c = (char)(hi * 16 + lo);
			p += 2;
		}
		if (c == '\0' || c == '\\')
			v = PATH_BAD;
		else
			sb_addc(&dec, c);
	}
	for (const char *s = dec.data; *s && v == PATH_OK;) {
		const char *slash = strchr(s, '/');
		size_t n = slash ? (size_t)(slash - s) : strlen(s);
		if (n == 2 && s[0] == '.' && s[1] == '.')
			v = PATH_BAD;
		else if (n > 1 && s[0] == '.')
			v = PATH_HIDDEN;
		else if (n > 0 && !(n == 1 && s[0] == '.')) {
			if (rel->len)
				sb_addc(rel, '/');
			sb_add(rel, s, n);
		}
		s += n;
		if (*s == '/')
			s++;
	}
	buf_release(&dec);
	return v;
}

static bool inside_root(const struct server *s, const char *real)
{
	if (strncmp(real, s->root, s->root_len))
		return false;
	return real[s->root_len] == '\0' || real[s->root_len] == '/' ||
	       s->root[s->root_len - 1] == '/'; /* root is "/" */
}

/*
 * The real path of rel under the root, or NULL when it does not exist or
 * resolves outside the root (a symlink pointing out). Caller frees. Between
 * this check and the open a symlink could be swapped in; the folder is the
 * user's own output, served to the user's own browser, so that is not a
 * boundary worth openat2() (which glibc 2.36 does not wrap) here.
 */
static char *resolve(const struct server *s, const char *rel)
{
	char *joined = rel[0] ? xasprintf("%s/%s", s->root, rel) : xstrdup(s->root);
	char *real = realpath(joined, NULL);
	free(joined);
	if (real && !inside_root(s, real)) {
		free(real);
		real = NULL;
	}
	return real;
}

/* A regular file opened read-only, or -1 (a folder, a FIFO, a device, gone). */
static int open_regular(const char *path, struct stat *st)
{
	/* O_NONBLOCK so that a FIFO cannot hang the server inside open() */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0)
		return -1;
	int flags;
	if (fstat(fd, st) || !S_ISREG(st->st_mode) || (flags = fcntl(fd, F_GETFL)) < 0 ||
	    fcntl(fd, F_SETFL, flags & ~O_NONBLOCK)) { /* MHD reads it in blocking mode */
		close(fd);
		return -1;
	}
	return fd;
}

static const struct {
	const char *ext;
	const char *type;
} content_types[] = {
	{"html", "text/html; charset=utf-8"},
	{"htm", "text/html; charset=utf-8"},
	{"css", "text/css; charset=utf-8"},
	{"js", "text/javascript; charset=utf-8"},
	{"json", "application/json"}, /* always UTF-8 (RFC 8259): no charset parameter */
	/*
	 * feed.xml (Atom) and podcast.xml (RSS) too: as application/xml a
	 * browser shows the feed, where atom+xml and rss+xml make it a download.
	 */
	{"xml", "application/xml; charset=utf-8"},
	{"txt", "text/plain; charset=utf-8"},
	{"png", "image/png"},
	{"jpg", "image/jpeg"},
	{"jpeg", "image/jpeg"},
	{"gif", "image/gif"},
	{"webp", "image/webp"},
	{"svg", "image/svg+xml"},
	{"ico", "image/x-icon"},
	{"mp3", "audio/mpeg"},
	{"webmanifest", "application/manifest+json"},
};

static const char *content_type(const char *name)
{
	const char *slash = strrchr(name, '/');
	const char *dot = strrchr(slash ? slash + 1 : name, '.');
	for (size_t i = 0; dot && i < PB_ARRAY_LEN(content_types); i++)
		if (!strcasecmp(dot + 1, content_types[i].ext))
			return content_types[i].type;
	return "application/octet-stream";
}

/* ---- byte ranges ---- */

enum range_verdict { RANGE_NONE, RANGE_OK, RANGE_BAD };

static bool parse_digits(const char **p, uint64_t *v)
{
	const char *s = *p;
	*v = 0;
	for (; *s >= '0' && *s <= '9'; s++) {
		uint64_t d = (uint64_t)(*s - '0');
		/* saturate: a start past any file is unsatisfiable, an end past it is the end */
		*v = *v > (UINT64_MAX - d) / 10 ? UINT64_MAX : *v * 10 + d;
	}
	bool any = s != *p;
	*p = s;
	return any;
}

static void skip_blanks(const char **p)
{
	while (**p == ' ' || **p == '\t')
		(*p)++;
}

/*
 * One "bytes=" range of a file of size bytes, as [*from, *to]. RANGE_NONE
 * (serve the whole file) for no header, another unit or several ranges (no
 * multipart/byteranges here: RFC 9110 lets a server ignore Range); RANGE_BAD
 * (416) for a range that is malformed, reversed or starts past the end, so a
 * player's bad seek shows rather than silently restarting the file.
 */
static enum range_verdict parse_range(const char *h, uint64_t size, uint64_t *from, uint64_t *to)
{
	if (!h)
		return RANGE_NONE;
	skip_blanks(&h);
	if (strncasecmp(h, "bytes=", 6))
		return RANGE_NONE;
	h += 6;
	if (strchr(h, ','))
		return RANGE_NONE;
	skip_blanks(&h);
	uint64_t a, b;
	bool has_a = parse_digits(&h, &a);
	if (*h != '-')
		return RANGE_BAD;
	h++;
	bool has_b = parse_digits(&h, &b);
	skip_blanks(&h);
	if (*h)
		return RANGE_BAD;
	if (!has_a) { /* "-N": the last N bytes */
		if (!has_b || b == 0 || size == 0)
			return RANGE_BAD;
		*from = b >= size ? 0 : size - b;
		*to = size - 1;
		return RANGE_OK;
	}
	if (a >= size || (has_b && b < a))
		return RANGE_BAD;
	*from = a;
	*to = has_b && b < size ? b : size - 1;
	return RANGE_OK;
}

/* ---- responses ---- */

/* Queue r with the headers every answer carries, log the request, and drop our reference. */
static enum MHD_Result send_response(const struct server *s, struct MHD_Connection *conn,
				     const char *method, const char *url, unsigned status,
				     struct MHD_Response *r)
{
	if (!r)
		return MHD_NO; /* out of memory: MHD closes the connection */
	/* A preview must show the page just rebuilt, never a cached one. */
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
	MHD_add_response_header(r, MHD_HTTP_HEADER_X_CONTENT_TYPE_OPTIONS, "nosniff");
	enum MHD_Result ret = MHD_queue_response(conn, status, r);
	MHD_destroy_response(r);
	if (s->log && s->log->level >= PB_LOG_DEBUG) {
		/* the path as it came, bar control bytes, which would reach the user's terminal */
		char *shown = xstrdup(url);
		for (char *p = shown; *p; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				*p = '?';
		pb_debug(s->log, "serve: %s %s -> %u", method, shown, status);
		free(shown);
	}
	return ret;
}

static struct MHD_Response *text_response(const char *text)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(strlen(text), (void *)text,
								 MHD_RESPMEM_PERSISTENT);
	if (r)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "text/plain; charset=utf-8");
	return r;
}

/* A response reading size bytes of fd from offset; fd is the response's from here on. */
static struct MHD_Response *fd_response(int fd, uint64_t size, uint64_t offset, const char *type)
{
	struct MHD_Response *r = MHD_create_response_from_fd_at_offset64(size, fd, offset);
	if (!r) {
		close(fd);
		return NULL;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	return r;
}

static enum MHD_Result not_found(const struct server *s, struct MHD_Connection *conn,
				 const char *method, const char *url)
{
	struct stat st;
	char *page = resolve(s, "404.html");
	int fd = page ? open_regular(page, &st) : -1;
	free(page);
	struct MHD_Response *r = fd >= 0 ? fd_response(fd, (uint64_t)st.st_size, 0, "text/html; charset=utf-8")
				     : text_response("404 not found\n");
	return send_response(s, conn, method, url, MHD_HTTP_NOT_FOUND, r);
}

/*
 * "/zh-TW" -> "/zh-TW/": the folder's index.html links "days/..." relative
 * to itself, which a browser resolves against the folder only with the slash.
 * The Location is rebuilt from the checked path (re-escaped), never copied
 * from the request, so "//host" cannot become a redirect to another site.
 */
static enum MHD_Result redirect_to_folder(const struct server *s, struct MHD_Connection *conn,
					  const char *method, const char *url, const char *rel)
{
	struct buf loc;
	buf_init(&loc, BUF_LIMIT_NONE);
	sb_addc(&loc, '/');
	for (const unsigned char *p = (const unsigned char *)rel; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    strchr("-._~/!$&'()*+,;=:@", *p))
			sb_addc(&loc, (char)*p);
		else
			sb_addf(&loc, "%%%02X", *p);
	}
	if (rel[0])
		sb_addc(&loc, '/');
	struct MHD_Response *r = text_response("301 moved permanently\n");
	if (r)
		MHD_add_response_header(r, MHD_HTTP_HEADER_LOCATION, loc.data);
	buf_release(&loc);
	return send_response(s, conn, method, url, MHD_HTTP_MOVED_PERMANENTLY, r);
}

static enum MHD_Result serve_file(const struct server *s, struct MHD_Connection *conn,
				  const char *method, const char *url, const char *path,
				  const char *name)
{
	struct stat st;
	int fd = open_regular(path, &st);
	if (fd < 0)
		return not_found(s, conn, method, url);
	uint64_t size = (uint64_t)st.st_size, from = 0, to = 0;
	const char *range = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_RANGE);
	/* No validators (ETag, Last-Modified) are sent, so an If-Range never matches: the whole file. */
	if (MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_RANGE))
		range = NULL;
	enum range_verdict rv = parse_range(range, size, &from, &to);
	char content_range[80];
	struct MHD_Response *r;
	if (rv == RANGE_BAD) {
		close(fd);
		snprintf(content_range, sizeof(content_range), "bytes */%llu", (unsigned long long)size);
		r = text_response("416 range not satisfiable\n");
		if (r)
			MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_RANGE, content_range);
		return send_response(s, conn, method, url, MHD_HTTP_RANGE_NOT_SATISFIABLE, r);
	}
	/* From the file descriptor: an hour of MP3 is sent from disk, never read into memory. */
	if (rv == RANGE_OK)
		r = fd_response(fd, to - from + 1, from, content_type(name));
	else
		r = fd_response(fd, size, 0, content_type(name));
	if (r) {
		MHD_add_response_header(r, MHD_HTTP_HEADER_ACCEPT_RANGES, "bytes");
		if (rv == RANGE_OK) {
			snprintf(content_range, sizeof(content_range), "bytes %llu-%llu/%llu",
				 (unsigned long long)from, (unsigned long long)to,
				 (unsigned long long)size);
			MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_RANGE, content_range);
		}
	}
	return send_response(s, conn, method, url,
			     rv == RANGE_OK ? MHD_HTTP_PARTIAL_CONTENT : MHD_HTTP_OK, r);
}

static enum MHD_Result serve_path(const struct server *s, struct MHD_Connection *conn,
				  const char *method, const char *url, const char *rel)
{
	char *real = resolve(s, rel);
	struct stat st;
	if (!real || stat(real, &st)) {
		free(real);
		return not_found(s, conn, method, url);
	}
	enum MHD_Result ret;
	if (S_ISDIR(st.st_mode)) {
		free(real);
		if (url[strlen(url) - 1] != '/')
			return redirect_to_folder(s, conn, method, url, rel);
		char *index = rel[0] ? xasprintf("%s/index.html", rel) : xstrdup("index.html");
		real = resolve(s, index); /* index.html may itself be a symlink out */
		ret = real ? serve_file(s, conn, method, url, real, index)
			   : not_found(s, conn, method, url);
		free(index);
	} else {
		/* The type follows the name asked for, as a symlink's target may be named otherwise. */
		ret = serve_file(s, conn, method, url, real, rel);
	}
	free(real);
	return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version, const char *upload,
				  size_t *upload_size, void **con_cls)
{
	(void)version, (void)upload, (void)upload_size, (void)con_cls;
	const struct server *s = cls;
	/* Answered on the first call, before any body is read: MHD then closes the connection. */
	if (strcmp(method, MHD_HTTP_METHOD_GET) && strcmp(method, MHD_HTTP_METHOD_HEAD)) {
		struct MHD_Response *r = text_response("405 method not allowed: the preview serves GET and HEAD\n");
		if (r)
			MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
		return send_response(s, conn, method, url, MHD_HTTP_METHOD_NOT_ALLOWED, r);
	}
	struct buf rel;
	buf_init(&rel, BUF_LIMIT_NONE);
	enum MHD_Result ret;
	switch (url_to_rel(url, &rel)) {
	case PATH_OK:
		ret = serve_path(s, conn, method, url, rel.data);
		break;
	case PATH_HIDDEN:
		ret = not_found(s, conn, method, url);
		break;
	default:
		ret = send_response(s, conn, method, url, MHD_HTTP_BAD_REQUEST,
				    text_response("400 bad request path\n"));
		break;
	}
	buf_release(&rel);
	return ret;
}

/*
 * MHD would %-decode the path before on_request sees it, turning "%00" into
 * an end of string that silently shortens the path; left as it came,
 * url_to_rel decodes and refuses it. (The query string, also passed through
 * here, is never read.)
 */
static size_t raw_path(void *cls, struct MHD_Connection *conn, char *s)
{
	(void)cls, (void)conn;
	return strlen(s);
}

/* libmicrohttpd's own messages (why a connection or the start failed), at debug level. */
__attribute__((format(printf, 2, 0))) static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	const struct pb_log *log = cls;
	if (!log || !log->sink || log->level < PB_LOG_DEBUG)
		return;
	char line[512];
	vsnprintf(line, sizeof(line), fmt, ap);
	size_t n = strlen(line);
	while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	pb_debug(log, "serve: libmicrohttpd: %s", line);
}

/* ---- the listening socket ---- */

union sockaddr_any {
	struct sockaddr sa;
	struct sockaddr_in in;
	struct sockaddr_in6 in6;
};

/* The loopback address to listen on, and its text as it goes in a URL ("[::1]"). */
static int loopback_address(const char *host, union sockaddr_any *addr, socklen_t *len,
			    char *url_host, size_t url_host_size, struct pb_err *err)
{
	/* "localhost" is not looked up: a hosts file could map it anywhere. */
	if (!host || !host[0] || !strcmp(host, "localhost"))
		host = "127.0.0.1";
	memset(addr, 0, sizeof(*addr));
	if (inet_pton(AF_INET, host, &addr->in.sin_addr) == 1 &&
	    (ntohl(addr->in.sin_addr.s_addr) >> 24) == 127) {
		addr->in.sin_family = AF_INET;
		*len = sizeof(addr->in);
		snprintf(url_host, url_host_size, "%s", host);
		return 0;
	}
	if (inet_pton(AF_INET6, host, &addr->in6.sin6_addr) == 1 &&
	    IN6_IS_ADDR_LOOPBACK(&addr->in6.sin6_addr)) {
		addr->in6.sin6_family = AF_INET6;
		*len = sizeof(addr->in6);
		snprintf(url_host, url_host_size, "[%s]", host);
		return 0;
	}
	pb_err_set(err, PB_ERR_USAGE,
		   "refusing to serve on '%s': the preview listens only on a loopback address", host);
	pb_err_hint(err, "use 127.0.0.1 (the default), localhost or ::1; publish the site folder "
			 "itself to share it");
	return PB_ERR_USAGE;
}

/*
 * The socket is made here, not by MHD, so that a port in use is told apart
 * (EADDRINUSE) from other failures: MHD_start_daemon only says NULL.
 */
static int listen_on(const char *host, unsigned port, char *url_host, size_t url_host_size,
		     int *out, struct pb_err *err)
{
	union sockaddr_any addr;
	socklen_t len;
	if (loopback_address(host, &addr, &len, url_host, url_host_size, err))
		return PB_ERR_USAGE;
	if (port > 65535)
		return pb_err_set(err, PB_ERR_USAGE, "--port %u is not a TCP port (0 to 65535)", port);
	if (addr.sa.sa_family == AF_INET)
		addr.in.sin_port = htons((uint16_t)port);
	else
		addr.in6.sin6_port = htons((uint16_t)port);
	int fd = socket(addr.sa.sa_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return pb_err_set(err, PB_ERR_NET, "cannot open a socket for the preview: %s", strerror(errno));
	int on = 1;
	/* Lets a preview restart at once on the port it just left (TIME_WAIT); a port
	 * another server listens on is still refused. */
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	if (addr.sa.sa_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on));
	if (bind(fd, &addr.sa, len) || listen(fd, LISTEN_BACKLOG)) {
		int e = errno;
		close(fd);
		if (e == EADDRINUSE) {
			pb_err_set(err, PB_ERR_NET, "port %u on %s is already in use", port, url_host);
			pb_err_hint(err, "stop the program using it, or pass --port N with another port "
					 "(--port 0 picks a free one)");
		} else if (e == EACCES) {
			pb_err_set(err, PB_ERR_NET, "not allowed to listen on port %u on %s", port, url_host);
			pb_err_hint(err, "ports below 1024 need privileges: pass --port N with N above 1023");
		} else {
			pb_err_set(err, PB_ERR_NET, "cannot listen on %s port %u: %s", url_host, port,
				   strerror(e));
		}
		return PB_ERR_NET;
	}
	*out = fd;
	return 0;
}

/* ---- public ---- */

int site_serve(const struct serve_options *o, const struct pb_run *run,
	       void (*on_ready)(void *userdata, const char *url), void *userdata,
	       struct pb_err *err)
{
	struct server s = {.log = run ? run->log : NULL};
	struct stat st;
	s.root = o->root ? realpath(o->root, NULL) : NULL;
	if (!s.root || stat(s.root, &st) || !S_ISDIR(st.st_mode)) {
		int e = !o->root ? ENOENT : s.root ? ENOTDIR : errno;
		free(s.root);
		pb_err_set(err, PB_ERR_IO, "no site to serve at '%s': %s", o->root ? o->root : "",
			   strerror(e));
		pb_err_hint(err, "run `paperboy site` first to build it (or pass --site-dir DIR)");
		return PB_ERR_IO;
	}
	s.root_len = strlen(s.root);

	char url_host[INET6_ADDRSTRLEN + 2];
	int fd = -1;
	if (listen_on(o->host, o->port, url_host, sizeof(url_host), &fd, err)) {
		free(s.root);
		return err->status;
	}
	/*
	 * MHD closes the socket it is given when it stops, but whether it does
	 * when it fails to start is not documented; it gets a duplicate, so ours
	 * is closed exactly once either way (a failed start may leak the copy).
	 */
	int mhd_fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	struct MHD_Daemon *d = NULL;
	if (mhd_fd >= 0)
		d = MHD_start_daemon(MHD_USE_AUTO | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG,
				     0, NULL, NULL, on_request, &s,
				     MHD_OPTION_EXTERNAL_LOGGER, mhd_log, (void *)s.log,
				     MHD_OPTION_LISTEN_SOCKET, (MHD_socket)mhd_fd,
				     MHD_OPTION_UNESCAPE_CALLBACK, raw_path, NULL,
				     MHD_OPTION_CONNECTION_TIMEOUT, CONNECTION_TIMEOUT_S,
				     MHD_OPTION_END);
	close(fd);
	const union MHD_DaemonInfo *info = d ? MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT) : NULL;
	if (!info || !info->port) {
		if (d)
			MHD_stop_daemon(d);
		free(s.root);
		pb_err_set(err, PB_ERR_NET, "cannot start the preview server on %s port %u", url_host,
			   o->port);
		pb_err_hint(err, "run with -v for libmicrohttpd's reason");
		return PB_ERR_NET;
	}
	char url[sizeof(url_host) + 32];
	snprintf(url, sizeof(url), "http://%s:%u/", url_host, (unsigned)info->port);
	pb_debug(s.log, "serve: '%s' at %s", s.root, url);
	if (on_ready)
		on_ready(userdata, url);

	/* Requests are answered on MHD's thread; this one only waits for the stop. */
	const volatile sig_atomic_t *stop = run ? run->stop : NULL;
	while (pb_sleep_ms(stop, STOP_POLL_MS) == 0)
		;
	MHD_stop_daemon(d);
	pb_debug(s.log, "serve: stopped");
	free(s.root);
	return 0;
}
