/* css: checks on values written into CSS (front-matter colours). */
#ifndef AKB_CSS_H
#define AKB_CSS_H

/* Is `color` safe and meaningful as a CSS colour ("#8b5cf6", "blue")? */
int akb_css_color_ok(const char *color);

/*
 * "#rrggbb" (highlight's form), also "#rgb", into channels 0-255; anything
 * else leaves black, as highlight does. Returns 1 for a colour in one of
 * those forms, 0 otherwise.
 */
int akb_css_parse_hex(const char *s, unsigned rgb[3]);

#endif
