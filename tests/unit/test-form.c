/* test-form.c: URL-encoded form parsing: decoding, repeats, empty pairs, every refusal and the limits. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "util/arena.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/form.h"

#define COUNT(a) (sizeof (a) / sizeof (a)[0])

static struct form F;   /* 4 KiB: kept off the stack */

/* Parses s (its strlen) with a roomy arena; returns the result code. */
static int parse(struct arena *a, const char *s, struct errinfo *ei)
{
	errinfo_clear(ei);
	memset(&F, 0, sizeof F);
	return form_parse(a, s, strlen(s), &F, ei);
}

static void parse_ok(struct arena *a, const char *s)
{
	struct errinfo ei;
	int rc = parse(a, s, &ei);

	if (rc)
		print_error("\"%s\": %d %s\n", s, rc, ei.message);
	assert_int_equal(rc, 0);
}

static void parse_fails(const char *s, int want)
{
	struct arena a;
	struct errinfo ei;
	int rc;

	arena_init(&a, 1 << 20);
	rc = parse(&a, s, &ei);
	if (rc != want)
		print_error("\"%s\": got %d, want %d\n", s, rc, want);
	assert_int_equal(rc, want);
	assert_int_equal(ei.code, want);
	assert_true(ei.message[0] != '\0');
	arena_release(&a);
}

static void test_simple_pairs(void **state)
{
	struct arena a;

	(void)state;
	arena_init(&a, 1 << 20);
	parse_ok(&a, "a=1&b=2");
	assert_int_equal(F.n, 2);
	assert_string_equal(F.f[0].name, "a");
	assert_string_equal(F.f[0].value, "1");
	assert_string_equal(F.f[1].name, "b");
	assert_string_equal(F.f[1].value, "2");
	assert_string_equal(form_get(&F, "a"), "1");
	assert_string_equal(form_get(&F, "b"), "2");
	assert_null(form_get(&F, "c"));
	assert_null(form_get(&F, "A"));

	parse_ok(&a, "");
	assert_int_equal(F.n, 0);
	assert_null(form_get(&F, "a"));
	arena_release(&a);
}

static void test_decoding(void **state)
{
	struct arena a;

	(void)state;
	arena_init(&a, 1 << 20);
	parse_ok(&a, "q=hello+world&plus=%2B&a+b=c");
	assert_int_equal(F.n, 3);
	assert_string_equal(form_get(&F, "q"), "hello world");
	assert_string_equal(form_get(&F, "plus"), "+");
	assert_string_equal(form_get(&F, "a b"), "c");

	parse_ok(&a, "x=%41%62%e2%82%ac%2f&%6Eame=%26%3D");
	assert_int_equal(F.n, 2);
	assert_string_equal(form_get(&F, "x"), "Ab\xe2\x82\xac/");
	assert_string_equal(form_get(&F, "name"), "&=");

	/* raw UTF-8 passes; '=' after the first belongs to the value */
	parse_ok(&a, "caf\xc3\xa9=na\xc3\xafve&eq=a=b=c");
	assert_string_equal(form_get(&F, "caf\xc3\xa9"), "na\xc3\xafve");
	assert_string_equal(form_get(&F, "eq"), "a=b=c");
	arena_release(&a);
}

static void test_repeats(void **state)
{
	struct arena a;
	const char *vals[8];

	(void)state;
	arena_init(&a, 1 << 20);
	parse_ok(&a, "c=website&d=x&c=phone&c=paper");
	assert_int_equal(F.n, 4);
	assert_int_equal(form_get_all(&F, "c", vals, COUNT(vals)), 3);
	assert_string_equal(vals[0], "website");
	assert_string_equal(vals[1], "phone");
	assert_string_equal(vals[2], "paper");
	/* max caps the count and keeps the first ones */
	memset(vals, 0, sizeof vals);
	assert_int_equal(form_get_all(&F, "c", vals, 2), 2);
	assert_string_equal(vals[0], "website");
	assert_string_equal(vals[1], "phone");
	assert_null(vals[2]);
	assert_int_equal(form_get_all(&F, "c", vals, 0), 0);
	assert_int_equal(form_get_all(&F, "zz", vals, COUNT(vals)), 0);
	assert_int_equal(form_get_all(&F, "d", vals, COUNT(vals)), 1);
	assert_string_equal(vals[0], "x");
	/* form_get is the first one */
	assert_string_equal(form_get(&F, "c"), "website");
	arena_release(&a);
}

