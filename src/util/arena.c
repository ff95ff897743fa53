/* arena.c: chunked bump allocation with a total cap.
 * Written by hand: no Debian library offers a small capped arena with this
 * lifetime model (talloc/apr pools carry far more than one request needs). */
#include "arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { ARENA_CHUNK_MIN = 8192, ARENA_ALIGN = 16 };

struct arena_chunk {
	struct arena_chunk *next;
	size_t size;      /* usable bytes in data */
	size_t pos;       /* next free offset in data */
	_Alignas(16) unsigned char data[];
};

void arena_init(struct arena *a, size_t limit)
{
	a->head = NULL;
	a->used = 0;
	a->limit = limit;
}

void arena_release(struct arena *a)
{
	struct arena_chunk *c = a->head, *next;

	while (c) {
		next = c->next;
		free(c);
		c = next;
	}
	a->head = NULL;
	a->used = 0;
}

void *arena_alloc(struct arena *a, size_t n)
{
	struct arena_chunk *c = a->head;
	size_t need, size;

	if (n > SIZE_MAX / 2)
		return NULL;
	need = (n + (ARENA_ALIGN - 1)) & ~(size_t)(ARENA_ALIGN - 1);
	if (need == 0)
		need = ARENA_ALIGN;
	if (a->limit && (need > a->limit || a->used > a->limit - need))
		return NULL;
	if (!c || c->size - c->pos < need) {
		size = need > ARENA_CHUNK_MIN ? need : ARENA_CHUNK_MIN;
		if (c && c->size * 2 > size && c->size < (1u << 20))
			size = c->size * 2;
		c = malloc(sizeof *c + size);
		if (!c)
			return NULL;
		c->size = size;
		c->pos = 0;
		c->next = a->head;
		a->head = c;
	}
	c->pos += need;
	a->used += need;
	return c->data + c->pos - need;
}

void *arena_calloc(struct arena *a, size_t count, size_t size)
{
	void *p;

	if (size && count > SIZE_MAX / size)
		return NULL;
	p = arena_alloc(a, count * size);
	if (p)
		memset(p, 0, count * size);
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t len)
{
	char *p;

	if (!s || len == SIZE_MAX)
		return NULL;
	p = arena_alloc(a, len + 1);
	if (!p)
		return NULL;
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap, ap2;
	int n;
	char *p;

	va_start(ap, fmt);
	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		va_end(ap2);
		return NULL;
	}
	p = arena_alloc(a, (size_t)n + 1);
	if (p)
		vsnprintf(p, (size_t)n + 1, fmt, ap2);
	va_end(ap2);
	return p;
}
