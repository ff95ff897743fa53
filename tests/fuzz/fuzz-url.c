/* fuzz-url.c: url_decode in both '+' modes under an arena cap, url_encode then decode must give the decoded string back, and url_is_safe_href's verdict must fit its rules. */
#include "util/arena.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/url.h"
#include "util/utf8.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define CHECK(cond) do { if (!(cond)) __builtin_trap(); } while (0)

/* The arena cap: just room for one decode of len bytes (url_decode takes
 * len + 1, rounded up to the arena's 16-byte alignment). */
static size_t cap_for(size_t len)
{
	return len + 16;
}

static bool is_unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
	       c == '~';
}

static void check_roundtrip(const char *decoded)
{
	struct arena a;
	struct buf b;
	size_t i, n = strlen(decoded);
	char *back = NULL;
	int mode, rc;

	buf_init(&b, 0);
	url_encode(&b, decoded);
	CHECK(b.err == 0);
	/* Only unreserved bytes and %XX (uppercase hex) come out. */
	for (i = 0; i < b.len; i++) {
		unsigned char c = (unsigned char)b.data[i];
		if (c == '%') {
			CHECK(i + 2 < b.len);
			CHECK(strchr("0123456789ABCDEF", b.data[i + 1]) &&
			      b.data[i + 1]);
			CHECK(strchr("0123456789ABCDEF", b.data[i + 2]) &&
			      b.data[i + 2]);
			i += 2;
		} else {
			CHECK(is_unreserved(c));
		}
	}
	CHECK(b.len >= n && b.len <= 3 * n);
	for (mode = 0; mode < 2; mode++) {
		arena_init(&a, cap_for(b.len));
		rc = url_decode(&a, buf_str(&b), b.len, mode, &back);
		CHECK(rc == 0 && back != NULL);
		if (strcmp(back, decoded) != 0)
			__builtin_trap();
		arena_release(&a);
	}
	buf_release(&b);
}

static int hexdigit(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (unsigned char)(c | 0x20);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* A plain reference decoder: the decoded bytes into out (len + 1 bytes),
 * or -1 when url_decode must refuse the input as malformed. */
static long ref_decode(const char *s, size_t len, bool plus, char *out)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '%') {
			int hi, lo;
			if (i + 2 >= len)
				return -1;
			hi = hexdigit((unsigned char)s[i + 1]);
			lo = hexdigit((unsigned char)s[i + 2]);
			if (hi < 0 || lo < 0 || (hi | lo) == 0)
				return -1;
			out[n++] = (char)(hi * 16 + lo);
			i += 2;
		} else if (c == '\0') {
			return -1;
		} else {
			out[n++] = (char)(plus && c == '+' ? ' ' : c);
		}
	}
	out[n] = '\0';
	return utf8_valid(out, n) ? (long)n : -1;
}

static void check_decode(const char *s, size_t len, bool plus)
{
	struct arena a;
	char *out = (char *)1, *ref = malloc(len + 1);
	size_t n;
	long refn;
	int rc;

	if (!ref)
		return;
	refn = ref_decode(s, len, plus, ref);
	arena_init(&a, cap_for(len));
	rc = url_decode(&a, s, len, plus, &out);
	CHECK((rc == 0) == (refn >= 0));
	if (rc == 0) {
		CHECK(out != NULL);
		n = strlen(out);
		CHECK(n == (size_t)refn && memcmp(out, ref, n) == 0);
		/* Never longer than the input; no NUL inside; valid UTF-8. */
		CHECK(n <= len);
		CHECK(utf8_valid(out, n));
		check_roundtrip(out);
	} else {
		CHECK(rc == ERR_MALFORMED);
		CHECK(out == NULL);
	}
	arena_release(&a);

	/* A cap too small for the output: ERR_NOMEM, never an overrun. */
	if (len >= 32) {
		arena_init(&a, len / 2);
		out = (char *)1;
		rc = url_decode(&a, s, len, plus, &out);
		CHECK(rc == ERR_NOMEM);
		CHECK(out == NULL);
		arena_release(&a);
	}
	free(ref);
}

static void check_href(const char *href)
{
	const unsigned char *p;

	if (!url_is_safe_href(href))
		return;
	CHECK(href[0] != '\0');
	for (p = (const unsigned char *)href; *p; p++)
		CHECK(*p >= 0x20 && *p != 0x7F && *p != '\\');
	if (href[0] == '/') {
		CHECK(href[1] != '/');
		return;
	}
	if (href[0] == '#' || href[0] == '?')
		return;
	CHECK(strncasecmp(href, "http://", 7) == 0 ||
	      strncasecmp(href, "https://", 8) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy = malloc(size + 1);

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';

	/* The raw bytes (a NUL inside must be refused, not truncate). */
	check_decode((const char *)data, size, false);
	check_decode((const char *)data, size, true);

	check_href(copy);
	free(copy);
	return 0;
}
