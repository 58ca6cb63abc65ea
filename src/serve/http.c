/*
 * http: the HTTP side of `agentkb serve`, on libmicrohttpd (the one file
 * that includes <microhttpd.h>). GET and HEAD only; files from the current
 * site through route.c, HTML pages with the reload script added on the
 * way out, the site's 404.html for what is missing, and the events stream
 * (server-sent events: hello, reload, error) the script listens to. One
 * thread per connection, so an events stream can wait for the next build.
 */
#include "core/prefix.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "agentkb/mime.h"
#include "serve/serve_int.h"

#define S_PING_SECONDS 15

struct akb_http {
	struct MHD_Daemon *daemon;
	struct akb_live *live;
};

/* ---- responses ---- */

/* `type` as mime.h names it; text is always UTF-8 here, and says so. */
static void S_headers(struct MHD_Response *r, const char *type)
{
	struct akb_buf full = AKB_BUF_INIT;
	akb_buf_printf(&full, "%s%s", type, strncmp(type, "text/", 5) ? "" : "; charset=utf-8");
	MHD_add_response_header(r, "Content-Type", full.ptr);
	akb_buf_release(&full);
	MHD_add_response_header(r, "Cache-Control", "no-store");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
}

static enum MHD_Result S_queue(struct MHD_Connection *c, unsigned status, struct MHD_Response *r)
{
	if (!r)
		return MHD_NO;
	enum MHD_Result ok = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ok;
}

/* A short text answer ("forbidden", "not found"). */
static enum MHD_Result S_text(struct MHD_Connection *c, unsigned status, const char *text)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(strlen(text), (void *)(uintptr_t)text,
								 MHD_RESPMEM_PERSISTENT);
	if (r)
		S_headers(r, "text/plain");
	return S_queue(c, status, r);
}

/* A page (takes `html`), with the reload script added. */
static enum MHD_Result S_page(struct MHD_Connection *c, unsigned status, struct akb_buf *html, unsigned long gen)
{
	akb_route_inject(html, gen);
	size_t len;
	char *data = akb_buf_detach(html, &len);
	struct MHD_Response *r = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
	if (!r) {
		free(data);
		return MHD_NO;
	}
	S_headers(r, "text/html");
	return S_queue(c, status, r);
}

/* Reads all of `fd` (and closes it). Returns 0, or -1. */
static int S_slurp(int fd, struct akb_buf *out)
{
	FILE *f = fdopen(fd, "rb");
	if (!f) {
		close(fd);
		return -1;
	}
	int rc = akb_buf_read_stream(out, f);
	fclose(f);
	return rc;
}

/* Sends the open file `fd` as `name`: pages through S_page, the rest as they are. */
static enum MHD_Result S_file(struct MHD_Connection *c, unsigned status, int fd, const struct stat *st,
			      const char *name, unsigned long gen)
{
	const char *type = akb_mime_type(name);
	if (akb_route_is_html(type)) {
		struct akb_buf html = AKB_BUF_INIT;
		if (S_slurp(fd, &html) != 0) {
			akb_buf_release(&html);
			return S_text(c, 500, "unable to read the page\n");
		}
		return S_page(c, status, &html, gen);
	}
	struct MHD_Response *r = MHD_create_response_from_fd64((uint64_t)st->st_size, fd);
	if (!r) {
		close(fd);
		return MHD_NO;
	}
	S_headers(r, type);
	return S_queue(c, status, r);
}

/* The site's 404.html with status 404, or a line of text. */
static enum MHD_Result S_missing(struct MHD_Connection *c, int root, unsigned long gen)
{
	int fd;
	struct stat st;
	struct akb_buf name = AKB_BUF_INIT;
	enum akb_route r = akb_route_open(root, "/404.html", &fd, &st, &name);
	akb_buf_release(&name);
	if (r != AKB_ROUTE_FILE)
		return S_text(c, 404, "not found\n");
	return S_file(c, 404, fd, &st, "404.html", gen);
}

