/*
 * graph: which agents name which (see graph.h): edges from names in the
 * text, skills:, Agent(...) and a skill's agent:, and the graph page's layout.
 */
#include "core/prefix.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "agentkb/buf.h"
#include "agentkb/capability.h"
#include "agentkb/format.h"
#include "agentkb/graph.h"
#include "agentkb/mentions.h"
#include "agentkb/agent.h"
#include "agentkb/strmap.h"
#include "agentkb/threads.h"

/* The word [b, e) of `text`, lowercased, into `out`; 0 when it is not one. */
static void S_lower(const char *b, const char *e, struct akb_buf *out)
{
	akb_buf_clear(out);
	for (; b < e; b++)
		akb_buf_putc(out, *b >= 'A' && *b <= 'Z' ? *b + 32 : *b);
}

static void S_edge(struct akb_graph *g, size_t from, size_t to, int started)
{
	if (from == to)
		return;
	if (g->nedges == g->cap) {
		g->cap = g->cap ? g->cap * 2 : 64;
		g->edges = akb_xrealloc(g->edges, akb_xmul(g->cap, sizeof(*g->edges)));
	}
	g->edges[g->nedges++] = (struct akb_edge){ from, to, started };
}

struct scan {
	const struct akb_strmap *names;
	struct akb_graph *g;
	size_t from;
};

static void S_mention(void *ctx, const char *name, size_t offset, int explicit_mention)
{
	(void)offset;
	(void)explicit_mention;
	struct scan *s = ctx;
	size_t to;
	if (akb_strmap_get(s->names, name, &to))
		S_edge(s->g, s->from, to, 0);
}

static int S_by_ends(const void *x, const void *y)
{
	const struct akb_edge *a = x, *b = y;
	if (a->from != b->from)
		return a->from < b->from ? -1 : 1;
	return a->to < b->to ? -1 : a->to > b->to;
}

/* Lowercased names of the kept agents -> the first of them in site order. */
static void S_name_map(const struct akb_site *site, struct akb_strmap *names)
{
	struct akb_buf key = AKB_BUF_INIT;
	akb_strmap_init(names);
	for (size_t k = 0; k < site->norder; k++) {
		size_t idx = site->order[k], seen;
		const char *n = site->agents[idx].name;
		S_lower(n, n + strlen(n), &key);
		if (!akb_strmap_get(names, key.ptr, &seen))
			akb_strmap_set(names, key.ptr, idx);
	}
	akb_buf_release(&key);
}

/* One agent's edges, found on any thread into a graph of its own (edges only). */
struct graph_pool {
	const struct akb_site *site;
	const struct akb_strmap *names;
	struct akb_graph *each; /* per position in site->order */
};

static void S_edges_of(void *ctx, size_t k)
{
	struct graph_pool *p = ctx;
	struct akb_graph *g = &p->each[k];
	size_t idx = p->site->order[k];
	const struct akb_agent *a = &p->site->agents[idx];
	struct akb_buf lower = AKB_BUF_INIT;
	struct scan s = { p->names, g, idx };
	akb_mentions(a->description, strlen(a->description), S_mention, &s);
	for (size_t i = 0; i < a->nmentions; i++) /* the body's, found by load (agent.h) */
		S_mention(&s, a->mentions[i].name, 0, a->mentions[i].explicit_mention);
	/* Agent(x, y): the sub-agents it may start. */
	struct akb_capabilities caps;
	akb_capabilities_of(a, &caps);
	for (size_t i = 0; i < caps.agents.u.list.len; i++) {
		const char *n = caps.agents.u.list.items[i].u.str.ptr;
		size_t to;
		S_lower(n, n + strlen(n), &lower);
		if (akb_strmap_get(p->names, lower.ptr, &to))
			S_edge(g, idx, to, 1);
	}
	akb_capabilities_release(&caps);
	/* A sub-agent's `skills:` preload those skills; a skill's `agent:` runs it in that sub-agent. */
	struct akb_value refs = AKB_VALUE_NULL;
	akb_value_set_list(&refs);
	const struct akb_value *field = akb_map_get(&a->fm.fields, a->format == AKB_FORMAT_SKILL ? "agent" : "skills");
	if (field && (a->format == AKB_FORMAT_SKILL || a->format == AKB_FORMAT_SUBAGENT))
		akb_tool_list(field, &refs);
	for (size_t i = 0; i < refs.u.list.len; i++) {
		const char *n = refs.u.list.items[i].u.str.ptr;
		size_t to;
		S_lower(n, n + strlen(n), &lower);
		if (akb_strmap_get(p->names, lower.ptr, &to) && to != idx)
			S_edge(g, idx, to, 0);
	}
	akb_value_release(&refs);
	akb_buf_release(&lower);
}