static void test_empty_names_values_pairs(void **state)
{
	struct arena a;

	(void)state;
	arena_init(&a, 1 << 20);
	parse_ok(&a, "flag&x=1&other");
	assert_int_equal(F.n, 3);
	assert_string_equal(F.f[0].name, "flag");
	assert_string_equal(F.f[0].value, "");
	assert_string_equal(form_get(&F, "x"), "1");
	assert_string_equal(form_get(&F, "other"), "");

	parse_ok(&a, "&&a=1&");
	assert_int_equal(F.n, 1);
	assert_string_equal(F.f[0].name, "a");
	assert_string_equal(F.f[0].value, "1");

	parse_ok(&a, "&&&");
	assert_int_equal(F.n, 0);

	parse_ok(&a, "a=&b=");
	assert_int_equal(F.n, 2);
	assert_string_equal(form_get(&F, "a"), "");
	assert_string_equal(form_get(&F, "b"), "");
	arena_release(&a);
}

static void test_respects_len(void **state)
{
	struct arena a;
	struct errinfo ei;
	const char data[] = "a=1&b=2";

	(void)state;
	arena_init(&a, 1 << 20);
	errinfo_clear(&ei);
	assert_int_equal(form_parse(&a, data, 3, &F, &ei), 0);
	assert_int_equal(F.n, 1);
	assert_string_equal(form_get(&F, "a"), "1");
	assert_null(form_get(&F, "b"));
	/* not NUL-terminated input: only len bytes are read */
	{
		char buf[3] = { 'k', '=', 'v' };
		assert_int_equal(form_parse(&a, buf, sizeof buf, &F, &ei), 0);
		assert_int_equal(F.n, 1);
		assert_string_equal(form_get(&F, "k"), "v");
	}
	/* a raw NUL inside the data is refused */
	assert_int_equal(form_parse(&a, "a=b\0c", 5, &F, &ei), ERR_MALFORMED);
	assert_int_equal(form_parse(&a, "a\0=b", 4, &F, &ei), ERR_MALFORMED);
	arena_release(&a);
}

static void test_refusals(void **state)
{
	static const char *const malformed[] = {
		"=x", "=", "a=1&=x", "a=1&=",              /* no name */
		"a=%", "a=%4", "a=%zz", "a=%G0", "a=%4g",  /* bad escapes */
		"%zz=1", "%=1", "a=1%",
		"a=%00", "%00=1", "a=x%00y",               /* encoded NUL */
		"a=%FF", "%ff=1", "a=%C3", "a=%C0%AF",      /* invalid UTF-8 */
		"a=%ED%A0%80", "a=\xff", "\xfe=1",
	};
	size_t i;

	(void)state;
	for (i = 0; i < COUNT(malformed); i++)
		parse_fails(malformed[i], ERR_MALFORMED);
}

static void test_name_length(void **state)
{
	struct arena a;
	char data[1024];
	size_t i;

	(void)state;
	arena_init(&a, 1 << 20);
	/* 128 bytes: accepted */
	memset(data, 'n', 128);
	strcpy(data + 128, "=v");
	parse_ok(&a, data);
	assert_int_equal(F.n, 1);
	assert_int_equal(strlen(F.f[0].name), 128);
	assert_string_equal(F.f[0].value, "v");
	/* 129 bytes: refused */
	memset(data, 'n', 129);
	strcpy(data + 129, "=v");
	parse_fails(data, ERR_MALFORMED);
	/* the limit is on the decoded name: 43 escapes are 43 bytes */
	for (i = 0; i < 43; i++)
		memcpy(data + 3 * i, "%41", 3);
	strcpy(data + 129, "=v");
	parse_ok(&a, data);
	assert_int_equal(strlen(F.f[0].name), 43);
	/* and 129 escaped bytes are too many */
	for (i = 0; i < 129; i++)
		memcpy(data + 3 * i, "%41", 3);
	strcpy(data + 387, "=v");
	parse_fails(data, ERR_MALFORMED);
	/* a long value is fine */
	memset(data, 'v', 900);
	memcpy(data, "n=", 2);
	data[900] = '\0';
	parse_ok(&a, data);
	assert_int_equal(strlen(form_get(&F, "n")), 898);
	arena_release(&a);
}

