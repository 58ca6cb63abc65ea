/*
 * related: for each agent, the few others a reader looking at it would
 * likely want instead or beside it, computed at build time: the cosine of
 * their TF-IDF vectors over name (twice) and summary words, plus a bonus for
 * each shared department, category and collection. Namesakes (its copies
 * and translations, linked already) are left out.
 */
#ifndef AKB_RELATED_H
#define AKB_RELATED_H

#include <stddef.h>

#include "agentkb/site.h"

#define AKB_RELATED_MAX 6

struct akb_related {
	size_t (*of)[AKB_RELATED_MAX]; /* per agent index: related agent indexes, best first */
	unsigned char *count;           /* per agent index: how many */
};

/* Each kept agent's related agents, scored on `jobs` threads (0: one per core); the same for any number. */
void akb_related_build(const struct akb_site *site, unsigned jobs, struct akb_related *rel);
void akb_related_release(struct akb_related *rel);

#endif
