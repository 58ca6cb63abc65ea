/*
 * buf: the growable byte buffer and the akb_x* allocation wrappers (see
 * buf.h); allocation failure aborts with a message.
 */
#include "core/prefix.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agentkb/buf.h"

char akb_buf_empty[1];

static void S_oom(size_t n)
{
	fprintf(stderr, "agentkb: fatal: out of memory allocating %zu bytes\n", n);
	abort();
}

void *akb_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		S_oom(n);
	return p;
}

void *akb_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		S_oom(n * size);
	return p;
}

void *akb_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		S_oom(n);
	return q;
}

char *akb_xstrndup(const char *s, size_t n)
{
	char *p = akb_xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *akb_xstrdup(const char *s)
{
	return akb_xstrndup(s, strlen(s));
}

size_t akb_xmul(size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size) {
		fprintf(stderr, "agentkb: fatal: size overflow (%zu * %zu)\n", n, size);
		abort();
	}
	return n * size;
}

void akb_buf_init(struct akb_buf *b)
{
	b->ptr = akb_buf_empty;
	b->len = 0;
	b->cap = 0;
}

void akb_buf_release(struct akb_buf *b)
{
	if (b->cap)
		free(b->ptr);
	akb_buf_init(b);
}

void akb_buf_clear(struct akb_buf *b)
{
	b->len = 0;
	if (b->cap)
		b->ptr[0] = '\0';
}

void akb_buf_grow(struct akb_buf *b, size_t extra)
{
	if (extra > SIZE_MAX - b->len - 1) {
		fprintf(stderr, "agentkb: fatal: buffer size overflow\n");
		abort();
	}
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return;
	/* 1.5x growth keeps appends amortized linear (cmark buffer.c). */
	size_t cap = b->cap < 64 ? 64 : b->cap;
	while (cap < need)
		cap = cap > SIZE_MAX / 3 * 2 ? need : cap + cap / 2;
	if (b->cap) {
		b->ptr = akb_xrealloc(b->ptr, cap);
	} else {
		b->ptr = akb_xmalloc(cap);
		b->ptr[0] = '\0';
	}
	b->cap = cap;
}

void akb_buf_put(struct akb_buf *b, const void *data, size_t len)
{
	if (!len)
		return;
	if (len >= b->cap - b->len) /* also when cap is 0: the shared empty string is never written */
		akb_buf_grow(b, len);
	memcpy(b->ptr + b->len, data, len);
	b->len += len;
	b->ptr[b->len] = '\0';
}

void akb_buf_puts(struct akb_buf *b, const char *s)
{
	akb_buf_put(b, s, strlen(s));
}

