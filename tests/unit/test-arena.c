/* test-arena.c: the capped bump allocator (struct arena) and the capped growable string (struct buf). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include "util/arena.h"
#include "util/buf.h"
#include "util/err.h"

/* ---- arena ------------------------------------------------------------ */

static void test_alignment(void **state)
{
	struct arena a;
	size_t n;

	(void)state;
	arena_init(&a, 0);
	for (n = 0; n < 200; n++) {
		unsigned char *p = arena_alloc(&a, n);
		assert_non_null(p);
		assert_int_equal((uintptr_t)p % 16, 0);
		memset(p, 0xEE, n);
	}
	/* arena_calloc and the string helpers are aligned too */
	assert_int_equal((uintptr_t)arena_calloc(&a, 3, 7) % 16, 0);
	assert_int_equal((uintptr_t)arena_strdup(&a, "x") % 16, 0);
	arena_release(&a);
}

static void test_zero_size_unique(void **state)
{
	struct arena a;
	void *p, *q;

	(void)state;
	arena_init(&a, 0);
	p = arena_alloc(&a, 0);
	q = arena_alloc(&a, 0);
	assert_non_null(p);
	assert_non_null(q);
	assert_ptr_not_equal(p, q);
	arena_release(&a);
}

static void test_many_small_across_chunks(void **state)
{
	enum { N = 5000, SIZE = 24 };
	struct arena a;
	unsigned char *ptrs[N];
	size_t i, j;

	(void)state;
	arena_init(&a, 0);
	for (i = 0; i < N; i++) {
		ptrs[i] = arena_alloc(&a, SIZE);
		assert_non_null(ptrs[i]);
		memset(ptrs[i], (int)(i & 0xFF), SIZE);
	}
	/* no allocation overlaps another (120 KB spans many 8 KB chunks) */
	for (i = 0; i < N; i++)
		for (j = 0; j < SIZE; j++)
			assert_int_equal(ptrs[i][j], i & 0xFF);
	/* each 24-byte request takes 32 bytes with padding */
	assert_int_equal(a.used, (size_t)N * 32);
	arena_release(&a);
	assert_int_equal(a.used, 0);
	assert_null(a.head);
}

static void test_large_allocation(void **state)
{
	struct arena a;
	unsigned char *small1, *big, *small2;
	size_t i;

	(void)state;
	arena_init(&a, 0);
	small1 = arena_alloc(&a, 10);
	assert_non_null(small1);
	memset(small1, 1, 10);
	big = arena_alloc(&a, 1000000);
	assert_non_null(big);
	memset(big, 2, 1000000);
	small2 = arena_alloc(&a, 10);
	assert_non_null(small2);
	memset(small2, 3, 10);
	for (i = 0; i < 10; i++) {
		assert_int_equal(small1[i], 1);
		assert_int_equal(small2[i], 3);
	}
	for (i = 0; i < 1000000; i += 4099)
		assert_int_equal(big[i], 2);
	assert_int_equal(big[999999], 2);
	assert_int_equal(a.used, 16 + 1000000 + 16);
	arena_release(&a);
}

static void test_cap_refuses(void **state)
{
	struct arena a;
	int ok = 0;

	(void)state;
	arena_init(&a, 1024);
	/* 100 bytes round up to 112: nine fit, the tenth does not */
	while (arena_alloc(&a, 100) != NULL) {
		ok++;
		assert_true(a.used <= a.limit);
	}
	assert_int_equal(ok, 9);
	assert_int_equal(a.used, 9 * 112);
	/* a refusal leaves `used` alone, and what still fits is handed out */
	assert_non_null(arena_alloc(&a, 16));
	assert_int_equal(a.used, 1024);
	assert_null(arena_alloc(&a, 1));
	assert_null(arena_alloc(&a, 0));
	assert_null(arena_strdup(&a, ""));
	assert_null(arena_printf(&a, "%d", 1));
	assert_null(arena_calloc(&a, 1, 1));
	assert_int_equal(a.used, 1024);
	/* more than the whole cap at once */
	arena_release(&a);
	assert_null(arena_alloc(&a, 1025));
	assert_null(arena_alloc(&a, 100000));
	assert_int_equal(a.used, 0);
	assert_non_null(arena_alloc(&a, 1024));
	assert_int_equal(a.used, 1024);
	arena_release(&a);
}

