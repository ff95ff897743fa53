/* buf.h: a growable byte string with a size cap and a sticky error. */
#ifndef CXM_BUF_H
#define CXM_BUF_H

#include <stdarg.h>
#include <stddef.h>

/* Invariants: `data` is NULL until the first append, afterwards always
 * NUL-terminated at `len`.  After the first failure (out of memory or over
 * `max`) `err` holds the error and every later append does nothing, so a
 * caller checks once at the end (SQLite's StrAccum idea). */
struct buf {
	char *data;
	size_t len, cap;
	size_t max;        /* cap on len; 0 means no cap */
	int err;           /* 0 or a negative enum err */
};

/* Prepares an empty buffer holding at most max bytes (0: no cap). */
void buf_init(struct buf *b, size_t max);

/* Frees the contents; the buffer is empty and usable again. */
void buf_release(struct buf *b);

/* Appends len bytes of s. */
void buf_append(struct buf *b, const void *s, size_t len);

/* Appends the NUL-terminated s (nothing when s is NULL). */
void buf_puts(struct buf *b, const char *s);

/* Appends one byte. */
void buf_putc(struct buf *b, char c);

/* Appends printf output. */
void buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

/* Hands the malloc'd contents (never NULL on success, "" when empty) to the
 * caller and empties b; returns NULL when b had failed or on OOM.  *len gets
 * the length when len is not NULL. */
char *buf_detach(struct buf *b, size_t *len);

/* The contents as a C string; "" when nothing was appended. */
const char *buf_str(const struct buf *b);

#endif
