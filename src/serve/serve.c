/*
 * serve: `agentkb serve` (see serve.h). Builds the site into a temporary
 * folder, starts the HTTP side (http.c), watches the inputs (watch.c) and,
 * after a change and ~100 ms of quiet, builds again, incrementally, into the
 * same folder (output.h: only the changed files are written, and only once
 * the build succeeded): a good build reloads the pages, a failed one leaves
 * the last good site as it is and sends its errors to the pages' overlay.
 * SIGINT or SIGTERM stops it; the temporary folder is always removed.
 */
#include "core/prefix.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agentkb/output.h"
#include "agentkb/serve.h"
#include "agentkb/theme.h"
#include "serve/serve_int.h"

#define S_QUIET_MS 100 /* a change counts once the inputs have been quiet this long */

/* ---- what the request threads see ---- */

void akb_live_init(struct akb_live *live)
{
	memset(live, 0, sizeof *live);
	pthread_mutex_init(&live->lock, NULL);
	pthread_cond_init(&live->changed, NULL);
	akb_buf_init(&live->errors);
	live->root_fd = -1;
}

void akb_live_release(struct akb_live *live)
{
	if (live->root_fd >= 0)
		close(live->root_fd);
	akb_buf_release(&live->errors);
	pthread_cond_destroy(&live->changed);
	pthread_mutex_destroy(&live->lock);
}

void akb_live_publish(struct akb_live *live, int root_fd)
{
	pthread_mutex_lock(&live->lock);
	if (live->root_fd >= 0)
		close(live->root_fd);
	live->root_fd = root_fd;
	live->gen++;
	akb_buf_clear(&live->errors);
	pthread_cond_broadcast(&live->changed);
	pthread_mutex_unlock(&live->lock);
}

void akb_live_fail(struct akb_live *live, const char *errors)
{
	pthread_mutex_lock(&live->lock);
	akb_buf_clear(&live->errors);
	akb_buf_puts(&live->errors, errors);
	live->errgen++;
	pthread_cond_broadcast(&live->changed);
	pthread_mutex_unlock(&live->lock);
}

int akb_live_root(struct akb_live *live)
{
	pthread_mutex_lock(&live->lock);
	int fd = live->root_fd >= 0 ? dup(live->root_fd) : -1;
	pthread_mutex_unlock(&live->lock);
	return fd;
}

/* ---- one session ---- */

struct session {
	const struct akb_serve_options *so;
	struct akb_config cfg;  /* the last valid config */
	int have_cfg;
	struct akb_buf work;    /* the temporary folder: the site is its "site" */
	struct akb_live live;
	struct akb_watch watch;
};

static void S_site_path(const struct session *s, struct akb_buf *out)
{
	akb_buf_clear(out);
	akb_buf_printf(out, "%s/site", s->work.ptr);
}

/* The inputs of the site: CONTENT, the theme folder (not the built-in one), the hooks, the config. */
static void S_watch_inputs(struct session *s)
{
	akb_watch_tree(&s->watch, s->cfg.content);
	struct akb_diag quiet;
	akb_diag_init(&quiet, NULL);
	struct akb_theme theme;
	memset(&theme, 0, sizeof theme);
	if (akb_theme_find(&theme, &s->cfg, s->so->build->argv0, &quiet) == 0 && theme.dir)
		akb_watch_tree(&s->watch, theme.dir);
	akb_theme_release(&theme);
	akb_diag_release(&quiet);
	for (char **h = s->cfg.hooks; h && *h; h++)
		akb_watch_file(&s->watch, *h);
	if (s->cfg.path)
		akb_watch_file(&s->watch, s->cfg.path);
}

/* The errors of a failed build, one a line, as the terminal showed them. */
static void S_errors(const struct akb_diag *diag, struct akb_buf *out)
{
	struct akb_buf line = AKB_BUF_INIT;
	for (size_t i = 0; i < diag->len; i++) {
		if (diag->items[i].severity != AKB_ERROR) /* with --strict, warnings were recorded as errors */
			continue;
		akb_buf_clear(&line);
		akb_diag_format(&diag->items[i], &line);
		akb_buf_put(out, line.ptr, line.len);
		akb_buf_putc(out, '\n');
	}
	if (!out->len)
		akb_buf_puts(out, "agentkb: the build failed\n");
	akb_buf_release(&line);
}

/* Reads the config again; keeps the last valid one when it is now invalid. Returns 0, or -1. */
static int S_config(struct session *s, struct akb_diag *diag)
{
	struct akb_config cfg;
	akb_config_init(&cfg);
	if (s->so->config(s->so->config_ctx, &cfg, diag) != 0) {
		akb_config_release(&cfg);
		return -1;
	}
	if (s->have_cfg)
		akb_config_release(&s->cfg);
	s->cfg = cfg;
	s->have_cfg = 1;
	return 0;
}