/* n fields "fN=N" joined by sep. */
static void build_fields(struct buf *b, size_t n, const char *sep)
{
	size_t i;

	for (i = 0; i < n; i++)
		buf_printf(b, "%sf%zu=%zu", i ? sep : "", i, i);
	assert_int_equal(b->err, 0);
}

static void test_field_count_limit(void **state)
{
	struct arena a;
	struct buf b;
	struct errinfo ei;

	(void)state;
	arena_init(&a, 0);
	buf_init(&b, 0);
	build_fields(&b, FORM_FIELDS_MAX, "&");
	errinfo_clear(&ei);
	assert_int_equal(form_parse(&a, buf_str(&b), b.len, &F, &ei), 0);
	assert_int_equal(F.n, FORM_FIELDS_MAX);
	assert_string_equal(form_get(&F, "f255"), "255");
	buf_release(&b);

	/* empty pairs do not count towards the limit */
	buf_init(&b, 0);
	build_fields(&b, FORM_FIELDS_MAX, "&&&");
	assert_int_equal(form_parse(&a, buf_str(&b), b.len, &F, &ei), 0);
	assert_int_equal(F.n, FORM_FIELDS_MAX);
	buf_release(&b);

	buf_init(&b, 0);
	build_fields(&b, FORM_FIELDS_MAX + 1, "&");
	errinfo_clear(&ei);
	assert_int_equal(form_parse(&a, buf_str(&b), b.len, &F, &ei),
			 ERR_TOO_LARGE);
	assert_int_equal(ei.code, ERR_TOO_LARGE);
	assert_true(F.n <= FORM_FIELDS_MAX);
	buf_release(&b);

	/* far more than the limit: still refused, never past the array */
	buf_init(&b, 0);
	build_fields(&b, 5000, "&");
	assert_int_equal(form_parse(&a, buf_str(&b), b.len, &F, &ei),
			 ERR_TOO_LARGE);
	assert_true(F.n <= FORM_FIELDS_MAX);
	buf_release(&b);
	arena_release(&a);
}

static void test_arena_exhausted(void **state)
{
	struct arena a;
	struct buf b;
	struct errinfo ei;
	char big[2048];
	size_t limit;

	(void)state;
	/* one value larger than the whole arena */
	memset(big, 'x', sizeof big - 1);
	memcpy(big, "v=", 2);
	big[sizeof big - 1] = '\0';
	arena_init(&a, 256);
	errinfo_clear(&ei);
	assert_int_equal(form_parse(&a, big, strlen(big), &F, &ei), ERR_NOMEM);
	assert_int_equal(ei.code, ERR_NOMEM);
	arena_release(&a);

	/* a long name hits the cap before its length check */
	memset(big, 'n', 600);
	strcpy(big + 600, "=1");
	arena_init(&a, 256);
	errinfo_clear(&ei);
	assert_int_equal(form_parse(&a, big, strlen(big), &F, &ei), ERR_NOMEM);
	arena_release(&a);

	/* many small fields run out part-way, at every cap size */
	buf_init(&b, 0);
	build_fields(&b, 200, "&");
	for (limit = 16; limit <= 2048; limit += 16) {
		int rc;
		arena_init(&a, limit);
		errinfo_clear(&ei);
		rc = form_parse(&a, buf_str(&b), b.len, &F, &ei);
		assert_int_equal(rc, ERR_NOMEM);
		assert_int_equal(ei.code, ERR_NOMEM);
		arena_release(&a);
	}
	/* and with room enough it parses */
	arena_init(&a, 1 << 20);
	assert_int_equal(form_parse(&a, buf_str(&b), b.len, &F, &ei), 0);
	assert_int_equal(F.n, 200);
	arena_release(&a);
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_simple_pairs),
		cmocka_unit_test(test_decoding),
		cmocka_unit_test(test_repeats),
		cmocka_unit_test(test_empty_names_values_pairs),
		cmocka_unit_test(test_respects_len),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_name_length),
		cmocka_unit_test(test_field_count_limit),
		cmocka_unit_test(test_arena_exhausted),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