static void test_cap_never_exceeded(void **state)
{
	struct arena a;
	size_t i, n = 1;

	(void)state;
	arena_init(&a, 50000);
	for (i = 0; i < 2000; i++) {
		n = (n * 1103515245u + 12345u) % 3000;
		(void)arena_alloc(&a, n);
		assert_true(a.used <= 50000);
	}
	assert_true(a.used > 40000); /* the cap was actually reached */
	arena_release(&a);
}

static void test_overflow_sizes(void **state)
{
	struct arena a, capped;

	(void)state;
	arena_init(&a, 0);
	arena_init(&capped, 1u << 20);
	assert_null(arena_alloc(&a, SIZE_MAX));
	assert_null(arena_alloc(&a, SIZE_MAX - 15));
	assert_null(arena_alloc(&a, SIZE_MAX - 16));
	assert_null(arena_alloc(&a, SIZE_MAX / 2 + 1));
	assert_null(arena_alloc(&capped, SIZE_MAX));
	assert_null(arena_alloc(&capped, SIZE_MAX / 2 + 1));
	assert_null(arena_strndup(&a, "x", SIZE_MAX));
	assert_int_equal(a.used, 0);
	assert_int_equal(capped.used, 0);
	/* still usable afterwards */
	assert_non_null(arena_alloc(&a, 8));
	arena_release(&a);
	arena_release(&capped);
}

static void test_calloc_overflow(void **state)
{
	struct arena a;

	(void)state;
	arena_init(&a, 0);
	assert_null(arena_calloc(&a, SIZE_MAX, 2));
	assert_null(arena_calloc(&a, 2, SIZE_MAX));
	assert_null(arena_calloc(&a, SIZE_MAX / 4 + 1, 4));
	assert_null(arena_calloc(&a, (size_t)1 << (sizeof(size_t) * 4),
				 (size_t)1 << (sizeof(size_t) * 4)));
	assert_null(arena_calloc(&a, SIZE_MAX, SIZE_MAX));
	assert_int_equal(a.used, 0);
	assert_non_null(arena_calloc(&a, 0, SIZE_MAX));
	assert_non_null(arena_calloc(&a, SIZE_MAX, 0));
	arena_release(&a);
}

static void test_calloc_zero_fills(void **state)
{
	struct arena a;
	unsigned char *p;
	size_t i;

	(void)state;
	/* dirty memory first, so that a reused chunk holds garbage */
	arena_init(&a, 0);
	p = arena_alloc(&a, 6000);
	assert_non_null(p);
	memset(p, 0xAB, 6000);
	p = arena_alloc(&a, 100);
	assert_non_null(p);
	memset(p, 0xCD, 100);
	arena_release(&a);

	p = arena_calloc(&a, 1500, 4);
	assert_non_null(p);
	for (i = 0; i < 6000; i++)
		assert_int_equal(p[i], 0);
	p = arena_calloc(&a, 10, 10);
	for (i = 0; i < 100; i++)
		assert_int_equal(p[i], 0);
	arena_release(&a);
}

