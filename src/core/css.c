/*
 * css: what a value must look like to be written into a style attribute
 * (see css.h): front-matter colours reach the page only through this check.
 */
#include "core/prefix.h"

#include <string.h>

#include "agentkb/ascii.h"
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

int akb_css_parse_hex(const char *s, unsigned rgb[3])
{
	rgb[0] = rgb[1] = rgb[2] = 0;
	if (!s || *s != '#')
		return 0;
	s++;
	size_t n = 0;
	while (akb_hex_digit((unsigned char)s[n]) >= 0)
		n++;
	if (n >= 6) {
		for (int i = 0; i < 3; i++)
			rgb[i] = (unsigned)(akb_hex_digit((unsigned char)s[2 * i]) * 16 + akb_hex_digit((unsigned char)s[2 * i + 1]));
		return n == 6 && !s[n];
	} else if (n == 3) {
		for (int i = 0; i < 3; i++)
			rgb[i] = (unsigned)(akb_hex_digit((unsigned char)s[i]) * 17);
		return !s[n];
	}
	return 0;
}
