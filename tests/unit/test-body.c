/* test-body.c: JSON request bodies (content types, strict parsing, error positions, depth) and static file path/type rules. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "http/body.h"
#include "http/static.h"
#include "util/err.h"

/* ---- content types ------------------------------------------------------ */

static void test_json_types_accepted(void **state)
{
	static const char *const ok[] = {
		"application/json",
		"application/json; charset=utf-8",
		"application/json;charset=utf-8",
		"application/json; charset=UTF-8",
		"application/json; charset=\"utf-8\"",
		"APPLICATION/JSON",
		"Application/Json; Charset=Utf-8",
		"application/problem+json",
		"application/vnd.api+json; charset=utf-8",
		"application/csp-report",
		"application/CSP-Report",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		if (!body_is_json_type(ok[i]))
			print_error("refused '%s'\n", ok[i]);
		assert_true(body_is_json_type(ok[i]));
	}
}

static void test_json_types_refused(void **state)
{
	static const char *const bad[] = {
		"text/plain",
		"text/json",
		"application/json; charset=latin1",
		"application/json; charset=utf-16",
		"application/json; charset=utf-8; extra=1",
		"application/jsonx",
		"application/json+",
		"application/+json",
		"application/x/y+json",
		"application/xml",
		"multipart/form-data; boundary=x",
		"application/x-www-form-urlencoded",
		"",
	};
	size_t i;

	(void)state;
	assert_false(body_is_json_type(NULL));
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (body_is_json_type(bad[i]))
			print_error("accepted '%s'\n", bad[i]);
		assert_false(body_is_json_type(bad[i]));
	}
}

/* ---- parsing ------------------------------------------------------------ */

static json_t *parse_ok(const char *s, size_t len)
{
	struct errinfo ei;
	json_t *v = NULL;
	int rc;

	errinfo_clear(&ei);
	rc = body_parse_json(s, len, &v, &ei);
	if (rc)
		print_error("'%.*s': %s\n", (int)len, s, ei.message);
	assert_int_equal(rc, 0);
	assert_non_null(v);
	return v;
}

/* Expects ERR_MALFORMED, no value, and one detail; returns the errinfo. */
static struct errinfo parse_bad(const char *s, size_t len)
{
	struct errinfo ei;
	json_t *v = (json_t *)&ei;    /* must be reset to NULL */

	errinfo_clear(&ei);
	assert_int_equal(body_parse_json(s, len, &v, &ei), ERR_MALFORMED);
	assert_null(v);
	assert_int_equal(ei.code, ERR_MALFORMED);
	assert_true(ei.message[0] != '\0');
	return ei;
}

#define PARSE_OK(lit) parse_ok((lit), sizeof(lit) - 1)
#define PARSE_BAD(lit) parse_bad((lit), sizeof(lit) - 1)

static void test_parse_valid(void **state)
{
	json_t *v;

	(void)state;
	v = PARSE_OK("{\"a\": 1, \"b\": [true, null], \"c\": \"caf\xC3\xA9\"}");
	assert_true(json_is_object(v));
	assert_int_equal(json_integer_value(json_object_get(v, "a")), 1);
	assert_int_equal(json_array_size(json_object_get(v, "b")), 2);
	assert_string_equal(json_string_value(json_object_get(v, "c")),
			    "caf\xC3\xA9");
	json_decref(v);

	v = PARSE_OK("[1, 2, 3]");
	assert_true(json_is_array(v));
	assert_int_equal(json_array_size(v), 3);
	json_decref(v);

	v = PARSE_OK("42");
	assert_int_equal(json_integer_value(v), 42);
	json_decref(v);
	v = PARSE_OK("\"s\"");
	assert_string_equal(json_string_value(v), "s");
	json_decref(v);
	v = PARSE_OK("null");
	assert_true(json_is_null(v));
	json_decref(v);
	v = PARSE_OK(" \n\t{}\r\n ");
	assert_true(json_is_object(v));
	json_decref(v);

	/* only len bytes are parsed */
	v = parse_ok("[1]garbage", 3);
	assert_true(json_is_array(v));
	json_decref(v);
}

static void test_parse_empty(void **state)
{
	struct errinfo ei;
	json_t *v = (json_t *)&ei;

	(void)state;
	PARSE_BAD("");
	PARSE_BAD("   ");
	PARSE_BAD("\n");
	errinfo_clear(&ei);
	assert_int_equal(body_parse_json(NULL, 0, &v, &ei), ERR_MALFORMED);
	assert_null(v);
	assert_int_equal(body_parse_json(NULL, 5, &v, NULL), ERR_MALFORMED);
}