static void test_strings(void **state)
{
	struct arena a;
	char *s, *big;
	char src[] = "hello, world";
	char buf20k[20001];

	(void)state;
	arena_init(&a, 0);
	s = arena_strdup(&a, src);
	assert_string_equal(s, "hello, world");
	assert_ptr_not_equal(s, src);
	src[0] = 'J';
	assert_string_equal(s, "hello, world");    /* a copy */
	assert_null(arena_strdup(&a, NULL));
	assert_null(arena_strndup(&a, NULL, 3));

	s = arena_strndup(&a, "hello", 3);
	assert_string_equal(s, "hel");
	s = arena_strndup(&a, "a\0b", 3);           /* copies len bytes */
	assert_memory_equal(s, "a\0b", 4);
	s = arena_strndup(&a, "abc", 0);
	assert_string_equal(s, "");

	s = arena_printf(&a, "%d-%s-%c", 42, "x", 'y');
	assert_string_equal(s, "42-x-y");
	s = arena_printf(&a, "%s", "");
	assert_string_equal(s, "");

	memset(buf20k, 'q', sizeof buf20k - 1);
	buf20k[sizeof buf20k - 1] = '\0';
	big = arena_printf(&a, "<%s>", buf20k);
	assert_non_null(big);
	assert_int_equal(strlen(big), 20002);
	assert_int_equal(big[0], '<');
	assert_int_equal(big[20001], '>');
	assert_int_equal(big[10000], 'q');
	arena_release(&a);
}

static void test_release_then_reuse(void **state)
{
	struct arena a;
	char *s;
	int round;

	(void)state;
	arena_init(&a, 4096);
	for (round = 0; round < 3; round++) {
		assert_int_equal(a.used, 0);
		s = arena_strdup(&a, "reused");
		assert_string_equal(s, "reused");
		assert_non_null(arena_alloc(&a, 3000));
		/* the cap survives a release */
		assert_null(arena_alloc(&a, 2000));
		arena_release(&a);
		assert_null(a.head);
		assert_int_equal(a.limit, 4096);
	}
	arena_release(&a);                           /* twice is harmless */
}

/* ---- buf -------------------------------------------------------------- */

/* buf_detach on a buffer that never had data; the heap is made to hand
 * out non-zero bytes first, so an unterminated result cannot pass by luck
 * (glibc's M_PERTURB; the sanitizer build fills new blocks by itself). */
static char *detach_fresh_dirty(struct buf *b, size_t *len)
{
	void *hold[64];
	char *p;
	size_t i;

	mallopt(M_PERTURB, 0x55);
	for (i = 0; i < 64; i++)          /* drain the per-size caches */
		hold[i] = malloc(256);
	p = buf_detach(b, len);
	for (i = 0; i < 64; i++)
		free(hold[i]);
	mallopt(M_PERTURB, 0);
	return p;
}

static void test_buf_empty(void **state)
{
	struct buf b;
	size_t len = 99;
	char *p;
	unsigned char first;

	(void)state;
	buf_init(&b, 0);
	assert_null(b.data);
	assert_string_equal(buf_str(&b), "");
	p = detach_fresh_dirty(&b, &len);
	assert_non_null(p);
	first = (unsigned char)p[0];
	free(p);
	assert_int_equal(first, '\0');
	assert_int_equal(len, 0);
	/* the same after a release */
	buf_puts(&b, "x");
	buf_release(&b);
	p = detach_fresh_dirty(&b, NULL);
	assert_non_null(p);
	first = (unsigned char)p[0];
	free(p);
	assert_int_equal(first, '\0');
	buf_puts(&b, NULL);
	assert_int_equal(b.len, 0);
	assert_string_equal(buf_str(&b), "");
	buf_release(&b);
}

static void test_buf_append_printf_putc(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 0);
	buf_append(&b, "abc", 3);
	buf_append(&b, "xyz", 0);
	buf_putc(&b, '-');
	buf_puts(&b, "def");
	buf_printf(&b, "[%d|%s|%05.1f]", -7, "s", 2.3);
	assert_int_equal(b.err, 0);
	assert_string_equal(buf_str(&b), "abc-def[-7|s|002.3]");
	assert_int_equal(b.len, strlen("abc-def[-7|s|002.3]"));
	/* binary data, including NUL, is kept and terminated */
	buf_append(&b, "\0z", 2);
	assert_int_equal(b.len, 21);
	assert_memory_equal(b.data + 19, "\0z\0", 3);
	buf_release(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
}

