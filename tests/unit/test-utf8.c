/* test-utf8.c: strict UTF-8 decoding/validation on boundary cases, and errinfo (codes, details, UTF-8-safe truncation). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "util/err.h"
#include "util/utf8.h"

/* Expects s (its sizeof - 1 bytes) to decode as one code point of n bytes. */
static void decode_ok(const char *s, size_t len, uint32_t want, size_t n)
{
	uint32_t cp = 0xDEADBEEF;

	assert_int_equal(utf8_decode((const unsigned char *)s, len, &cp), n);
	assert_int_equal(cp, want);
	assert_true(utf8_valid(s, len));
}

static void decode_bad(const char *s, size_t len)
{
	uint32_t cp = 0;

	assert_int_equal(utf8_decode((const unsigned char *)s, len, &cp), 0);
	assert_false(utf8_valid(s, len));
	assert_false(utf8_valid_text(s, len));
}

#define OK(s, cp, n) decode_ok((s), sizeof(s) - 1, (cp), (n))
#define BAD(s) decode_bad((s), sizeof(s) - 1)

static void test_decode_boundaries(void **state)
{
	(void)state;
	OK("A", 0x41, 1);
	OK("\x7F", 0x7F, 1);
	OK("\xC2\x80", 0x80, 2);
	OK("\xC3\xA9", 0xE9, 2);
	OK("\xDF\xBF", 0x7FF, 2);
	OK("\xE0\xA0\x80", 0x800, 3);
	OK("\xE4\xB8\xAD", 0x4E2D, 3);
	OK("\xED\x9F\xBF", 0xD7FF, 3);       /* just below the surrogates */
	OK("\xEE\x80\x80", 0xE000, 3);       /* just above them */
	OK("\xEF\xBF\xBF", 0xFFFF, 3);
	OK("\xF0\x90\x80\x80", 0x10000, 4);
	OK("\xF0\x9F\x98\x80", 0x1F600, 4);
	OK("\xF4\x8F\xBF\xBF", 0x10FFFF, 4);
}

static void test_decode_uses_only_first_char(void **state)
{
	uint32_t cp = 0;

	(void)state;
	assert_int_equal(utf8_decode((const unsigned char *)"\xC3\xA9z", 3, &cp), 2);
	assert_int_equal(cp, 0xE9);
	assert_int_equal(utf8_decode((const unsigned char *)"ab", 2, &cp), 1);
	assert_int_equal(cp, 'a');
	/* NUL is a code point like any other for the decoder */
	assert_int_equal(utf8_decode((const unsigned char *)"\0x", 2, &cp), 1);
	assert_int_equal(cp, 0);
	assert_int_equal(utf8_decode((const unsigned char *)"x", 0, &cp), 0);
}

static void test_decode_overlong(void **state)
{
	(void)state;
	BAD("\xC0\x80");                     /* NUL */
	BAD("\xC0\xAF");                     /* "/" */
	BAD("\xC1\xBF");                     /* U+007F */
	BAD("\xE0\x80\x80");
	BAD("\xE0\x9F\xBF");                 /* U+07FF in three bytes */
	BAD("\xF0\x80\x80\x80");
	BAD("\xF0\x8F\xBF\xBF");             /* U+FFFF in four bytes */
}

static void test_decode_surrogates(void **state)
{
	(void)state;
	BAD("\xED\xA0\x80");                 /* U+D800 */
	BAD("\xED\xAD\xBF");                 /* U+DB7F */
	BAD("\xED\xB0\x80");                 /* U+DC00 */
	BAD("\xED\xBF\xBF");                 /* U+DFFF */
	BAD("\xED\xA0\xBD\xED\xB8\x80");     /* CESU-8 pair */
}

static void test_decode_above_max_and_bad_leads(void **state)
{
	char s[4];
	int lead;

	(void)state;
	BAD("\xF4\x90\x80\x80");             /* U+110000 */
	BAD("\xF7\xBF\xBF\xBF");
	for (lead = 0xF5; lead <= 0xFF; lead++) {
		s[0] = (char)lead;
		s[1] = s[2] = s[3] = (char)0x80;
		decode_bad(s, 4);
	}
	/* stray continuation bytes */
	BAD("\x80");
	BAD("\xBF");
	BAD("\x80\x80");
}

static void test_decode_truncated(void **state)
{
	(void)state;
	BAD("\xC3");
	BAD("\xE4\xB8");
	BAD("\xE4");
	BAD("\xF0\x9F\x98");
	BAD("\xF0\x9F");
	/* the length bounds the read even when more bytes follow */
	decode_bad("\xC3\xA9", 1);
	decode_bad("\xF0\x9F\x98\x80", 3);
	/* a continuation byte replaced by something else */
	BAD("\xC3\x28");
	BAD("\xE4\x28\xAD");
	BAD("\xE4\xB8\x28");
	BAD("\xF0\x9F\x98\xC0");
}

