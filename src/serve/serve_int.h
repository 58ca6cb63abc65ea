/*
 * serve_int.h: what the parts of `agentkb serve` share. serve.c runs the
 * builds and the watch loop, http.c answers requests (the one file that
 * includes <microhttpd.h>), route.c maps a URL onto the built site safely
 * and injects the reload script, watch.c watches folders with inotify.
 */
#ifndef AKB_SERVE_INT_H
#define AKB_SERVE_INT_H

#include <pthread.h>
#include <stddef.h>
#include <sys/stat.h>

#include "agentkb/buf.h"
#include "agentkb/diag.h"

/* The path of the events stream the reload script listens to. */
#define AKB_LIVE_EVENTS "/__agentkb/events"

/* What the builds tell the request threads; every field under `lock`. */
struct akb_live {
	pthread_mutex_t lock;
	pthread_cond_t changed; /* broadcast on a build's end and on stop */
	int root_fd;            /* the last good site's folder, or -1 before the first one */
	unsigned long gen;      /* good builds so far */
	unsigned long errgen;   /* failed builds so far */
	struct akb_buf errors;  /* the last failed build's messages, one a line; empty once a build succeeds */
	int stopping;
};

void akb_live_init(struct akb_live *live);
void akb_live_release(struct akb_live *live);
/* A new good site (takes `root_fd`): pages reload. */
void akb_live_publish(struct akb_live *live, int root_fd);
/* A failed build: `errors` (one a line) go to the pages' overlay. */
void akb_live_fail(struct akb_live *live, const char *errors);
/* A dup of the current site's folder, or -1 when there is none yet. */
int akb_live_root(struct akb_live *live);

/* ---- route.c ---- */

enum akb_route {
	AKB_ROUTE_FILE,      /* *fd is open on a regular file */
	AKB_ROUTE_REDIRECT,  /* a folder asked for without its final '/' */
	AKB_ROUTE_FORBIDDEN, /* '..', an encoded '/', NUL or backslash, a symlink */
	AKB_ROUTE_MISSING,
};

/*
 * Opens the file the URL path `raw` (still percent-encoded) names under
 * the folder `root_fd`, never leaving it: no '..' or '.' segment, no
 * encoded '/', '\\' or NUL, no symlink followed. A folder maps to its
 * index.html. `name` gets the file's last segment (for its type).
 */
enum akb_route akb_route_open(int root_fd, const char *raw, int *fd, struct stat *st, struct akb_buf *name);
/* Is that type an HTML page (the reload script goes in)? */
int akb_route_is_html(const char *type);
/* Puts the reload script (for the site of build `gen`) before the last </body> of `html`, or at its end. */
void akb_route_inject(struct akb_buf *html, unsigned long gen);

/* ---- http.c ---- */

struct akb_http;
/*
 * Listens on `bind`:`port` (0: any free port) and serves `live`. Sets
 * *bound to the port in use. Returns NULL when it cannot (reported).
 */
struct akb_http *akb_http_start(struct akb_live *live, const char *bind, int port, int *bound, struct akb_diag *diag);
/* Ends the events streams, stops the daemon and frees it. */
void akb_http_stop(struct akb_http *http);

/* ---- watch.c ---- */

struct akb_watch_dir {
	int wd;
	char *path;   /* owned */
	int tree;     /* a watched tree: every name counts, new folders are added */
	char **names; /* otherwise only these names count (watched files); NULL-terminated, owned */
};

struct akb_watch {
	int fd;
	struct akb_watch_dir *dirs;
	size_t len, cap;
};

/* Returns 0, or -1 (reported). */
int akb_watch_init(struct akb_watch *w, struct akb_diag *diag);
void akb_watch_release(struct akb_watch *w);
/* Watches a folder and every folder below it. */
void akb_watch_tree(struct akb_watch *w, const char *path);
/* Watches one file (through its folder, so a file replaced by a rename is seen). */
void akb_watch_file(struct akb_watch *w, const char *path);
/*
 * Waits up to `timeout_ms` for changes; appends the changed paths, one a
 * line, to `changed`. Returns the number of relevant events, 0 on timeout
 * or interrupt.
 */
int akb_watch_wait(struct akb_watch *w, int timeout_ms, struct akb_buf *changed);

#endif
