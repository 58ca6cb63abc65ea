/*
 * graph: which agents name which. An agent's description or body names
 * another when it holds its name as a word ("hand the schema to
 * database-optimizer"; names with a hyphen only, as single words are too
 * common to tell), or explicitly: "the X agent", "@agent-X", or
 * `Agent(X)` / `Task(X)` in its tools, a sub-agent's `skills:`, a skill's
 * `agent:`. Edges give each agent page its
 * "works with" and "used by" lists and the site its graph page, laid out
 * here, at build time, as SVG (no library in the page, works from file://).
 * Explicit names that resolve to no agent are `agentkb check` findings.
 */
#ifndef AKB_GRAPH_H
#define AKB_GRAPH_H

#include <stddef.h>

#include "agentkb/buf.h"
#include "agentkb/site.h"

struct akb_edge {
	size_t from, to; /* indexes in site->agents */
	int started;     /* from's tools name `to` in Agent(...) */
};

struct akb_graph {
	struct akb_edge *edges; /* sorted by from, then to; unique */
	size_t nedges, cap;
	double *x, *y;          /* layout per agent index (of the agents with edges), in 0..1 */
	int *placed;            /* 1 for agents in the layout */
};

/* Finds the edges between the kept agents of `site`, on `jobs` threads (0: one per core). */
void akb_graph_build(const struct akb_site *site, unsigned jobs, struct akb_graph *g);
/* Lays the connected agents out (force-directed, deterministic). */
void akb_graph_layout(const struct akb_site *site, struct akb_graph *g);
void akb_graph_release(struct akb_graph *g);

/*
 * The graph page's SVG: each placed agent a linked node (href relative to
 * the site root, prefixed with `root`), each edge a line; `data-collection`
 * on nodes and edges lets the page filter them.
 */
void akb_graph_svg(const struct akb_site *site, const struct akb_graph *g, const char *root, struct akb_buf *out);

#endif
