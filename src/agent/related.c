/*
 * related: the few agents most like each one, by cosine of weighted term
 * vectors (see related.h); deterministic, so builds stay reproducible.
 */
#include "core/prefix.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

#include "agentkb/buf.h"
#include "agentkb/related.h"
#include "agentkb/search.h"
#include "agentkb/strmap.h"
#include "agentkb/threads.h"

/* A term in more documents than this tells two agents apart from nothing (and costs time). */
#define MAX_DF_SHARE 0.08
#define MAX_DF 400
/* An agent's vector keeps its this many weightiest terms. */
#define MAX_TERMS 48
/* Added per shared department, category or collection. */
#define TAXONOMY_BONUS 0.12

struct entry {
	size_t term;
	double w;
};

struct doc {
	struct entry *v;
	size_t n, cap;
};

/* An agent having a term, and where the term is in its vector: scoring needs no search for its weight. */
struct posting {
	uint32_t agent, slot;
};

struct collect {
	struct akb_strmap *ids;
	size_t *df;
	size_t nterms, cap_terms;
	struct doc *d;
	double weight;
};

static void S_add(struct doc *d, size_t term, double w)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->v[i].term == term) {
			d->v[i].w += w;
			return;
		}
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 32;
		d->v = akb_xrealloc(d->v, akb_xmul(d->cap, sizeof(*d->v)));
	}
	d->v[d->n++] = (struct entry){ term, w };
}

static void S_token(void *ctx, const char *tok, size_t len)
{
	struct collect *c = ctx;
	if (len < 3 && !(len >= 2 && (unsigned char)tok[0] >= 0x80)) /* short Latin words say little; CJK bigrams do */
		return;
	size_t id;
	if (!akb_strmap_getn(c->ids, tok, len, &id)) {
		id = c->nterms++;
		if (c->nterms > c->cap_terms) {
			c->cap_terms = c->cap_terms ? c->cap_terms * 2 : 1024;
			c->df = akb_xrealloc(c->df, akb_xmul(c->cap_terms, sizeof(size_t)));
		}
		c->df[id] = 0;
		akb_strmap_setn(c->ids, tok, len, id);
	}
	S_add(c->d, id, c->weight);
}

static int S_by_weight(const void *x, const void *y)
{
	const struct entry *a = x, *b = y;
	return a->w > b->w ? -1 : a->w < b->w;
}

static int S_by_index(const void *x, const void *y)
{
	size_t a = *(const size_t *)x, b = *(const size_t *)y;
	return a < b ? -1 : a > b;
}

/* The groups whose sharing counts: department, category, collection (each agent's first term, or NULL). */
#define NGROUPS 3
static const char *const S_groups[NGROUPS] = { "department", "category", "collection" };

/* Groups as numbers, equal when the names are equal but for ASCII case (0: none). */
static int S_shared(const uint32_t *a, const uint32_t *b)
{
	int n = 0;
	for (int g = 0; g < NGROUPS; g++)
		n += a[g] && a[g] == b[g];
	return n;
}

/* The number of `s` up to ASCII case (as strcasecmp compares), from 1; 0 for NULL. */
static uint32_t S_fold_id(struct akb_strmap *ids, const char *s, struct akb_buf *scratch)
{
	if (!s)
		return 0;
	akb_buf_clear(scratch);
	akb_buf_puts(scratch, s);
	for (size_t i = 0; i < scratch->len; i++)
		if (scratch->ptr[i] >= 'A' && scratch->ptr[i] <= 'Z')
			scratch->ptr[i] = (char)(scratch->ptr[i] - 'A' + 'a');
	size_t id;
	if (!akb_strmap_get(ids, scratch->ptr, &id)) {
		id = ids->len + 1;
		akb_strmap_set(ids, scratch->ptr, id);
	}
	return (uint32_t)id;
}

#define SCORE_BATCH 64

struct score_pool {
	const struct akb_site *site;
	struct akb_related *rel;
	struct doc *docs;
	struct posting **post;
	size_t *plen;
	const uint32_t *groups, *names; /* S_fold_id numbers, per agent in site order */
	size_t K;
};

/* The related agents of SCORE_BATCH agents, with one scratch for the batch (each agent's list is its own: any thread). */
static void S_score_batch(void *ctx, size_t batch)
{
	const struct score_pool *p = ctx;
	const struct akb_site *site = p->site;
	struct akb_related *rel = p->rel;
	const struct doc *docs = p->docs;
	struct posting **post = p->post;
	size_t *plen = p->plen, K = p->K;
	const uint32_t *groups = p->groups, *names = p->names;
	size_t from = batch * SCORE_BATCH, to = from + SCORE_BATCH < K ? from + SCORE_BATCH : K;
	double *score = akb_xcalloc(K, sizeof(double));
	size_t *touched = akb_xcalloc(K, sizeof(size_t));
	for (size_t k = from; k < to; k++) {
		size_t nt = 0;
		for (size_t i = 0; i < docs[k].n; i++) {
			size_t t = docs[k].v[i].term;
			for (size_t j = 0; j < plen[t]; j++) {
				size_t o = post[t][j].agent;
				if (o == k)
					continue;
				if (!score[o])
					touched[nt++] = o;
				score[o] += docs[k].v[i].w * docs[o].v[post[t][j].slot].w;
			}
		}
		/* In site order, so that ties keep it. */
		qsort(touched, nt, sizeof(size_t), S_by_index);
		/* The best few: a partial selection, small as AKB_RELATED_MAX is. */
		size_t *best = rel->of[site->order[k]];
		double bs[AKB_RELATED_MAX];
		unsigned char n = 0;
		for (size_t i = 0; i < nt; i++) {
			size_t o = touched[i];
			double s = score[o];
			score[o] = 0;
			if (names[k] == names[o])
				continue; /* its copies and translations, linked already */
			s += TAXONOMY_BONUS * S_shared(&groups[k * NGROUPS], &groups[o * NGROUPS]);
			if (n == AKB_RELATED_MAX && s <= bs[n - 1])
				continue;
			int at = n < AKB_RELATED_MAX ? n++ : AKB_RELATED_MAX - 1;
			/* Equal scores stay in site order: deterministic. */
			while (at > 0 && bs[at - 1] < s) {
				bs[at] = bs[at - 1];
				best[at] = best[at - 1];
				at--;
			}
			bs[at] = s;
			best[at] = site->order[o];
		}
		rel->count[site->order[k]] = n;
	}
	free(score);
	free(touched);
}

