/* test-url.c: percent-encoding, strict percent-decoding and the safe-href check. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <string.h>

#include "util/arena.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/url.h"

static void encode_case(const char *in, const char *want)
{
	struct buf b;

	buf_init(&b, 0);
	url_encode(&b, in);
	assert_int_equal(b.err, 0);
	assert_string_equal(buf_str(&b), want);
	buf_release(&b);
}

static void test_encode_unreserved_kept(void **state)
{
	(void)state;
	encode_case("ABCXYZabcxyz0189-._~", "ABCXYZabcxyz0189-._~");
	encode_case("", "");
}

static void test_encode_reserved_and_space(void **state)
{
	(void)state;
	encode_case("a b", "a%20b");
	encode_case("/?#&=+", "%2F%3F%23%26%3D%2B");
	encode_case("100%", "100%25");
	encode_case("a:b@c!$'()*,;", "a%3Ab%40c%21%24%27%28%29%2A%2C%3B");
	encode_case("<\"'>", "%3C%22%27%3E");
	encode_case("\t\n\x7F", "%09%0A%7F");
}

static void test_encode_utf8_uppercase_hex(void **state)
{
	(void)state;
	encode_case("caf\xC3\xA9", "caf%C3%A9");
	encode_case("\xE4\xB8\xAD", "%E4%B8%AD");
	encode_case("\xF0\x9F\x98\x80", "%F0%9F%98%80");
	encode_case("\xFF\xAB", "%FF%AB");
}

static void test_encode_appends_and_null(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 0);
	buf_puts(&b, "/items/");
	url_encode(&b, "a/b c");
	url_encode(&b, NULL);
	buf_puts(&b, "?q=");
	url_encode(&b, "x&y");
	assert_string_equal(buf_str(&b), "/items/a%2Fb%20c?q=x%26y");
	buf_release(&b);
}

/* Decodes in (its strlen) and expects success with want. */
static void decode_ok(const char *in, bool plus, const char *want)
{
	struct arena a;
	char *out = (char *)"sentinel";

	arena_init(&a, 0);
	assert_int_equal(url_decode(&a, in, strlen(in), plus, &out), 0);
	assert_non_null(out);
	assert_string_equal(out, want);
	arena_release(&a);
}

static void decode_bad(const char *in, size_t len, bool plus, int want_err)
{
	struct arena a;
	char *out = (char *)"sentinel";

	arena_init(&a, 0);
	assert_int_equal(url_decode(&a, in, len, plus, &out), want_err);
	assert_null(out);
	arena_release(&a);
}

static void test_decode_plus(void **state)
{
	(void)state;
	decode_ok("a+b", true, "a b");
	decode_ok("a+b", false, "a+b");
	/* an encoded plus is always a plus */
	decode_ok("a%2Bb", true, "a+b");
	decode_ok("a%2bb", false, "a+b");
	decode_ok("%20", false, " ");
}

static void test_decode_escapes(void **state)
{
	(void)state;
	decode_ok("%41", false, "A");
	decode_ok("%41%42c", false, "ABc");
	decode_ok("%2F%2f", false, "//");
	decode_ok("%c3%a9", false, "\xC3\xA9");
	decode_ok("%C3%A9", false, "\xC3\xA9");
	decode_ok("%0A", false, "\n");
	decode_ok("", false, "");
	decode_ok("plain", true, "plain");
	decode_ok("%25", false, "%");
	decode_ok("%2541", false, "%41"); /* decoded once only */
}

static void test_decode_bad_escapes(void **state)
{
	(void)state;
	decode_bad("%", 1, false, ERR_MALFORMED);
	decode_bad("%4", 2, false, ERR_MALFORMED);
	decode_bad("a%4", 3, false, ERR_MALFORMED);
	decode_bad("%zz", 3, false, ERR_MALFORMED);
	decode_bad("%4z", 3, false, ERR_MALFORMED);
	decode_bad("%z4", 3, false, ERR_MALFORMED);
	decode_bad("%G1", 3, false, ERR_MALFORMED);
	decode_bad("%-1", 3, false, ERR_MALFORMED);
	decode_bad("ok%", 3, true, ERR_MALFORMED);
	/* the escape must lie inside len even when the bytes follow */
	decode_bad("%41", 2, false, ERR_MALFORMED);
}

static void test_decode_nul_refused(void **state)
{
	(void)state;
	decode_bad("%00", 3, false, ERR_MALFORMED);
	decode_bad("a%00b", 5, true, ERR_MALFORMED);
	/* a raw NUL within len is refused too */
	decode_bad("a\0b", 3, false, ERR_MALFORMED);
}

