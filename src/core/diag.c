/*
 * diag: collects and prints compiler-style diagnostics (see diag.h).
 */
#include "core/prefix.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agentkb/diag.h"

static const char *const S_severity_name[] = { "note", "warning", "error" };

void akb_diag_init(struct akb_diag *d, FILE *sink)
{
	memset(d, 0, sizeof(*d));
	d->sink = sink;
}

void akb_diag_release(struct akb_diag *d)
{
	for (size_t i = 0; i < d->len; i++) {
		free(d->items[i].path);
		free(d->items[i].message);
	}
	free(d->items);
	memset(d, 0, sizeof(*d));
}

void akb_diag_format(const struct akb_diagnostic *dg, struct akb_buf *out)
{
	if (dg->path && *dg->path) {
		akb_buf_puts(out, dg->path);
		if (dg->line) {
			akb_buf_printf(out, ":%u", dg->line);
			if (dg->col)
				akb_buf_printf(out, ":%u", dg->col);
		}
		akb_buf_puts(out, ": ");
	} else {
		akb_buf_puts(out, "agentkb: ");
	}
	akb_buf_printf(out, "%s: %s", S_severity_name[dg->severity], dg->message);
}

int akb_diag_vadd(struct akb_diag *d, enum akb_severity sev, const char *path, unsigned line,
		  unsigned col, const char *fmt, va_list ap)
{
	struct akb_buf msg = AKB_BUF_INIT;
	akb_buf_vprintf(&msg, fmt, ap);
	if (sev == AKB_WARNING && d->strict)
		sev = AKB_ERROR;
	if (d->len == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 16;
		d->items = akb_xrealloc(d->items, akb_xmul(d->cap, sizeof(*d->items)));
	}
	struct akb_diagnostic *dg = &d->items[d->len++];
	dg->severity = sev;
	dg->path = path ? akb_xstrdup(path) : NULL;
	dg->line = line;
	dg->col = col;
	dg->message = akb_buf_detach(&msg, NULL);
	if (sev == AKB_WARNING)
		d->warnings++;
	else if (sev == AKB_ERROR)
		d->errors++;
	if (d->sink) {
		struct akb_buf line_text = AKB_BUF_INIT;
		akb_diag_format(dg, &line_text);
		fprintf(d->sink, "%s\n", line_text.ptr);
		akb_buf_release(&line_text);
	}
	return -1;
}

int akb_diag_add(struct akb_diag *d, enum akb_severity sev, const char *path, unsigned line,
		 unsigned col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	akb_diag_vadd(d, sev, path, line, col, fmt, ap);
	va_end(ap);
	return -1;
}

void akb_diag_append(struct akb_diag *to, const struct akb_diag *from, size_t first)
{
	for (size_t i = first; i < from->len; i++) {
		const struct akb_diagnostic *d = &from->items[i];
		akb_diag_add(to, d->severity, d->path, d->line, d->col, "%s", d->message);
	}
}

void akb_bug(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "agentkb: BUG: %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

void akb_die(const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "agentkb: fatal: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}