void akb_graph_build(const struct akb_site *site, unsigned jobs, struct akb_graph *g)
{
	memset(g, 0, sizeof(*g));
	struct akb_strmap names;
	S_name_map(site, &names);
	/* The edges are sorted below, so the order they are found in does not matter. */
	struct graph_pool pool = { site, &names, akb_xcalloc(site->norder + 1, sizeof(struct akb_graph)) };
	akb_parallel_for(site->norder, jobs ? jobs : akb_cores(), S_edges_of, &pool);
	for (size_t k = 0; k < site->norder; k++) {
		const struct akb_graph *one = &pool.each[k];
		for (size_t i = 0; i < one->nedges; i++)
			S_edge(g, one->edges[i].from, one->edges[i].to, one->edges[i].started);
		free(one->edges);
	}
	free(pool.each);
	if (g->nedges)
		qsort(g->edges, g->nedges, sizeof(*g->edges), S_by_ends);
	size_t n = 0;
	for (size_t i = 0; i < g->nedges; i++) {
		if (n && g->edges[n - 1].from == g->edges[i].from && g->edges[n - 1].to == g->edges[i].to) {
			g->edges[n - 1].started |= g->edges[i].started;
			continue;
		}
		g->edges[n++] = g->edges[i];
	}
	g->nedges = n;
	akb_strmap_release(&names);
}

static int S_by_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

void akb_graph_layout(const struct akb_site *site, struct akb_graph *g)
{
	size_t N = site->nagents;
	g->x = akb_xcalloc(N + 1, sizeof(double));
	g->y = akb_xcalloc(N + 1, sizeof(double));
	g->placed = akb_xcalloc(N + 1, sizeof(int));
	size_t *nodes = akb_xcalloc(N + 1, sizeof(size_t)), n = 0;
	for (size_t i = 0; i < g->nedges; i++)
		g->placed[g->edges[i].from] = g->placed[g->edges[i].to] = 1;
	/* In site order, so the same files always draw the same picture. */
	for (size_t k = 0; k < site->norder; k++)
		if (g->placed[site->order[k]])
			nodes[n++] = site->order[k];
	if (!n) {
		free(nodes);
		return;
	}
	size_t *slot = akb_xcalloc(N + 1, sizeof(size_t));
	double *x = akb_xcalloc(n, sizeof(double)), *y = akb_xcalloc(n, sizeof(double));
	double *dx = akb_xcalloc(n, sizeof(double)), *dy = akb_xcalloc(n, sizeof(double));
	for (size_t i = 0; i < n; i++) {
		slot[nodes[i]] = i;
		/* A sunflower spiral: spread out, no two nodes on one spot. */
		double r = sqrt((double)i + 0.5) / sqrt((double)n), t = (double)i * 2.399963229728653;
		x[i] = 0.5 + 0.45 * r * cos(t);
		y[i] = 0.5 + 0.45 * r * sin(t);
	}
	/* Fruchterman and Reingold's forces: neighbours pull, every pair pushes, a cooling step. */
	/* A roomier ideal distance than FR's own: many edges otherwise pack the middle tight. */
	double k = 1.8 * sqrt(1.0 / (double)n), temp = 0.1;
	int rounds = (int)fmin(300, fmax(30, 4e7 / ((double)n * (double)n)));
	for (int it = 0; it < rounds; it++) {
		memset(dx, 0, n * sizeof(double));
		memset(dy, 0, n * sizeof(double));
		for (size_t i = 0; i < n; i++)
			for (size_t j = i + 1; j < n; j++) {
				double ex = x[i] - x[j], ey = y[i] - y[j], d2 = ex * ex + ey * ey + 1e-9;
				double f = k * k / d2;
				dx[i] += ex * f;
				dy[i] += ey * f;
				dx[j] -= ex * f;
				dy[j] -= ey * f;
			}
		for (size_t e = 0; e < g->nedges; e++) {
			size_t i = slot[g->edges[e].from], j = slot[g->edges[e].to];
			double ex = x[i] - x[j], ey = y[i] - y[j], d = sqrt(ex * ex + ey * ey) + 1e-9;
			double f = d / k;
			dx[i] -= ex * f;
			dy[i] -= ey * f;
			dx[j] += ex * f;
			dy[j] += ey * f;
		}
		for (size_t i = 0; i < n; i++) {
			/* A weak pull to the middle keeps separate clusters in the picture. */
			dx[i] += (0.5 - x[i]) * 2.0;
			dy[i] += (0.5 - y[i]) * 2.0;
			double d = sqrt(dx[i] * dx[i] + dy[i] * dy[i]) + 1e-12, step = fmin(d, temp);
			x[i] += dx[i] / d * step;
			y[i] += dy[i] / d * step;
		}
		temp *= 0.985;
	}
	/* Fit into 0..1 with a margin, by the 2nd to 98th percentiles: a stray small cluster far out
	 * should not shrink the rest to a dot; it is drawn at the edge. */
	double *sx = akb_xcalloc(n, sizeof(double)), *sy = akb_xcalloc(n, sizeof(double));
	memcpy(sx, x, n * sizeof(double));
	memcpy(sy, y, n * sizeof(double));
	qsort(sx, n, sizeof(double), S_by_double);
	qsort(sy, n, sizeof(double), S_by_double);
	size_t lo = n / 50, hi = n - 1 - n / 50;
	double minx = sx[lo], maxx = sx[hi], miny = sy[lo], maxy = sy[hi];
	double w = fmax(maxx - minx, 1e-9), h = fmax(maxy - miny, 1e-9);
	for (size_t i = 0; i < n; i++) {
		g->x[nodes[i]] = 0.03 + 0.82 * fmin(1, fmax(0, (x[i] - minx) / w)); /* room for labels on the right */
		g->y[nodes[i]] = 0.04 + 0.92 * fmin(1, fmax(0, (y[i] - miny) / h));
	}
	free(sx);
	free(sy);
	free(x);
	free(y);
	free(dx);
	free(dy);
	free(slot);
	free(nodes);
}