static void test_valid_strings(void **state)
{
	static const char mixed[] = "caf\xC3\xA9 \xE4\xB8\xAD \xF0\x9F\x98\x80!";

	(void)state;
	assert_true(utf8_valid("", 0));
	assert_true(utf8_valid_text("", 0));
	assert_true(utf8_valid(mixed, sizeof mixed - 1));
	assert_true(utf8_valid_text(mixed, sizeof mixed - 1));
	/* one bad byte anywhere spoils the whole string */
	assert_false(utf8_valid("abc\xFF", 4));
	assert_false(utf8_valid("\xFF" "abc", 4));
	assert_false(utf8_valid("ab\xC3\xA9\xC3", 5));
	assert_false(utf8_valid_text("ab\xC3\xA9\xC3", 5));
	/* only len bytes are looked at */
	assert_true(utf8_valid("ab\xFF", 2));
	assert_true(utf8_valid_text("ab\x01", 2));
}

static void test_nul_and_controls(void **state)
{
	char c[1];
	int i;

	(void)state;
	/* NUL is valid UTF-8 but not text */
	assert_true(utf8_valid("a\0b", 3));
	assert_false(utf8_valid_text("a\0b", 3));
	assert_true(utf8_valid("\0", 1));
	assert_false(utf8_valid_text("\0", 1));
	/* tab, LF, CR are text; DEL and other C0 controls are not */
	assert_true(utf8_valid_text("a\tb\nc\r\n", 7));
	assert_true(utf8_valid("\x7F", 1));
	assert_false(utf8_valid_text("\x7F", 1));
	assert_false(utf8_valid_text("ok\x7F", 3));
	for (i = 0; i < 0x20; i++) {
		c[0] = (char)i;
		assert_true(utf8_valid(c, 1));
		assert_int_equal(utf8_valid_text(c, 1),
				 i == '\t' || i == '\n' || i == '\r');
	}
	assert_true(utf8_valid_text(" ~", 2));
	/* C1 controls (U+0080..U+009F) are valid UTF-8 text per this API */
	assert_true(utf8_valid_text("\xC2\x80", 2));
}

/* ---- errinfo ------------------------------------------------------------ */

static void test_errinfo_set_returns_code(void **state)
{
	struct errinfo ei;

	(void)state;
	errinfo_clear(&ei);
	assert_int_equal(ei.code, ERR_OK);
	assert_string_equal(ei.message, "");
	assert_int_equal(errinfo_set(&ei, ERR_NOTFOUND, "no item %d (%s)", 7,
				     "x"), ERR_NOTFOUND);
	assert_int_equal(ei.code, ERR_NOTFOUND);
	assert_string_equal(ei.message, "no item 7 (x)");
	assert_int_equal(errinfo_set(NULL, ERR_CONFLICT, "ignored"),
			 ERR_CONFLICT);
	assert_int_equal(errinfo_set(&ei, ERR_DB, "%s", ""), ERR_DB);
	assert_int_equal(ei.code, ERR_DB);
	assert_string_equal(ei.message, "");
	errinfo_clear(&ei);
	assert_int_equal(ei.code, ERR_OK);
	errinfo_clear(NULL);
}

static void test_errinfo_details_cap(void **state)
{
	struct errinfo ei;
	int i;

	(void)state;
	errinfo_clear(&ei);
	errinfo_add(&ei, NULL, 3, 9, "first %s", "detail");
	assert_int_equal(ei.ndetails, 1);
	assert_string_equal(ei.details[0].field, "");
	assert_int_equal(ei.details[0].line, 3);
	assert_int_equal(ei.details[0].column, 9);
	assert_string_equal(ei.details[0].message, "first detail");
	for (i = 1; i < ERRINFO_DETAILS_MAX; i++)
		errinfo_add(&ei, "name", i, 0, "detail %d", i);
	assert_int_equal(ei.ndetails, ERRINFO_DETAILS_MAX);
	assert_int_equal(ei.dropped_details, 0);
	assert_string_equal(ei.details[ERRINFO_DETAILS_MAX - 1].field, "name");
	assert_string_equal(ei.details[ERRINFO_DETAILS_MAX - 1].message,
			    "detail 31");
	errinfo_add(&ei, "over", 1, 1, "dropped");
	errinfo_add(&ei, "over", 1, 1, "dropped too");
	errinfo_add(&ei, NULL, 0, 0, "and this");
	assert_int_equal(ei.ndetails, ERRINFO_DETAILS_MAX);
	assert_int_equal(ei.dropped_details, 3);
	assert_string_equal(ei.details[ERRINFO_DETAILS_MAX - 1].message,
			    "detail 31");
	errinfo_add(NULL, "x", 1, 1, "nothing");   /* NULL is allowed */
	errinfo_clear(&ei);
	assert_int_equal(ei.ndetails, 0);
	assert_int_equal(ei.dropped_details, 0);
}