static void test_parse_syntax_error_position(void **state)
{
	struct errinfo ei;
	char where[64];

	(void)state;
	/* line 3, column 7 is the "2" that should have been a ':' */
	ei = PARSE_BAD("{\n  \"a\": 1,\n  \"b\" 2\n}");
	assert_int_equal(ei.ndetails, 1);
	assert_int_equal(ei.details[0].line, 3);
	assert_int_equal(ei.details[0].column, 7);
	assert_true(ei.details[0].message[0] != '\0');
	snprintf(where, sizeof where, "line %d, column %d", 3, 7);
	assert_non_null(strstr(ei.message, where));

	ei = PARSE_BAD("[1,\n 2,\n  x]");
	assert_int_equal(ei.ndetails, 1);
	assert_int_equal(ei.details[0].line, 3);
	assert_int_equal(ei.details[0].column, 3);

	ei = PARSE_BAD("{\"a\": tru}");
	assert_int_equal(ei.details[0].line, 1);
	assert_true(ei.details[0].column > 0);

	PARSE_BAD("{\"a\": 1,}");
	PARSE_BAD("[1, 2");
	PARSE_BAD("{'a': 1}");
	PARSE_BAD("NaN");
	PARSE_BAD("01");
}

static void test_parse_duplicate_keys(void **state)
{
	struct errinfo ei;
	json_t *v;

	(void)state;
	ei = PARSE_BAD("{\"a\": 1, \"a\": 2}");
	assert_int_equal(ei.ndetails, 1);
	PARSE_BAD("{\"x\": {\"k\": 1, \"k\": 1}}");
	/* the same key in different objects is fine */
	v = PARSE_OK("[{\"a\": 1}, {\"a\": 2}]");
	json_decref(v);
}

static void test_parse_trailing_garbage(void **state)
{
	(void)state;
	PARSE_BAD("{} x");
	PARSE_BAD("{}{}");
	PARSE_BAD("1 2");
	PARSE_BAD("[1],");
	PARSE_BAD("[1]\0");
	PARSE_BAD("\"a\" \"b\"");
}

static void test_parse_invalid_utf8_and_nul(void **state)
{
	(void)state;
	PARSE_BAD("\"\xFF\"");
	PARSE_BAD("{\"a\": \"x\xC0\xAFy\"}");                /* overlong */
	PARSE_BAD("[\"\xED\xA0\x80\"]");                   /* surrogate */
	PARSE_BAD("[\"\xF4\x90\x80\x80\"]");               /* > U+10FFFF */
	PARSE_BAD("[\"caf\xC3\"]");                        /* truncated */
	PARSE_BAD("{\"k\xFF\": 1}");                       /* in a key */
	PARSE_BAD("\"a\\u0000b\"");                        /* escaped NUL */
	PARSE_BAD("[\"a\0b\"]");                           /* raw NUL */
}

/* Builds depth levels of nesting: "[[[...1...]]]" or {"a":{"a":...1...}}. */
static char *nested(int depth, bool objects)
{
	size_t cap = (size_t)depth * 8 + 16, len = 0;
	char *s = malloc(cap);
	int i;

	assert_non_null(s);
	for (i = 0; i < depth; i++)
		len += (size_t)snprintf(s + len, cap - len, "%s",
					objects ? "{\"a\":" : "[");
	len += (size_t)snprintf(s + len, cap - len, "1");
	for (i = 0; i < depth; i++)
		len += (size_t)snprintf(s + len, cap - len, "%s",
					objects ? "}" : "]");
	return s;
}

static void test_parse_depth_limit(void **state)
{
	char *s;
	json_t *v;
	struct errinfo ei;

	(void)state;
	s = nested(BODY_JSON_DEPTH_MAX, false);
	v = parse_ok(s, strlen(s));
	json_decref(v);
	free(s);
	s = nested(BODY_JSON_DEPTH_MAX + 1, false);
	ei = parse_bad(s, strlen(s));
	assert_int_equal(ei.ndetails, 1);
	assert_int_equal(ei.details[0].line, 1);
	assert_int_equal(ei.details[0].column, BODY_JSON_DEPTH_MAX + 1);
	free(s);

	s = nested(BODY_JSON_DEPTH_MAX, true);
	v = parse_ok(s, strlen(s));
	json_decref(v);
	free(s);
	s = nested(BODY_JSON_DEPTH_MAX + 1, true);
	parse_bad(s, strlen(s));
	free(s);

	/* far deeper than jansson's own limit: refused, not a crash */
	s = nested(100000, false);
	parse_bad(s, strlen(s));
	free(s);
}

