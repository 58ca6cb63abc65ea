/*
 * slug: URL path segments from display text (see slug.h).
 */
#include "core/prefix.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "agentkb/buf.h"
#include "agentkb/slug.h"
#include "agentkb/strmap.h"
#include "agentkb/utf8.h"

/* Long enough for any real title, short enough for every file system's name limit. */
#define SLUG_MAX_BYTES 80

void akb_slugify(struct akb_buf *out, const char *s, size_t len)
{
	size_t start = out->len, i = 0;
	int pending_dash = 0;
	while (i < len) {
		uint32_t cp = akb_utf8_lower(akb_utf8_next(s, len, &i));
		if (akb_utf8_is_word(cp)) {
			size_t before = out->len;
			if (pending_dash && out->len > start)
				akb_buf_putc(out, '-');
			pending_dash = 0;
			akb_utf8_put(out, cp);
			if (out->len - start > SLUG_MAX_BYTES) {
				akb_buf_truncate(out, before);
				break;
			}
		} else if (cp == 0x200D || (cp >= 0xFE00 && cp <= 0xFE0F)) {
			/* Joiners and variation selectors belong to the emoji beside them. */
		} else if (cp == '\'' || cp == 0x2019) {
			/* "don't" -> "dont", as readers expect. */
		} else {
			pending_dash = 1;
		}
	}
	while (out->len > start && out->ptr[out->len - 1] == '-')
		akb_buf_truncate(out, out->len - 1);
}

/*
 * The set is a string map whose keys are the claimed slugs. A key's value is
 * the next suffix worth trying when that key is asked for again, so n equal
 * names cost n claims, not n^2 probes (10,000 "# h" headings once took 5 s).
 */
struct akb_slugset {
	struct akb_strmap map;
};

struct akb_slugset *akb_slugset_new(void)
{
	struct akb_slugset *set = akb_xcalloc(1, sizeof(*set));
	akb_strmap_init(&set->map);
	return set;
}

void akb_slugset_free(struct akb_slugset *set)
{
	if (!set)
		return;
	akb_strmap_release(&set->map);
	free(set);
}

int akb_slugset_has(const struct akb_slugset *set, const char *slug)
{
	return akb_strmap_get(&set->map, slug, NULL);
}

const char *akb_slugset_claim(struct akb_slugset *set, const char *base, int *renamed)
{
	if (!*base)
		base = "item";
	size_t next;
	*renamed = 0;
	if (!akb_strmap_get(&set->map, base, &next))
		return akb_strmap_set(&set->map, base, 2);
	/* Taken: try base-N from where the last rename of this base stopped. A
	 * candidate may be taken by a name that really was "x-2", hence the loop. */
	struct akb_buf b = AKB_BUF_INIT;
	size_t base_len = strlen(base);
	akb_buf_put(&b, base, base_len);
	for (;; next++) {
		akb_buf_truncate(&b, base_len);
		akb_buf_printf(&b, "-%zu", next);
		if (!akb_slugset_has(set, b.ptr))
			break;
	}
	*renamed = 1;
	akb_strmap_set(&set->map, base, next + 1);
	const char *slug = akb_strmap_set(&set->map, b.ptr, 2);
	akb_buf_release(&b);
	return slug;
}
