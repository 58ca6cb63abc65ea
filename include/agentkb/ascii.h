/* ascii: character classes of ASCII, for the formats that are ASCII by definition (hex, URLs). */
#ifndef AKB_ASCII_H
#define AKB_ASCII_H

/* The value of an ASCII hex digit, or -1. */
static inline int akb_hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

#endif