static void test_parse_depth_ignores_strings(void **state)
{
	char s[1024];
	char brackets[201];
	char *deep;
	size_t len;
	json_t *v;

	(void)state;
	memset(brackets, '[', 100);
	memset(brackets + 100, '{', 100);
	brackets[200] = '\0';
	/* brackets inside strings are data, not nesting */
	len = (size_t)snprintf(s, sizeof s, "[\"%s\", {\"%s\": 1}]", brackets,
			       brackets);
	v = parse_ok(s, len);
	assert_int_equal(json_array_size(v), 2);
	json_decref(v);
	/* an escaped quote does not end the string early */
	len = (size_t)snprintf(s, sizeof s, "[\"\\\"%s\"]", brackets);
	v = parse_ok(s, len);
	json_decref(v);
	/* an escaped backslash does: nesting after it counts again */
	deep = nested(BODY_JSON_DEPTH_MAX, false);
	len = (size_t)snprintf(s, sizeof s, "[\"\\\\\", %s]", deep);
	parse_bad(s, len);
	free(deep);
}

/* ---- static files ------------------------------------------------------ */

static void test_static_path_ok(void **state)
{
	static const char *const ok[] = {
		"css/a.css", "a.css", "uswds/js/uswds.min.js", "a.b/c",
		"x/y/z", "dir/file.", "caf\xC3\xA9.txt",
	};
	static const char *const bad[] = {
		"../x", "..", ".", ".hidden", "a/.b", "a/../b", "a//b", "a/",
		"/etc/passwd", "", "a\\b", "..\\x", "a\x01" "b", "a\nb",
		"a\x7f", "\tx",
	};
	char longpath[600];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		if (!static_path_ok(ok[i]))
			print_error("refused '%s'\n", ok[i]);
		assert_true(static_path_ok(ok[i]));
	}
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (static_path_ok(bad[i]))
			print_error("accepted '%s'\n", bad[i]);
		assert_false(static_path_ok(bad[i]));
	}
	assert_false(static_path_ok(NULL));
	memset(longpath, 'a', sizeof longpath - 1);
	longpath[sizeof longpath - 1] = '\0';
	assert_false(static_path_ok(longpath));
}

static void test_static_content_type(void **state)
{
	(void)state;
	assert_string_equal(static_content_type("a.css"),
			    "text/css; charset=utf-8");
	assert_string_equal(static_content_type("css/x/uswds.min.css"),
			    "text/css; charset=utf-8");
	assert_string_equal(static_content_type("app.js"),
			    "text/javascript; charset=utf-8");
	assert_string_equal(static_content_type("f/source-sans.woff2"),
			    "font/woff2");
	assert_string_equal(static_content_type("f/source-sans.woff"),
			    "font/woff");
	assert_string_equal(static_content_type("img/x.svg"), "image/svg+xml");
	assert_string_equal(static_content_type("img/x.png"), "image/png");
	assert_string_equal(static_content_type("a.js.map"), "application/json");
	assert_string_equal(static_content_type("README"),
			    "application/octet-stream");
	assert_string_equal(static_content_type("a.css.bak"),
			    "application/octet-stream");
	assert_string_equal(static_content_type("a.exe"),
			    "application/octet-stream");
	assert_string_equal(static_content_type(""),
			    "application/octet-stream");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_types_accepted),
		cmocka_unit_test(test_json_types_refused),
		cmocka_unit_test(test_parse_valid),
		cmocka_unit_test(test_parse_empty),
		cmocka_unit_test(test_parse_syntax_error_position),
		cmocka_unit_test(test_parse_duplicate_keys),
		cmocka_unit_test(test_parse_trailing_garbage),
		cmocka_unit_test(test_parse_invalid_utf8_and_nul),
		cmocka_unit_test(test_parse_depth_limit),
		cmocka_unit_test(test_parse_depth_ignores_strings),
		cmocka_unit_test(test_static_path_ok),
		cmocka_unit_test(test_static_content_type),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