void akb_buf_vprintf(struct akb_buf *b, const char *fmt, va_list ap)
{
	/* Most texts fit a small stack buffer: formatted once, and the buffer grows as a put would. */
	char small[256];
	va_list cp;
	va_copy(cp, ap);
	int n = vsnprintf(small, sizeof small, fmt, cp);
	va_end(cp);
	if (n <= 0)
		return;
	if ((size_t)n < sizeof small) {
		akb_buf_put(b, small, (size_t)n);
		return;
	}
	akb_buf_grow(b, (size_t)n);
	vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void akb_buf_printf(struct akb_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	akb_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void akb_buf_truncate(struct akb_buf *b, size_t len)
{
	if (len < b->len) {
		b->len = len;
		b->ptr[len] = '\0';
	}
}

void akb_buf_put_html(struct akb_buf *b, const char *s, size_t len)
{
	size_t start = 0;
	for (size_t i = 0; i < len; i++) {
		const char *rep;
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		akb_buf_put(b, s + start, i - start);
		akb_buf_puts(b, rep);
		start = i + 1;
	}
	akb_buf_put(b, s + start, len - start);
}

char *akb_buf_detach(struct akb_buf *b, size_t *len)
{
	char *p;
	if (len)
		*len = b->len;
	if (b->cap) {
		p = b->ptr;
	} else {
		p = akb_xmalloc(1);
		p[0] = '\0';
	}
	akb_buf_init(b);
	return p;
}

int akb_buf_read_stream(struct akb_buf *b, FILE *f)
{
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		akb_buf_put(b, chunk, n);
	return ferror(f) ? -1 : 0;
}

int akb_buf_read_regular(struct akb_buf *b, const char *path, size_t max_bytes)
{
	/* O_NONBLOCK: opening a FIFO with no writer would otherwise wait forever. */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	struct stat st;
	int rc = -1;
	if (fstat(fd, &st) != 0)
		goto out;
	if (!S_ISREG(st.st_mode)) {
		rc = AKB_READ_NOT_REGULAR;
		goto out;
	}
	if ((unsigned long long)st.st_size > max_bytes) {
		rc = AKB_READ_TOO_LARGE;
		goto out;
	}
	akb_buf_grow(b, (size_t)st.st_size + 1);
	for (;;) {
		if (b->len + 1 >= b->cap)
			akb_buf_grow(b, 65536);
		ssize_t n = read(fd, b->ptr + b->len, b->cap - b->len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto out;
		if (n == 0)
			break;
		b->len += (size_t)n;
		if (b->len > max_bytes) { /* grew while being read */
			rc = AKB_READ_TOO_LARGE;
			goto out;
		}
	}
	b->ptr[b->len] = '\0';
	rc = 0;
out:;
	int err = errno;
	close(fd);
	errno = err;
	return rc;
}

int akb_buf_read_file(struct akb_buf *b, const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	int rc = akb_buf_read_stream(b, f);
	int err = errno;
	fclose(f);
	errno = err;
	return rc;
}

void akb_buf_put_varint(struct akb_buf *b, uint64_t v)
{
	if (b->cap < b->len + 11) /* a 64-bit varint takes at most 10 bytes, plus the NUL */
		akb_buf_grow(b, 10);
	unsigned char *p = (unsigned char *)b->ptr + b->len;
	b->len = (size_t)((char *)akb_varint_at(p, v) - b->ptr);
	b->ptr[b->len] = '\0';
}

void akb_buf_put_u64(struct akb_buf *b, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		akb_buf_putc(b, (int)((v >> (8 * i)) & 0xFF));
}

void akb_buf_put_sized(struct akb_buf *b, const char *s, size_t len)
{
	akb_buf_put_varint(b, len);
	akb_buf_put(b, s, len);
}

int akb_read_sized(const char **p, const char *end, const char **s, size_t *len)
{
	uint64_t n;
	if (akb_read_varint(p, end, &n) != 0 || n > (uint64_t)(end - *p))
		return -1;
	*s = *p;
	*len = (size_t)n;
	*p += n;
	return 0;
}

void akb_buf_put_base64(struct akb_buf *b, const void *data, size_t n)
{
	static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *p = data;
	akb_buf_grow(b, akb_xmul((n + 2) / 3, 4));
	char *o = b->ptr + b->len;
	size_t i = 0;
	for (; i + 2 < n; i += 3) {
		unsigned v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8 | p[i + 2];
		*o++ = tab[v >> 18];
		*o++ = tab[(v >> 12) & 63];
		*o++ = tab[(v >> 6) & 63];
		*o++ = tab[v & 63];
	}
	if (i < n) {
		unsigned v = (unsigned)p[i] << 16 | (i + 1 < n ? (unsigned)p[i + 1] << 8 : 0);
		*o++ = tab[v >> 18];
		*o++ = tab[(v >> 12) & 63];
		*o++ = i + 1 < n ? tab[(v >> 6) & 63] : '=';
		*o++ = '=';
	}
	b->len = (size_t)(o - b->ptr);
	b->ptr[b->len] = '\0';
}

const char *akb_memmem(const char *hay, size_t hlen, const char *needle, size_t nlen)
{
	if (!nlen)
		return hay;
	for (const char *p = hay; nlen <= hlen - (size_t)(p - hay);) {
		const char *c = memchr(p, needle[0], hlen - (size_t)(p - hay) - nlen + 1);
		if (!c)
			return NULL;
		if (!memcmp(c, needle, nlen))
			return c;
		p = c + 1;
	}
	return NULL;
}

void *akb_xgrow(void *items, size_t len, size_t *cap, size_t first, size_t size)
{
	if (len < *cap)
		return items;
	*cap = *cap ? akb_xmul(*cap, 2) : first;
	return akb_xrealloc(items, akb_xmul(*cap, size));
}

char *akb_xvformat(const char *fmt, va_list ap)
{
	struct akb_buf b = AKB_BUF_INIT;
	akb_buf_vprintf(&b, fmt, ap);
	return akb_buf_detach(&b, NULL);
}

void akb_free_each(void *const *ptrs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(ptrs[i]);
}
