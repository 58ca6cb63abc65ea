/*
 * buf: a growable byte buffer (after git's strbuf).
 *
 * Invariants: `ptr` is never NULL and is always NUL-terminated, so a buffer
 * can be handed to C string functions at any time; `len` excludes the NUL.
 * Growth is 1.5x with overflow-checked sizes; allocation failure aborts
 * (akb_xmalloc), so callers only handle user and I/O errors.
 */
#ifndef AKB_BUF_H
#define AKB_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#if defined(__GNUC__)
#define AKB_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#define AKB_MUST_CHECK __attribute__((warn_unused_result))
#else
#define AKB_PRINTF(fmt, args)
#define AKB_MUST_CHECK
#endif

struct akb_buf {
	char *ptr;  /* never NULL; NUL-terminated */
	size_t len; /* bytes used, excluding the NUL */
	size_t cap; /* bytes allocated; 0 while ptr points at the shared empty string */
};

extern char akb_buf_empty[];
#define AKB_BUF_INIT { akb_buf_empty, 0, 0 }

void akb_buf_init(struct akb_buf *b);
/* Frees the storage and reinitializes the buffer to empty. */
void akb_buf_release(struct akb_buf *b);
/* Empties the buffer but keeps its storage for reuse. */
void akb_buf_clear(struct akb_buf *b);
/* Makes room for at least `extra` more bytes (plus the NUL). */
void akb_buf_grow(struct akb_buf *b, size_t extra);
void akb_buf_put(struct akb_buf *b, const void *data, size_t len);
void akb_buf_puts(struct akb_buf *b, const char *s);
/* Inline: the byte-at-a-time writers (tokenizer, highlighter, escapers) call it most. */
static inline void akb_buf_putc(struct akb_buf *b, int c)
{
	if (b->len + 1 >= b->cap)
		akb_buf_grow(b, 1);
	b->ptr[b->len++] = (char)c;
	b->ptr[b->len] = '\0';
}
void akb_buf_printf(struct akb_buf *b, const char *fmt, ...) AKB_PRINTF(2, 3);
void akb_buf_vprintf(struct akb_buf *b, const char *fmt, va_list ap);
/* Truncates to `len` bytes (len <= b->len). */
void akb_buf_truncate(struct akb_buf *b, size_t len);
/* Appends `v` as a LEB128 varint (7 bits a byte, low first, high bit: more). */
void akb_buf_put_varint(struct akb_buf *b, uint64_t v);
/* Writes `v` as that varint at p (room for 10 bytes); returns the byte after it. */
static inline unsigned char *akb_varint_at(unsigned char *p, uint64_t v)
{
	while (v >= 0x80) {
		*p++ = (unsigned char)((v & 0x7F) | 0x80);
		v >>= 7;
	}
	*p++ = (unsigned char)v;
	return p;
}
/* Appends `v` as 8 bytes, little-endian; akb_get_u64 reads them back from p. */
void akb_buf_put_u64(struct akb_buf *b, uint64_t v);
static inline uint64_t akb_get_u64(const void *p)
{
	const unsigned char *q = p;
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v |= (uint64_t)q[i] << (8 * i);
	return v;
}
/* Appends a varint length, then s[0..len). */
void akb_buf_put_sized(struct akb_buf *b, const char *s, size_t len);
/*
 * Reads what akb_buf_put_varint / akb_buf_put_sized wrote from *p (not past
 * `end`) and moves *p on. Return 0, or -1 when the bytes end first or the
 * number does not fit. Inline: caches and search documents are read a few
 * varints at a time.
 */
static inline int akb_read_varint(const char **p, const char *end, uint64_t *v)
{
	uint64_t n = 0;
	for (unsigned shift = 0; *p < end && shift < 64; shift += 7) {
		unsigned char c = (unsigned char)*(*p)++;
		n |= (uint64_t)(c & 0x7F) << shift;
		if (!(c & 0x80)) {
			*v = n;
			return 0;
		}
	}
	return -1;
}
int akb_read_sized(const char **p, const char *end, const char **s, size_t *len);
/* Appends data[0..n) in base64 (RFC 4648, with padding). */
void akb_buf_put_base64(struct akb_buf *b, const void *data, size_t n);
/* Appends `s` with &, <, >, " and ' escaped for HTML text and attributes. */
void akb_buf_put_html(struct akb_buf *b, const char *s, size_t len);
/*
 * Appends everything `f` yields until end of file. Returns 0, or -1 on a
 * read error (errno says why; what was read stays appended).
 */
int akb_buf_read_stream(struct akb_buf *b, FILE *f);
/* Appends the whole file at `path`. Returns 0, or -1 with errno set. */
int akb_buf_read_file(struct akb_buf *b, const char *path);
/*
 * Appends the file at `path` if it is a regular file of at most `max_bytes`.
 * Never blocks on a FIFO or a device: they are refused without being read.
 * Returns 0; AKB_READ_NOT_REGULAR or AKB_READ_TOO_LARGE; or -1 with errno set.
 */
enum { AKB_READ_NOT_REGULAR = -2, AKB_READ_TOO_LARGE = -3 };
int akb_buf_read_regular(struct akb_buf *b, const char *path, size_t max_bytes);

/*
 * Passes ownership of the storage to the caller ("you now own it"; free()
 * it) and reinitializes the buffer. Never returns NULL. `len` may be NULL.
 */
char *akb_buf_detach(struct akb_buf *b, size_t *len);

/* Allocation helpers that abort with a message on failure. */
void *akb_xmalloc(size_t n);
void *akb_xcalloc(size_t n, size_t size);
void *akb_xrealloc(void *p, size_t n);
char *akb_xstrdup(const char *s);
char *akb_xstrndup(const char *s, size_t n);
/* n * size, aborting on overflow. */
size_t akb_xmul(size_t n, size_t size);
/*
 * Room for one more item in a growable array of `size`-byte items holding
 * `len`: returns the array, reallocated when len == *cap (to `first` items,
 * then twice as many), with *cap updated.
 */
void *akb_xgrow(void *items, size_t len, size_t *cap, size_t first, size_t size) AKB_MUST_CHECK;
/* Frees each of `n` pointers; AKB_FREE_ALL(a->x, a->y, ...) for structs that own many strings. */
void akb_free_each(void *const *ptrs, size_t n);
#define AKB_FREE_ALL(...) \
	akb_free_each((void *const[]){ __VA_ARGS__ }, sizeof((void *const[]){ __VA_ARGS__ }) / sizeof(void *))
/* The formatted text in a new string (the caller frees it). */
char *akb_xvformat(const char *fmt, va_list ap);

/* The first occurrence of needle[0..nlen) in hay[0..hlen), or NULL (memmem is not ISO C). */
const char *akb_memmem(const char *hay, size_t hlen, const char *needle, size_t nlen);

#endif
