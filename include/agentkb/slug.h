/*
 * slug: URL path segments derived from display text.
 *
 * A slug is lowercase, keeps letters of every script (CJK included) and
 * digits, and turns every run of anything else into one '-'. It never
 * contains '/', '.', '\\' or control characters, so no name can reach
 * outside its folder ("../x" becomes "x").
 */
#ifndef AKB_SLUG_H
#define AKB_SLUG_H

#include <stddef.h>

struct akb_buf;

/* Appends the slug of s[0..len) to `out`; "" if nothing is left. At most ~80 bytes. */
void akb_slugify(struct akb_buf *out, const char *s, size_t len);

/*
 * Hands out unique slugs: the first "x" stays "x", later ones become "x-2",
 * "x-3" and so on. Lookups are hashed, so 10,000 names cost linear time.
 */
struct akb_slugset;
struct akb_slugset *akb_slugset_new(void);
void akb_slugset_free(struct akb_slugset *set);
/*
 * Reserves a unique slug based on `base` (fallback "item" when empty) and
 * returns it (owned by the set, valid until it is freed). *renamed is set
 * to 1 when a suffix had to be added.
 */
const char *akb_slugset_claim(struct akb_slugset *set, const char *base, int *renamed);
/* Has `slug` been claimed? */
int akb_slugset_has(const struct akb_slugset *set, const char *slug);

#endif
