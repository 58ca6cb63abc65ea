/*
 * order: comparing by several keys in qsort comparators, one key a line:
 *   int c = akb_order(a->page, b->page);
 *   return c ? c : akb_order(a->line, b->line);
 */
#ifndef AKB_ORDER_H
#define AKB_ORDER_H

#include <stddef.h>

/* -1, 0 or 1 as `a` is below, equal to or above `b`. */
static inline int akb_order(size_t a, size_t b)
{
	return (a > b) - (a < b);
}

#endif
