/*
 * css: what a value must look like to be written into a style attribute
 * (see css.h): front-matter colours reach the page only through this check.
 */
#include "core/prefix.h"

#include <string.h>

#include "agentkb/css.h"

int akb_css_color_ok(const char *c)
{
	size_t n = strlen(c);
	if (c[0] == '#') {
		if (n != 4 && n != 5 && n != 7 && n != 9)
			return 0;
		for (size_t i = 1; i < n; i++)
			if (!strchr("0123456789abcdefABCDEF", c[i]))
				return 0;
		return 1;
	}
	if (n == 0 || n > 24)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((c[i] >= 'a' && c[i] <= 'z') || (c[i] >= 'A' && c[i] <= 'Z')))
			return 0;
	return 1;
}
