/* arena.h: a bump allocator with a hard cap, freed all at once (one per request). */
#ifndef CXM_ARENA_H
#define CXM_ARENA_H

#include <stddef.h>

struct arena_chunk;

/* Everything allocated from an arena lives until arena_release().
 * Not thread-safe: one arena belongs to one request at a time. */
struct arena {
	struct arena_chunk *head;
	size_t used;       /* bytes handed out, including alignment padding */
	size_t limit;      /* hard cap on `used`; 0 means no cap */
};

/* Prepares an empty arena that will refuse to hand out more than limit
 * bytes in total (0: no cap).  Allocates nothing yet. */
void arena_init(struct arena *a, size_t limit);

/* Frees every chunk; the arena is empty and reusable afterwards. */
void arena_release(struct arena *a);

/* Returns n bytes aligned for any type, or NULL when out of memory, over the
 * cap, or on size overflow.  n == 0 returns a valid unique pointer. */
void *arena_alloc(struct arena *a, size_t n);

/* Like arena_alloc, zero-filled, for count * size with overflow checking. */
void *arena_calloc(struct arena *a, size_t count, size_t size);

/* Copies len bytes of s and adds a NUL; NULL on failure. */
char *arena_strndup(struct arena *a, const char *s, size_t len);

/* Copies the NUL-terminated s; NULL on failure or when s is NULL. */
char *arena_strdup(struct arena *a, const char *s);

/* printf into the arena; NULL on failure. */
char *arena_printf(struct arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