/*
 * A good build: served from now on. The folder is opened again each time:
 * an incremental build updates it in place, but a full one (the first, or
 * after a cache that could not be trusted) replaces it.
 */
static void S_publish(struct session *s, const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		akb_live_fail(&s->live, "agentkb: unable to open the built site");
		return;
	}
	akb_live_publish(&s->live, fd);
}

/*
 * Builds the site again. `changed` lists the paths that changed, one a
 * line ("" for the first build); the build finds what to write by itself.
 */
static int S_build(struct session *s, const char *changed)
{
	struct akb_diag diag;
	akb_diag_init(&diag, stderr);
	int rc = S_config(s, &diag);
	struct akb_buf dir = AKB_BUF_INIT;
	if (rc == 0) {
		S_watch_inputs(s);
		diag.strict = s->cfg.strict;
		S_site_path(s, &dir);
		struct akb_config c = s->cfg; /* shallow: only `output` and `csp` differ, and this copy is never released */
		c.output = dir.ptr;
		c.csp = (char *)""; /* the policy would stop the reload script served pages get */
		struct akb_build_options o = *s->so->build;
		struct akb_build_result res;
		rc = akb_build(&c, &o, &res, &diag);
		if (rc == 0) {
			S_publish(s, dir.ptr);
			fprintf(stderr, "serve: %zu of %zu files written%s\n", res.written_files, res.output_files,
				res.incremental ? " (incremental)" : "");
		} else if (res.changed_inputs) {
			/* Saved while it was being built: not an error of the site. Its change is queued in the watch,
			 * so the loop builds again at once; the pages keep the last good site and see no error. */
			fprintf(stderr, "serve: files changed during the build; building again\n");
			akb_buf_release(&dir);
			akb_diag_release(&diag);
			return rc;
		}
	}
	if (rc != 0 && !akb_output_interrupted()) {
		struct akb_buf errors = AKB_BUF_INIT;
		S_errors(&diag, &errors);
		akb_live_fail(&s->live, errors.ptr);
		fprintf(stderr, "serve: the build failed; still serving the last good site\n");
		akb_buf_release(&errors);
	}
	akb_buf_release(&dir);
	akb_diag_release(&diag);
	return rc;
}

/*
 * Starts the HTTP threads with the interrupt signals blocked, so they reach
 * this thread only. A browser that goes away mid-answer must not kill the
 * server: SIGPIPE is ignored.
 */
static struct akb_http *S_start_http(struct session *s, int *port, struct akb_diag *diag)
{
	signal(SIGPIPE, SIG_IGN);
	sigset_t block, old;
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	struct akb_http *http = akb_http_start(&s->live, s->so->bind, s->so->port, port, diag);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return http;
}

/* Waits for changes until interrupted; rebuilds after each burst of them. */
static void S_loop(struct session *s)
{
	struct akb_buf changed = AKB_BUF_INIT;
	while (!akb_output_interrupted()) {
		if (akb_watch_wait(&s->watch, 250, &changed) == 0)
			continue;
		while (!akb_output_interrupted() && akb_watch_wait(&s->watch, S_QUIET_MS, &changed) > 0)
			;
		if (akb_output_interrupted())
			break;
		S_build(s, changed.ptr);
		akb_buf_clear(&changed);
	}
	akb_buf_release(&changed);
}

int akb_serve(const struct akb_serve_options *so, struct akb_diag *diag)
{
	struct session s;
	memset(&s, 0, sizeof s);
	s.so = so;
	akb_buf_init(&s.work);
	akb_live_init(&s.live);
	s.watch.fd = -1;
	int rc = -1, port = 0;
	struct akb_http *http = NULL;
	if (S_config(&s, diag) != 0) {
		fprintf(stderr, "serve failed: invalid config\n");
		goto done;
	}
	if (akb_watch_init(&s.watch, diag) != 0 || akb_temp_dir("serve", &s.work, diag) != 0)
		goto done;
	if (!(http = S_start_http(&s, &port, diag)))
		goto done;
	S_build(&s, "");
	const char *host = so->bind;
	int v6 = strchr(host, ':') != NULL;
	fprintf(stderr, "serving %s at http://%s%s%s:%d/\n", s.cfg.content, v6 ? "[" : "", host, v6 ? "]" : "", port);
	fflush(stderr);
	S_loop(&s);
	fprintf(stderr, "serve: stopped\n");
	rc = 0;
done:
	akb_http_stop(http);
	akb_watch_release(&s.watch);
	if (s.work.len)
		akb_remove_tree(s.work.ptr);
	akb_buf_release(&s.work);
	akb_live_release(&s.live);
	if (s.have_cfg)
		akb_config_release(&s.cfg);
	return rc;
}
