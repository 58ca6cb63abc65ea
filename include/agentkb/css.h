/* css: checks on values written into CSS (front-matter colours). */
#ifndef AKB_CSS_H
#define AKB_CSS_H

/* Is `color` safe and meaningful as a CSS colour ("#8b5cf6", "blue")? */
int akb_css_color_ok(const char *color);

#endif