/* `url` + "/", for a folder asked for without its final slash. */
static enum MHD_Result S_redirect(struct MHD_Connection *c, const char *url)
{
	struct akb_buf to = AKB_BUF_INIT;
	akb_buf_printf(&to, "%s/", url);
	struct MHD_Response *r = MHD_create_response_from_buffer(0, (void *)(uintptr_t)"", MHD_RESPMEM_PERSISTENT);
	if (r) {
		S_headers(r, "text/plain");
		MHD_add_response_header(r, "Location", to.ptr);
	}
	akb_buf_release(&to);
	return S_queue(c, 302, r);
}

/* Before the first good build: a page that only carries the overlay. */
static enum MHD_Result S_no_site(struct MHD_Connection *c, unsigned long gen)
{
	struct akb_buf html = AKB_BUF_INIT;
	akb_buf_puts(&html, "<!doctype html><html><head><meta charset=\"utf-8\"><title>agentkb serve</title></head>"
			    "<body><p>agentkb serve: no site yet; the build failed.</p></body></html>\n");
	return S_page(c, 503, &html, gen);
}

/* ---- the events stream ---- */

struct stream {
	struct akb_live *live;
	unsigned long gen, errgen; /* what this page has been told */
	struct akb_buf pending;
	size_t off;
};

/* Appends an event; every line of `data` becomes a data: line. */
static void S_event(struct akb_buf *out, const char *name, const char *data)
{
	akb_buf_printf(out, "event: %s\n", name);
	const char *p = data;
	do {
		size_t n = strcspn(p, "\r\n");
		akb_buf_puts(out, "data: ");
		akb_buf_put(out, p, n);
		akb_buf_putc(out, '\n');
		p += n;
		if (*p == '\r')
			p++;
		if (*p == '\n')
			p++;
	} while (*p);
	akb_buf_putc(out, '\n');
}

/* Under the lock: the next thing to tell the page, waiting for a build up to S_PING_SECONDS. 0 to end. */
static int S_next_event(struct stream *s)
{
	struct akb_live *live = s->live;
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += S_PING_SECONDS;
	for (;;) {
		if (live->stopping)
			return 0;
		char num[32];
		if (live->gen != s->gen) {
			s->gen = live->gen;
			s->errgen = live->errgen;
			snprintf(num, sizeof num, "%lu", s->gen);
			S_event(&s->pending, "reload", num);
			return 1;
		}
		if (live->errgen != s->errgen) {
			s->errgen = live->errgen;
			S_event(&s->pending, "error", live->errors.ptr);
			return 1;
		}
		if (pthread_cond_timedwait(&live->changed, &live->lock, &until) == ETIMEDOUT) {
			akb_buf_puts(&s->pending, ": ping\n\n");
			return 1;
		}
	}
}

static ssize_t S_stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct stream *s = cls;
	if (s->off == s->pending.len) {
		akb_buf_clear(&s->pending);
		s->off = 0;
		pthread_mutex_lock(&s->live->lock);
		int more = S_next_event(s);
		pthread_mutex_unlock(&s->live->lock);
		if (!more)
			return MHD_CONTENT_READER_END_OF_STREAM;
	}
	size_t n = s->pending.len - s->off;
	if (n > max)
		n = max;
	memcpy(buf, s->pending.ptr + s->off, n);
	s->off += n;
	return (ssize_t)n;
}

static void S_stream_free(void *cls)
{
	struct stream *s = cls;
	akb_buf_release(&s->pending);
	free(s);
}

static enum MHD_Result S_events(struct MHD_Connection *c, struct akb_live *live)
{
	struct stream *s = akb_xcalloc(1, sizeof *s);
	s->live = live;
	akb_buf_init(&s->pending);
	pthread_mutex_lock(&live->lock);
	s->gen = live->gen;
	s->errgen = live->errgen;
	akb_buf_puts(&s->pending, "retry: 1000\n");
	char num[32];
	snprintf(num, sizeof num, "%lu", s->gen);
	S_event(&s->pending, "hello", num);
	if (live->errors.len)
		S_event(&s->pending, "error", live->errors.ptr);
	pthread_mutex_unlock(&live->lock);
	struct MHD_Response *r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096, S_stream_read, s,
								   S_stream_free);
	if (!r) {
		S_stream_free(s);
		return MHD_NO;
	}
	S_headers(r, "text/event-stream");
	return S_queue(c, 200, r);
}

/* ---- requests ---- */