static void test_buf_growth(void **state)
{
	struct buf b;
	size_t i;

	(void)state;
	buf_init(&b, 0);
	for (i = 0; i < 100000; i++)
		buf_putc(&b, (char)('a' + i % 26));
	buf_printf(&b, "%s", "END");
	assert_int_equal(b.err, 0);
	assert_int_equal(b.len, 100003);
	for (i = 0; i < 100000; i += 977)
		assert_int_equal(b.data[i], 'a' + i % 26);
	assert_string_equal(b.data + 100000, "END");
	assert_true(b.cap > b.len);
	buf_release(&b);
}

static void test_buf_cap_sticky(void **state)
{
	struct buf b;
	size_t len = 42;

	(void)state;
	buf_init(&b, 8);
	buf_append(&b, "12345", 5);
	assert_int_equal(b.err, 0);
	buf_append(&b, "6789", 4);               /* 9 > 8 */
	assert_int_equal(b.err, ERR_TOO_LARGE);
	assert_int_equal(b.len, 5);
	assert_string_equal(buf_str(&b), "12345");
	/* sticky: even what would fit is refused now */
	buf_putc(&b, 'x');
	buf_puts(&b, "y");
	buf_append(&b, "", 0);
	buf_printf(&b, "%d", 1);
	assert_int_equal(b.err, ERR_TOO_LARGE);
	assert_int_equal(b.len, 5);
	assert_string_equal(buf_str(&b), "12345");
	assert_null(buf_detach(&b, &len));
	/* detach on failure also frees and resets */
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	buf_release(&b);
}

static void test_buf_cap_exact_and_printf(void **state)
{
	struct buf b;
	char *p;
	size_t len = 0;

	(void)state;
	buf_init(&b, 5);
	buf_printf(&b, "%s", "12345");           /* exactly the cap */
	assert_int_equal(b.err, 0);
	p = buf_detach(&b, &len);
	assert_string_equal(p, "12345");
	assert_int_equal(len, 5);
	free(p);
	assert_null(b.data);
	assert_int_equal(b.len, 0);

	buf_init(&b, 10);
	buf_printf(&b, "%s-%s", "hello", "world");  /* 11 bytes */
	assert_int_equal(b.err, ERR_TOO_LARGE);
	assert_int_equal(b.len, 0);
	assert_string_equal(buf_str(&b), "");
	buf_putc(&b, 'a');
	assert_int_equal(b.len, 0);
	assert_null(buf_detach(&b, NULL));
	buf_release(&b);
}

static void test_buf_detach_hands_over(void **state)
{
	struct buf b;
	char *p, *q;
	size_t len = 0;

	(void)state;
	buf_init(&b, 0);
	buf_puts(&b, "first");
	p = buf_detach(&b, &len);
	assert_string_equal(p, "first");
	assert_int_equal(len, 5);
	assert_null(b.data);
	assert_string_equal(buf_str(&b), "");
	/* the buffer is reusable and independent of the detached string */
	buf_puts(&b, "second");
	q = buf_detach(&b, NULL);
	assert_string_equal(q, "second");
	assert_string_equal(p, "first");
	free(p);
	free(q);
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alignment),
		cmocka_unit_test(test_zero_size_unique),
		cmocka_unit_test(test_many_small_across_chunks),
		cmocka_unit_test(test_large_allocation),
		cmocka_unit_test(test_cap_refuses),
		cmocka_unit_test(test_cap_never_exceeded),
		cmocka_unit_test(test_overflow_sizes),
		cmocka_unit_test(test_calloc_overflow),
		cmocka_unit_test(test_calloc_zero_fills),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_release_then_reuse),
		cmocka_unit_test(test_buf_empty),
		cmocka_unit_test(test_buf_append_printf_putc),
		cmocka_unit_test(test_buf_growth),
		cmocka_unit_test(test_buf_cap_sticky),
		cmocka_unit_test(test_buf_cap_exact_and_printf),
		cmocka_unit_test(test_buf_detach_hands_over),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