void akb_related_build(const struct akb_site *site, unsigned jobs, struct akb_related *rel)
{
	size_t N = site->nagents, K = site->norder;
	rel->of = akb_xcalloc(N + 1, sizeof(*rel->of));
	rel->count = akb_xcalloc(N + 1, 1);
	if (K < 2 || K > UINT32_MAX) /* postings number agents in 32 bits */
		return;
	struct akb_strmap ids;
	akb_strmap_init(&ids);
	struct doc *docs = akb_xcalloc(K, sizeof(*docs));
	struct collect c = { &ids, NULL, 0, 0, NULL, 0 };
	for (size_t k = 0; k < K; k++) {
		const struct akb_agent *a = &site->agents[site->order[k]];
		c.d = &docs[k];
		c.weight = 2;
		akb_tokenize(a->name, strlen(a->name), S_token, &c);
		c.weight = 1;
		akb_tokenize(a->summary, strlen(a->summary), S_token, &c);
		for (size_t i = 0; i < docs[k].n; i++)
			c.df[docs[k].v[i].term]++;
	}
	/* TF-IDF, the commonest terms out, the rest cut to the weightiest and normalised. */
	size_t max_df = (size_t)fmin(MAX_DF, fmax(2, MAX_DF_SHARE * (double)K));
	struct posting **post = akb_xcalloc(c.nterms + 1, sizeof(*post));
	size_t *plen = akb_xcalloc(c.nterms + 1, sizeof(size_t));
	for (size_t k = 0; k < K; k++) {
		struct doc *d = &docs[k];
		size_t n = 0;
		for (size_t i = 0; i < d->n; i++) {
			size_t df = c.df[d->v[i].term];
			if (df < 2 || df > max_df)
				continue; /* in no other agent, or in too many */
			d->v[n] = d->v[i];
			d->v[n++].w *= log((double)K / (double)df);
		}
		d->n = n;
		if (n > MAX_TERMS) {
			qsort(d->v, n, sizeof(*d->v), S_by_weight);
			d->n = MAX_TERMS;
		}
		double norm = 0;
		for (size_t i = 0; i < d->n; i++)
			norm += d->v[i].w * d->v[i].w;
		norm = sqrt(norm);
		for (size_t i = 0; i < d->n; i++) {
			d->v[i].w /= norm > 0 ? norm : 1;
			size_t t = d->v[i].term;
			post[t] = akb_xrealloc(post[t], akb_xmul(plen[t] + 1, sizeof(**post)));
			post[t][plen[t]++] = (struct posting){ (uint32_t)k, (uint32_t)i };
		}
	}
	/* Each agent's groups and name, looked up and numbered once: pairs compare them often. */
	uint32_t *groups = akb_xcalloc(K * NGROUPS + 1, sizeof(uint32_t)), *names = akb_xcalloc(K + 1, sizeof(uint32_t));
	struct akb_strmap folded;
	struct akb_buf scratch = AKB_BUF_INIT;
	akb_strmap_init(&folded);
	for (size_t k = 0; k < K; k++) {
		const struct akb_agent *a = &site->agents[site->order[k]];
		names[k] = S_fold_id(&folded, a->name, &scratch);
		for (int g = 0; g < NGROUPS; g++) {
			const char *v = NULL;
			akb_agent_terms(a, S_groups[g], &v, 1);
			groups[k * NGROUPS + g] = S_fold_id(&folded, v, &scratch);
		}
	}
	akb_strmap_release(&folded);
	akb_buf_release(&scratch);
	/* Dot products through the postings: only agents sharing a term are ever compared. */
	struct score_pool pool = { site, rel, docs, post, plen, groups, names, K };
	akb_parallel_for((K + SCORE_BATCH - 1) / SCORE_BATCH, jobs ? jobs : akb_cores(), S_score_batch, &pool);
	for (size_t t = 0; t < c.nterms; t++)
		free(post[t]);
	free(post);
	free(plen);
	for (size_t k = 0; k < K; k++)
		free(docs[k].v);
	free(docs);
	free(c.df);
	free(groups);
	free(names);
	akb_strmap_release(&ids);
}

void akb_related_release(struct akb_related *rel)
{
	free(rel->of);
	free(rel->count);
	memset(rel, 0, sizeof(*rel));
}