static enum MHD_Result S_site(struct MHD_Connection *c, struct akb_live *live, const char *url)
{
	pthread_mutex_lock(&live->lock);
	unsigned long gen = live->gen;
	pthread_mutex_unlock(&live->lock);
	int root = akb_live_root(live);
	if (root < 0)
		return S_no_site(c, gen);
	int fd;
	struct stat st;
	struct akb_buf name = AKB_BUF_INIT;
	enum MHD_Result ok;
	switch (akb_route_open(root, url, &fd, &st, &name)) {
	case AKB_ROUTE_FILE:
		ok = S_file(c, 200, fd, &st, name.ptr, gen);
		break;
	case AKB_ROUTE_REDIRECT:
		ok = S_redirect(c, url);
		break;
	case AKB_ROUTE_FORBIDDEN:
		ok = S_text(c, 403, "forbidden\n");
		break;
	default:
		ok = S_missing(c, root, gen);
		break;
	}
	akb_buf_release(&name);
	close(root);
	return ok;
}

static enum MHD_Result S_answer(void *cls, struct MHD_Connection *c, const char *url, const char *method,
				const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
	struct akb_http *http = cls;
	int head = !strcmp(method, "HEAD");
	if (!head && strcmp(method, "GET")) {
		struct MHD_Response *r = MHD_create_response_from_buffer(19, (void *)(uintptr_t)"method not allowed\n",
									 MHD_RESPMEM_PERSISTENT);
		if (r) {
			S_headers(r, "text/plain");
			MHD_add_response_header(r, "Allow", "GET, HEAD");
		}
		return S_queue(c, 405, r);
	}
	if (!strcmp(url, AKB_LIVE_EVENTS))
		return head ? S_text(c, 200, "") : S_events(c, http->live);
	return S_site(c, http->live, url);
}

/* Keeps the URL as sent: route.c decodes it segment by segment, so "%2f" never becomes a '/'. */
static size_t S_keep_escapes(void *cls, struct MHD_Connection *c, char *s)
{
	return strlen(s);
}

/* The address to listen on; 0, or -1 when `bind` is not an IP address. */
static int S_address(const char *bind, int port, struct sockaddr_storage *sa, int *v6)
{
	memset(sa, 0, sizeof *sa);
	if (!strcmp(bind, "localhost"))
		bind = "127.0.0.1";
	struct sockaddr_in *in4 = (struct sockaddr_in *)(void *)sa;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)(void *)sa;
	*v6 = 0;
	if (inet_pton(AF_INET, bind, &in4->sin_addr) == 1) {
		in4->sin_family = AF_INET;
		in4->sin_port = htons((uint16_t)port);
		return 0;
	}
	if (inet_pton(AF_INET6, bind, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)port);
		*v6 = 1;
		return 0;
	}
	return -1;
}

struct akb_http *akb_http_start(struct akb_live *live, const char *bind, int port, int *bound, struct akb_diag *diag)
{
	struct sockaddr_storage sa;
	int v6;
	if (S_address(bind, port, &sa, &v6) != 0) {
		akb_error(diag, NULL, 0, 0, "--bind '%s' is not an IP address", bind);
		return NULL;
	}
	struct akb_http *http = akb_xcalloc(1, sizeof *http);
	http->live = live;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION | (v6 ? MHD_USE_IPv6 : 0);
	http->daemon = MHD_start_daemon(flags, (uint16_t)port, NULL, NULL, S_answer, http, MHD_OPTION_SOCK_ADDR,
					(struct sockaddr *)&sa, MHD_OPTION_UNESCAPE_CALLBACK, S_keep_escapes, NULL,
					MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60, MHD_OPTION_END);
	if (!http->daemon) {
		akb_error(diag, NULL, 0, 0, "unable to listen on %s port %d: %s", bind, port,
			  errno ? strerror(errno) : "the address is in use or not available");
		free(http);
		return NULL;
	}
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(http->daemon, MHD_DAEMON_INFO_BIND_PORT);
	*bound = info ? info->port : port;
	return http;
}

void akb_http_stop(struct akb_http *http)
{
	if (!http)
		return;
	pthread_mutex_lock(&http->live->lock);
	http->live->stopping = 1;
	pthread_cond_broadcast(&http->live->changed);
	pthread_mutex_unlock(&http->live->lock);
	MHD_stop_daemon(http->daemon);
	free(http);
}