/* Sets a message of `pad` ASCII bytes followed by `tail`, truncated by the
 * message size; expects the stored message to be `want_len` bytes of valid
 * UTF-8. */
static void truncation_case(size_t pad, const char *tail, size_t want_len)
{
	struct errinfo ei;
	char padding[ERRINFO_MESSAGE_MAX + 1];
	size_t len;

	memset(padding, 'a', pad);
	padding[pad] = '\0';
	errinfo_set(&ei, ERR_INVALID, "%s%s", padding, tail);
	len = strlen(ei.message);
	if (len != want_len)
		print_error("pad %zu: length %zu, want %zu\n", pad, len, want_len);
	assert_int_equal(len, want_len);
	assert_true(utf8_valid(ei.message, len));
	assert_memory_equal(ei.message, padding,
			    pad < want_len ? pad : want_len);
}

static void test_errinfo_truncation_keeps_utf8(void **state)
{
	const size_t room = ERRINFO_MESSAGE_MAX - 1;   /* 255 bytes + NUL */

	(void)state;
	/* é (2 bytes) cut after its first byte */
	truncation_case(room - 1, "\xC3\xA9", room - 1);
	/* 中 (3 bytes) cut after one or two bytes */
	truncation_case(room - 1, "\xE4\xB8\xAD", room - 1);
	truncation_case(room - 2, "\xE4\xB8\xAD", room - 2);
	/* 😀 (4 bytes) cut after one, two or three bytes */
	truncation_case(room - 1, "\xF0\x9F\x98\x80", room - 1);
	truncation_case(room - 2, "\xF0\x9F\x98\x80", room - 2);
	truncation_case(room - 3, "\xF0\x9F\x98\x80", room - 3);
	/* characters that fit exactly are kept whole */
	truncation_case(room - 4, "\xF0\x9F\x98\x80", room);
	truncation_case(room - 2, "\xC3\xA9", room);
	truncation_case(room - 3, "\xC3\xA9" "\xC3\xA9", room - 1);
	/* plain ASCII is cut at the buffer size */
	truncation_case(room + 1, "", room);
}

static void test_errinfo_detail_truncation_keeps_utf8(void **state)
{
	struct errinfo ei;
	char field[ERRINFO_FIELD_MAX + 8];
	char msg[ERRINFO_DETAIL_MESSAGE_MAX + 8];

	(void)state;
	errinfo_clear(&ei);
	/* field: 94 ASCII + "é" = 96 bytes, room for 95 */
	memset(field, 'f', ERRINFO_FIELD_MAX - 2);
	memcpy(field + ERRINFO_FIELD_MAX - 2, "\xC3\xA9", 3);
	/* message: 190 ASCII + "中" = 193 bytes, room for 191 */
	memset(msg, 'm', ERRINFO_DETAIL_MESSAGE_MAX - 2);
	memcpy(msg + ERRINFO_DETAIL_MESSAGE_MAX - 2, "\xE4\xB8\xAD", 4);
	errinfo_add(&ei, field, 1, 2, "%s", msg);
	assert_int_equal(ei.ndetails, 1);
	assert_int_equal(strlen(ei.details[0].field), ERRINFO_FIELD_MAX - 2);
	assert_true(utf8_valid(ei.details[0].field,
			       strlen(ei.details[0].field)));
	assert_int_equal(strlen(ei.details[0].message),
			 ERRINFO_DETAIL_MESSAGE_MAX - 2);
	assert_true(utf8_valid(ei.details[0].message,
			       strlen(ei.details[0].message)));
}

static void test_err_names(void **state)
{
	(void)state;
	assert_string_equal(err_name(ERR_OK), "ok");
	assert_string_equal(err_name(ERR_NOTFOUND), "not_found");
	assert_string_equal(err_name(ERR_INVALID), "invalid");
	assert_string_equal(err_name(ERR_MALFORMED), "malformed");
	assert_string_equal(err_name(ERR_TOO_LARGE), "too_large");
	assert_string_equal(err_name((enum err)-999), "internal");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_boundaries),
		cmocka_unit_test(test_decode_uses_only_first_char),
		cmocka_unit_test(test_decode_overlong),
		cmocka_unit_test(test_decode_surrogates),
		cmocka_unit_test(test_decode_above_max_and_bad_leads),
		cmocka_unit_test(test_decode_truncated),
		cmocka_unit_test(test_valid_strings),
		cmocka_unit_test(test_nul_and_controls),
		cmocka_unit_test(test_errinfo_set_returns_code),
		cmocka_unit_test(test_errinfo_details_cap),
		cmocka_unit_test(test_errinfo_truncation_keeps_utf8),
		cmocka_unit_test(test_errinfo_detail_truncation_keeps_utf8),
		cmocka_unit_test(test_err_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