static void test_decode_invalid_utf8_refused(void **state)
{
	(void)state;
	decode_bad("%FF", 3, false, ERR_MALFORMED);
	decode_bad("%C3", 3, false, ERR_MALFORMED);          /* truncated */
	decode_bad("%C0%AF", 6, false, ERR_MALFORMED);       /* overlong */
	decode_bad("%ED%A0%80", 9, false, ERR_MALFORMED);    /* surrogate */
	decode_bad("%F4%90%80%80", 12, false, ERR_MALFORMED);/* > U+10FFFF */
	decode_bad("\xFF", 1, false, ERR_MALFORMED);         /* raw */
}

static void test_decode_raw_utf8_passes(void **state)
{
	(void)state;
	decode_ok("caf\xC3\xA9", false, "caf\xC3\xA9");
	decode_ok("\xE4\xB8\xAD+%E6%96%87", true, "\xE4\xB8\xAD \xE6\x96\x87");
	decode_ok("\xF0\x9F\x98\x80", false, "\xF0\x9F\x98\x80");
}

static void test_decode_respects_len(void **state)
{
	struct arena a;
	char *out = NULL;

	(void)state;
	arena_init(&a, 0);
	assert_int_equal(url_decode(&a, "abc%41", 3, false, &out), 0);
	assert_string_equal(out, "abc");
	arena_release(&a);
}

static void test_decode_arena_full(void **state)
{
	struct arena a;
	char *out = (char *)"sentinel";
	char big[200];

	(void)state;
	memset(big, 'x', sizeof big);
	arena_init(&a, 64);
	assert_int_equal(url_decode(&a, big, sizeof big, false, &out),
			 ERR_NOMEM);
	assert_null(out);
	arena_release(&a);
}

static void test_safe_href_accepts(void **state)
{
	(void)state;
	assert_true(url_is_safe_href("/"));
	assert_true(url_is_safe_href("/a/b?c=d&e=f#g"));
	assert_true(url_is_safe_href("#x"));
	assert_true(url_is_safe_href("#"));
	assert_true(url_is_safe_href("?q=1"));
	assert_true(url_is_safe_href("http://example.com"));
	assert_true(url_is_safe_href("https://example.com/x?y#z"));
	assert_true(url_is_safe_href("HTTPS://EXAMPLE.COM/"));
	assert_true(url_is_safe_href("HtTp://example.com/"));
	assert_true(url_is_safe_href("/caf\xC3\xA9"));
}

static void test_safe_href_rejects(void **state)
{
	(void)state;
	assert_false(url_is_safe_href(NULL));
	assert_false(url_is_safe_href(""));
	assert_false(url_is_safe_href("//x"));
	assert_false(url_is_safe_href("//evil.com/path"));
	assert_false(url_is_safe_href("javascript:alert(1)"));
	assert_false(url_is_safe_href("JaVaScRiPt:alert(1)"));
	assert_false(url_is_safe_href("data:text/html,<script>alert(1)</script>"));
	assert_false(url_is_safe_href("vbscript:x"));
	assert_false(url_is_safe_href("mailto:a@b.c"));
	assert_false(url_is_safe_href("ftp://example.com/"));
	assert_false(url_is_safe_href("http:/example.com"));
	assert_false(url_is_safe_href("https:"));
	assert_false(url_is_safe_href(" /a"));
	assert_false(url_is_safe_href("a/b"));
	assert_false(url_is_safe_href("/a\\b"));
	assert_false(url_is_safe_href("/\\evil.com"));
	assert_false(url_is_safe_href("/a\nb"));
	assert_false(url_is_safe_href("/a\rb"));
	assert_false(url_is_safe_href("/a\tb"));
	assert_false(url_is_safe_href("/a\x7f"));
	assert_false(url_is_safe_href("https://ok.example/\x01"));
	assert_false(url_is_safe_href("java\tscript:alert(1)"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_encode_unreserved_kept),
		cmocka_unit_test(test_encode_reserved_and_space),
		cmocka_unit_test(test_encode_utf8_uppercase_hex),
		cmocka_unit_test(test_encode_appends_and_null),
		cmocka_unit_test(test_decode_plus),
		cmocka_unit_test(test_decode_escapes),
		cmocka_unit_test(test_decode_bad_escapes),
		cmocka_unit_test(test_decode_nul_refused),
		cmocka_unit_test(test_decode_invalid_utf8_refused),
		cmocka_unit_test(test_decode_raw_utf8_passes),
		cmocka_unit_test(test_decode_respects_len),
		cmocka_unit_test(test_decode_arena_full),
		cmocka_unit_test(test_safe_href_accepts),
		cmocka_unit_test(test_safe_href_rejects),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