void akb_graph_release(struct akb_graph *g)
{
	free(g->edges);
	free(g->x);
	free(g->y);
	free(g->placed);
	memset(g, 0, sizeof(*g));
}

/* The site's collection of an agent, or "" (for the filter). */
static const char *S_collection(const struct akb_agent *a)
{
	const char *v[1] = { NULL };
	return akb_agent_terms(a, "collection", v, 1) ? v[0] : "";
}

void akb_graph_svg(const struct akb_site *site, const struct akb_graph *g, const char *root, struct akb_buf *out)
{
	size_t placed = 0;
	for (size_t i = 0; i < site->nagents; i++)
		placed += g->placed && g->placed[i];
	/* Room for the nodes: the picture grows with their number. */
	double W = fmax(900, 60 * sqrt((double)placed) * 1.6), H = W * 0.7;
	akb_buf_printf(out, "<svg class=\"graph\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" "
			    "aria-label=\"Agents that name other agents\">\n", W, H);
	akb_buf_puts(out, "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"14\" refY=\"5\" markerWidth=\"6\" "
			  "markerHeight=\"6\" orient=\"auto-start-reverse\"><path d=\"M0 0L10 5L0 10z\"/></marker></defs>\n<g class=\"edges\" marker-end=\"url(#arrow)\">\n");
	for (size_t e = 0; e < g->nedges; e++) {
		const struct akb_edge *ed = &g->edges[e];
		akb_buf_printf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"%s data-collection=\"", g->x[ed->from] * W,
			       g->y[ed->from] * H, g->x[ed->to] * W, g->y[ed->to] * H, ed->started ? " class=\"starts\"" : "");
		const char *cf = S_collection(&site->agents[ed->from]), *ct = S_collection(&site->agents[ed->to]);
		akb_buf_put_html(out, cf, strlen(cf));
		if (strcmp(cf, ct)) {
			akb_buf_putc(out, ' ');
			akb_buf_put_html(out, ct, strlen(ct));
		}
		akb_buf_puts(out, "\"/>\n");
	}
	akb_buf_puts(out, "</g>\n<g class=\"nodes\">\n");
	struct akb_buf url = AKB_BUF_INIT;
	for (size_t k = 0; k < site->norder; k++) {
		size_t i = site->order[k];
		if (!g->placed || !g->placed[i])
			continue;
		const struct akb_agent *a = &site->agents[i];
		akb_buf_clear(&url);
		akb_buf_puts(&url, root);
		akb_agent_url(a, &url);
		const char *c = S_collection(a);
		akb_buf_puts(out, "<a href=\"");
		akb_buf_put_html(out, url.ptr, url.len);
		akb_buf_puts(out, "\" data-collection=\"");
		akb_buf_put_html(out, c, strlen(c));
		akb_buf_printf(out, "\"><circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\"/><text x=\"%.1f\" y=\"%.1f\">", g->x[i] * W,
			       g->y[i] * H, g->x[i] * W + 7, g->y[i] * H + 4);
		akb_buf_put_html(out, a->name, strlen(a->name));
		akb_buf_puts(out, "</text><title>");
		akb_buf_put_html(out, a->name, strlen(a->name));
		akb_buf_puts(out, "</title></a>\n");
	}
	akb_buf_release(&url);
	akb_buf_puts(out, "</g>\n</svg>\n");
}
