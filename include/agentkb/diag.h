/*
 * diag: diagnostics about user input, in compiler style
 * ("path:line:col: warning: message").
 *
 * Diagnostics are collected, not fatal: every stage reports what it found and
 * goes on, so one run shows every problem (SQLite's nErr). Each diagnostic is
 * printed to the sink as it arrives and kept, so the build report can list
 * them per input file. With `strict` set, warnings count as errors.
 */
#ifndef AKB_DIAG_H
#define AKB_DIAG_H

#include <stddef.h>
#include <stdio.h>

#include "agentkb/buf.h"

enum akb_severity {
	AKB_NOTE = 0,
	AKB_WARNING,
	AKB_ERROR,
};

struct akb_diagnostic {
	enum akb_severity severity;
	char *path;       /* owned; as given on the command line, relative where possible */
	unsigned line;    /* 1-based; 0 when unknown */
	unsigned col;     /* 1-based; 0 when unknown */
	char *message;    /* owned; lowercase, no trailing full stop */
};

struct akb_diag {
	struct akb_diagnostic *items;
	size_t len, cap;
	size_t warnings, errors; /* after `strict` promotion */
	int strict;              /* promote warnings to errors */
	FILE *sink;              /* where messages are printed as they arrive; NULL for silence */
};

void akb_diag_init(struct akb_diag *d, FILE *sink);
void akb_diag_release(struct akb_diag *d);

/* Records and prints one diagnostic. Returns -1 so callers can `return akb_error(...)`. */
int akb_diag_add(struct akb_diag *d, enum akb_severity sev, const char *path, unsigned line,
		 unsigned col, const char *fmt, ...) AKB_PRINTF(6, 7);
int akb_diag_vadd(struct akb_diag *d, enum akb_severity sev, const char *path, unsigned line,
		  unsigned col, const char *fmt, va_list ap);

/* Adds `from`'s diagnostics from the `first` on to `to` (replayed: printed and counted as `to` does). */
void akb_diag_append(struct akb_diag *to, const struct akb_diag *from, size_t first);

#define akb_warn(d, path, line, col, ...) akb_diag_add((d), AKB_WARNING, (path), (line), (col), __VA_ARGS__)
#define akb_error(d, path, line, col, ...) akb_diag_add((d), AKB_ERROR, (path), (line), (col), __VA_ARGS__)

/* Formats one diagnostic as the sink shows it ("path:line:col: warning: msg"). */
void akb_diag_format(const struct akb_diagnostic *dg, struct akb_buf *out);

/* Programmer error: prints file:line and aborts (git BUG()). */
#define AKB_BUG(...) akb_bug(__FILE__, __LINE__, __VA_ARGS__)
void akb_bug(const char *file, int line, const char *fmt, ...) AKB_PRINTF(3, 4);
/* Fatal error unrelated to one input (out of disk, bad usage): prints "agentkb: fatal: ..." and exits 1. */
void akb_die(const char *fmt, ...) AKB_PRINTF(1, 2);

#endif
