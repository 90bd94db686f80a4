/*
 * serve.h - the local preview of a built site (`paperboy site --serve`).
 *
 * Serves the files of one site folder over HTTP on a loopback address until
 * the run's stop flag is set, so the site can be browsed (and searched: the
 * search page fetches its index, which a page opened from disk cannot) before
 * it is published. A preview, not a web server: GET and HEAD only, nothing
 * outside the folder, nothing cached, never reachable from another machine.
 *
 * Calling sequence (the CLI):
 *
 *     struct serve_options o = {.root = "out/site", .host = "127.0.0.1", .port = 8080};
 *     if (site_serve(&o, &run, print_url, NULL, &err))   (blocks until SIGINT/SIGTERM)
 *             ... print err.msg and err.hint ...
 *
 * What is served for a request path (percent-decoded):
 *   - a file under root: its bytes, Content-Type by extension, byte ranges
 *     (206/416) so an <audio> player can seek an MP3;
 *   - a folder: its index.html; "/zh-TW" is first redirected (301) to
 *     "/zh-TW/" so the page's relative links resolve inside the folder;
 *   - anything else (missing, outside root through a symlink, a name that
 *     starts with '.', a folder without index.html): 404, with the site's own
 *     404.html as the body when there is one;
 *   - a path with a NUL, a backslash, a ".." segment or a broken %-escape: 400.
 * Every answer carries Cache-Control: no-cache and X-Content-Type-Options:
 * nosniff. Each request is logged at debug level through run->log, from the
 * server's own thread.
 */
#ifndef PB_SERVE_H
#define PB_SERVE_H

#include "core/err.h"
#include "core/run.h"

struct serve_options {
	const char *root; /* the site folder */
	const char *host; /* a loopback address: "127.0.0.1" (NULL or ""), "localhost", "::1" */
	unsigned port;    /* 0: any free port */
};

/*
 * Serve root until the run's stop flag is set (a run without a stop flag
 * serves until the process ends). on_ready(userdata, url) (may be NULL) is
 * called once, when the server listens, with its address, e.g.
 * "http://127.0.0.1:8080/" or "http://[::1]:8080/"; it runs on the caller's
 * thread while requests may already be answered. Returns 0 after a stop, or
 * an error: PB_ERR_IO when root is not a folder (hint: run `paperboy site`
 * first), PB_ERR_USAGE for a host that is not a loopback address or a port
 * above 65535, PB_ERR_NET when the port cannot be had (the message names the
 * port, the hint says to pass --port).
 */
int site_serve(const struct serve_options *o, const struct pb_run *run,
	       void (*on_ready)(void *userdata, const char *url), void *userdata,
	       struct pb_err *err);

#endif
