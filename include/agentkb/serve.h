/*
 * serve: `agentkb serve`, a live preview. The site is built into a
 * temporary folder and served over HTTP on a loopback address; the content,
 * the theme folder, the hook files and the config file are watched, and a
 * change rebuilds the site and tells open pages to reload (server-sent
 * events). A failed build keeps the last good site served and shows its
 * errors over the page. Nothing outside the built site is ever served.
 */
#ifndef AKB_SERVE_H
#define AKB_SERVE_H

#include "agentkb/build.h"
#include "agentkb/config.h"
#include "agentkb/diag.h"

/*
 * Fills `cfg` (initialized by the caller) as `agentkb build` would from its
 * command line: the config file read again, then the flags. Returns 0, or
 * non-zero when the config is invalid (reported to `diag`).
 */
typedef int (*akb_serve_config_fn)(void *ctx, struct akb_config *cfg, struct akb_diag *diag);

struct akb_serve_options {
	const char *bind;       /* address to listen on: "127.0.0.1" unless given */
	int port;               /* 0: any free port */
	const struct akb_build_options *build; /* argv0, report, stats (the summary line is kept) */
	akb_serve_config_fn config; /* called before every build, so config edits apply */
	void *config_ctx;
};

#define AKB_SERVE_DEFAULT_PORT 8000

/*
 * Serves until SIGINT or SIGTERM, then removes the temporary folder.
 * Returns 0 after an interrupt, or -1 when it could not start (the config
 * is invalid, the address cannot be bound; reported).
 */
int akb_serve(const struct akb_serve_options *so, struct akb_diag *diag);

#endif
