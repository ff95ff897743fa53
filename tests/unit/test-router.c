/* test-router.c: route matching, path parameters, 404/405 decisions, Allow headers and table checks. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "http/router.h"
#include "util/arena.h"
#include "util/err.h"

static int h_root(struct req *r, struct resp *w) { (void)r; (void)w; return 1; }
static int h_list(struct req *r, struct resp *w) { (void)r; (void)w; return 2; }
static int h_create(struct req *r, struct resp *w) { (void)r; (void)w; return 3; }
static int h_item(struct req *r, struct resp *w) { (void)r; (void)w; return 4; }

enum {
	R_ROOT, R_LIST, R_CREATE, R_ITEM, R_DELETE, R_EDIT, R_POST, R_STATIC,
	R_PUT_ONLY, R__COUNT
};

/* Rows by field name, so the table keeps compiling when struct route grows.
 * Where routes carry a required role (core/role.h), the rows state the
 * least one so router_check judges only what these tests are about. */
#if defined(__has_include)
#if __has_include("core/role.h")
#define ROW_ROLE .role = ROLE_PUBLIC,
#endif
#endif
#ifndef ROW_ROLE
#define ROW_ROLE
#endif
#define ROW(m, pat, h, fl) \
	{ .method = (m), .pattern = (pat), .handler = (h), ROW_ROLE .flags = (fl) }

static const struct route table[] = {
	[R_ROOT] = ROW(HTTP_GET, "/", h_root, ROUTE_HTML),
	[R_LIST] = ROW(HTTP_GET, "/items", h_list, ROUTE_HTML),
	[R_CREATE] = ROW(HTTP_POST, "/items", h_create, ROUTE_HTML),
	[R_ITEM] = ROW(HTTP_GET, "/items/{id}", h_item, ROUTE_HTML),
	[R_DELETE] = ROW(HTTP_DELETE, "/items/{id}", h_item, ROUTE_JSON),
	[R_EDIT] = ROW(HTTP_GET, "/items/{id}/edit", h_item, ROUTE_HTML),
	[R_POST] = ROW(HTTP_GET, "/users/{user}/posts/{post}", h_item,
		       ROUTE_HTML),
	[R_STATIC] = ROW(HTTP_GET, "/static/{path...}", h_list, ROUTE_HTML),
	[R_PUT_ONLY] = ROW(HTTP_PUT, "/only-put", h_create, ROUTE_JSON),
};
static const size_t table_n = sizeof table / sizeof table[0];
_Static_assert(sizeof table / sizeof table[0] == R__COUNT, "one row per R_ name");

struct match {
	int rc;
	const struct route *route;
	struct route_params params;
	unsigned allowed;
};

static struct arena arena;

static int setup(void **state)
{
	(void)state;
	arena_init(&arena, 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	arena_release(&arena);
	return 0;
}

static struct match match_in(const struct route *t, size_t n,
			     enum http_method m, const char *path)
{
	struct match r;

	memset(&r, 0xA5, sizeof r);
	r.rc = router_match(t, n, m, path, &arena, &r.route, &r.params,
			    &r.allowed);
	return r;
}

static struct match match(enum http_method m, const char *path)
{
	return match_in(table, table_n, m, path);
}

#define BIT(m) (1u << (m))

static void expect_route(enum http_method m, const char *path, int row)
{
	struct match r = match(m, path);

	if (r.rc != 0)
		print_error("%s %s: rc %d\n", http_method_name(m), path, r.rc);
	assert_int_equal(r.rc, 0);
	assert_ptr_equal(r.route, &table[row]);
}

static void expect_notfound(enum http_method m, const char *path)
{
	struct match r = match(m, path);

	if (r.rc != ERR_NOTFOUND)
		print_error("%s: rc %d\n", path, r.rc);
	assert_int_equal(r.rc, ERR_NOTFOUND);
	assert_null(r.route);
	assert_int_equal(r.allowed, 0);
}

static void test_literal_match(void **state)
{
	struct match r;

	(void)state;
	r = match(HTTP_GET, "/items");
	assert_int_equal(r.rc, 0);
	assert_ptr_equal(r.route, &table[R_LIST]);
	assert_ptr_equal(r.route->handler, h_list);
	assert_int_equal(r.params.n, 0);
	expect_route(HTTP_POST, "/items", R_CREATE);
	expect_route(HTTP_PUT, "/only-put", R_PUT_ONLY);
	/* literal segments compare exactly */
	expect_notfound(HTTP_GET, "/Items");
	expect_notfound(HTTP_GET, "/item");
	expect_notfound(HTTP_GET, "/itemsx");
}

static void test_root(void **state)
{
	struct match r;

	(void)state;
	r = match(HTTP_GET, "/");
	assert_int_equal(r.rc, 0);
	assert_ptr_equal(r.route, &table[R_ROOT]);
	assert_int_equal(r.params.n, 0);
	expect_notfound(HTTP_GET, "");
	expect_notfound(HTTP_GET, "items");
}

static void test_param_capture(void **state)
{
	struct match r;

	(void)state;
	r = match(HTTP_GET, "/items/42");
	assert_int_equal(r.rc, 0);
	assert_ptr_equal(r.route, &table[R_ITEM]);
	assert_int_equal(r.params.n, 1);
	assert_string_equal(route_param(&r.params, "id"), "42");
	assert_null(route_param(&r.params, "ID"));
	assert_null(route_param(&r.params, "path"));

	r = match(HTTP_GET, "/items/caf\xC3\xA9%20x");
	assert_int_equal(r.rc, 0);
	assert_string_equal(route_param(&r.params, "id"), "caf\xC3\xA9%20x");

	r = match(HTTP_GET, "/items/7/edit");
	assert_int_equal(r.rc, 0);
	assert_ptr_equal(r.route, &table[R_EDIT]);
	assert_string_equal(route_param(&r.params, "id"), "7");

	/* a parameter is exactly one non-empty segment */
	expect_notfound(HTTP_GET, "/items/7/8");
	expect_notfound(HTTP_GET, "/items/7/edit/x");
}

static void test_two_params(void **state)
{
	struct match r;

	(void)state;
	r = match(HTTP_GET, "/users/ann/posts/99");
	assert_int_equal(r.rc, 0);
	assert_ptr_equal(r.route, &table[R_POST]);
	assert_int_equal(r.params.n, 2);
	assert_string_equal(route_param(&r.params, "user"), "ann");
	assert_string_equal(route_param(&r.params, "post"), "99");
	expect_notfound(HTTP_GET, "/users/ann/posts");
	expect_notfound(HTTP_GET, "/users/ann/comments/99");
}

static void test_rest_capture(void **state)
{
	struct match r;

	(void)state;
	r = match(HTTP_GET, "/static/a/b/c.css");
	assert_int_equal(r.rc, 0);
	assert_ptr_equal(r.route, &table[R_STATIC]);
	assert_int_equal(r.params.n, 1);
	assert_string_equal(route_param(&r.params, "path"), "a/b/c.css");

	r = match(HTTP_GET, "/static/x.js");
	assert_int_equal(r.rc, 0);
	assert_string_equal(route_param(&r.params, "path"), "x.js");

	/* the rest must be non-empty and have no empty segments */
	expect_notfound(HTTP_GET, "/static");
	expect_notfound(HTTP_GET, "/static/");
	expect_notfound(HTTP_GET, "/static/a//b");
	expect_notfound(HTTP_GET, "/static/a/b/");
}

static void test_empty_segments_not_matching(void **state)
{
	(void)state;
	expect_notfound(HTTP_GET, "/items/");
	expect_notfound(HTTP_GET, "//items");
	expect_notfound(HTTP_GET, "/items//42");
	expect_notfound(HTTP_GET, "/items/42/");
	expect_notfound(HTTP_GET, "//");
	expect_notfound(HTTP_POST, "/items/");
	expect_notfound(HTTP_DELETE, "/items//");
}

static void test_unknown_path(void **state)
{
	(void)state;
	expect_notfound(HTTP_GET, "/nope");
	expect_notfound(HTTP_POST, "/nope/deeper");
	expect_notfound(HTTP_HEAD, "/nope");
	expect_notfound(HTTP_METHOD_UNKNOWN, "/nope");
}

static void test_wrong_method(void **state)
{
	struct match r;
	char allow[64];

	(void)state;
	r = match(HTTP_DELETE, "/items");
	assert_int_equal(r.rc, ERR_METHOD);
	assert_null(r.route);
	assert_int_equal(r.allowed, BIT(HTTP_GET) | BIT(HTTP_HEAD) |
				    BIT(HTTP_POST));
	router_allow_header(r.allowed, allow, sizeof allow);
	assert_string_equal(allow, "GET, HEAD, POST");

	r = match(HTTP_PUT, "/items/5");
	assert_int_equal(r.rc, ERR_METHOD);
	assert_int_equal(r.allowed, BIT(HTTP_GET) | BIT(HTTP_HEAD) |
				    BIT(HTTP_DELETE));
	router_allow_header(r.allowed, allow, sizeof allow);
	assert_string_equal(allow, "GET, HEAD, DELETE");

	/* no GET route: HEAD is not offered either */
	r = match(HTTP_GET, "/only-put");
	assert_int_equal(r.rc, ERR_METHOD);
	assert_int_equal(r.allowed, BIT(HTTP_PUT));

	r = match(HTTP_METHOD_UNKNOWN, "/items");
	assert_int_equal(r.rc, ERR_METHOD);
	assert_int_equal(r.allowed, BIT(HTTP_GET) | BIT(HTTP_HEAD) |
				    BIT(HTTP_POST));
}

static void test_head_matches_get(void **state)
{
	struct match r;

	(void)state;
	expect_route(HTTP_HEAD, "/items", R_LIST);
	expect_route(HTTP_HEAD, "/", R_ROOT);
	r = match(HTTP_HEAD, "/items/3");
	assert_int_equal(r.rc, 0);
	assert_ptr_equal(r.route, &table[R_ITEM]);
	assert_string_equal(route_param(&r.params, "id"), "3");
	r = match(HTTP_HEAD, "/only-put");
	assert_int_equal(r.rc, ERR_METHOD);
	assert_int_equal(r.allowed, BIT(HTTP_PUT));
}

static void test_allow_header(void **state)
{
	char out[128];
	char small[8];
	const char *full = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";
	unsigned all = 0;
	int m;

	(void)state;
	for (m = 0; m < HTTP_METHOD__MAX; m++)
		all |= BIT(m);
	router_allow_header(all, out, sizeof out);
	assert_string_equal(out, full);
	router_allow_header(BIT(HTTP_POST), out, sizeof out);
	assert_string_equal(out, "POST");
	router_allow_header(BIT(HTTP_OPTIONS) | BIT(HTTP_GET), out, sizeof out);
	assert_string_equal(out, "GET, OPTIONS");
	memcpy(out, "junk", 5);
	router_allow_header(0, out, sizeof out);
	assert_string_equal(out, "");
	/* a short buffer stays NUL-terminated and holds a prefix */
	memset(small, 'Z', sizeof small);
	router_allow_header(all, small, sizeof small);
	assert_non_null(memchr(small, '\0', sizeof small));
	assert_memory_equal(small, full, strlen(small));
}

static void test_method_parse_and_name(void **state)
{
	static const char *const names[] = {
		"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS",
	};
	int m;

	(void)state;
	assert_int_equal(HTTP_METHOD__MAX, sizeof names / sizeof names[0]);
	for (m = 0; m < HTTP_METHOD__MAX; m++) {
		assert_int_equal(http_method_parse(names[m]), m);
		assert_string_equal(http_method_name((enum http_method)m),
				    names[m]);
	}
	assert_int_equal(http_method_parse("get"), HTTP_METHOD_UNKNOWN);
	assert_int_equal(http_method_parse("BREW"), HTTP_METHOD_UNKNOWN);
	assert_int_equal(http_method_parse("GET "), HTTP_METHOD_UNKNOWN);
	assert_int_equal(http_method_parse("TRACE"), HTTP_METHOD_UNKNOWN);
	assert_int_equal(http_method_parse(""), HTTP_METHOD_UNKNOWN);
	assert_non_null(http_method_name(HTTP_METHOD_UNKNOWN));
	assert_int_equal(http_method_parse(http_method_name(HTTP_METHOD_UNKNOWN)),
			 HTTP_METHOD_UNKNOWN);
	assert_non_null(http_method_name((enum http_method)1000));
}

static void expect_check_fails(const struct route *t, size_t n,
			       const char *mention)
{
	struct errinfo ei;

	errinfo_clear(&ei);
	assert_int_equal(router_check(t, n, &ei), ERR_INVALID);
	assert_int_equal(ei.code, ERR_INVALID);
	if (mention && !strstr(ei.message, mention))
		print_error("message \"%s\" lacks \"%s\"\n", ei.message, mention);
	if (mention)
		assert_non_null(strstr(ei.message, mention));
}

static void test_check_ok_on_own_table(void **state)
{
	struct errinfo ei;

	(void)state;
	errinfo_clear(&ei);
	assert_int_equal(router_check(table, table_n, &ei), 0);
	assert_int_equal(router_check(table, 0, NULL), 0);
}

static void test_check_duplicates(void **state)
{
	const struct route dup[] = {
		ROW(HTTP_GET, "/a", h_root, 0),
		ROW(HTTP_POST, "/a", h_root, 0),       /* other method: fine */
		ROW(HTTP_GET, "/b/{id}", h_root, 0),
		ROW(HTTP_GET, "/a", h_list, 0),        /* duplicate */
	};

	(void)state;
	assert_int_equal(router_check(dup, 3, NULL), 0);
	expect_check_fails(dup, 4, "/a");
}

static void test_check_malformed(void **state)
{
	static const char *const bad[] = {
		"/a/{x",
		"/{rest...}/more",
		"no-slash",
		"",
		"/a//b",
		"//",
		"/{}",
		"/a{b}",
		"/{x}y",
		"/{path...}/{id}",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		const struct route row[] = {
			ROW(HTTP_GET, "/fine", h_root, 0),
			ROW(HTTP_GET, bad[i], h_root, 0),
		};
		expect_check_fails(row, 2, bad[i]);
	}
}

static void test_check_trailing_slash_pattern(void **state)
{
	/* "/a/" has an empty last segment: no request path can match it as
	 * written (a request for "/a/" is unmatchable), so it is malformed. */
	const struct route row[] = { ROW(HTTP_GET, "/a/", h_root, 0) };

	(void)state;
	expect_check_fails(row, 1, "/a/");
}

static void test_check_bad_rows(void **state)
{
	const struct route head[] = { ROW(HTTP_HEAD, "/h", h_root, 0) };
	const struct route nohandler[] = { ROW(HTTP_GET, "/h", NULL, 0) };
	const struct route nopattern[] = { ROW(HTTP_GET, NULL, h_root, 0) };
	const struct route badmethod[] = {
		ROW(HTTP_METHOD_UNKNOWN, "/h", h_root, 0),
	};

	(void)state;
	expect_check_fails(head, 1, "/h");
	expect_check_fails(nohandler, 1, "/h");
	expect_check_fails(nopattern, 1, NULL);
	expect_check_fails(badmethod, 1, "/h");
}

static void test_check_real_table(void **state)
{
	struct errinfo ei;
	struct match r;
	size_t i;
	int rc;

	(void)state;
	assert_true(routes_count > 0);
	errinfo_clear(&ei);
	rc = router_check(routes, routes_count, &ei);
	if (rc)
		print_error("%s\n", ei.message);
	assert_int_equal(rc, 0);
	for (i = 0; i < routes_count; i++)
		assert_non_null(routes[i].handler);

	r = match_in(routes, routes_count, HTTP_GET, "/");
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.route->pattern, "/");
	r = match_in(routes, routes_count, HTTP_GET, "/static/css/a.css");
	assert_int_equal(r.rc, 0);
	assert_string_equal(route_param(&r.params, "path"), "css/a.css");
	r = match_in(routes, routes_count, HTTP_HEAD, "/healthz");
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.route->pattern, "/healthz");
	r = match_in(routes, routes_count, HTTP_POST, "/api/v1/csp-reports");
	assert_int_equal(r.rc, 0);
	assert_true(r.route->flags & ROUTE_BODY_JSON);
	r = match_in(routes, routes_count, HTTP_GET, "/api/v1/csp-reports");
	assert_int_equal(r.rc, ERR_METHOD);
	assert_int_equal(r.allowed, BIT(HTTP_POST));
}

static void test_long_paths(void **state)
{
	char path[4096];
	size_t i, len = 0;
	struct match r;

	(void)state;
	/* ROUTE_SEGMENTS_MAX + 8 segments */
	for (i = 0; i < ROUTE_SEGMENTS_MAX + 8; i++)
		len += (size_t)snprintf(path + len, sizeof path - len, "/s%zu", i);
	expect_notfound(HTTP_GET, path);

	/* under /static/ too: too many segments is a 404, not a crash */
	len = (size_t)snprintf(path, sizeof path, "/static");
	for (i = 0; i < ROUTE_SEGMENTS_MAX * 4; i++)
		len += (size_t)snprintf(path + len, sizeof path - len, "/d");
	expect_notfound(HTTP_GET, path);

	/* exactly ROUTE_SEGMENTS_MAX segments still matches */
	len = (size_t)snprintf(path, sizeof path, "/static");
	for (i = 1; i < ROUTE_SEGMENTS_MAX; i++)
		len += (size_t)snprintf(path + len, sizeof path - len, "/d");
	r = match(HTTP_GET, path);
	assert_int_equal(r.rc, 0);
	assert_ptr_equal(r.route, &table[R_STATIC]);
	assert_string_equal(route_param(&r.params, "path"),
			    path + strlen("/static/"));

	/* one very long segment */
	path[0] = '/';
	memset(path + 1, 'x', 3000);
	path[3001] = '\0';
	expect_notfound(HTTP_GET, path);
	memcpy(path, "/items/", 7);
	r = match(HTTP_GET, path);
	assert_int_equal(r.rc, 0);
	assert_int_equal(strlen(route_param(&r.params, "id")), 3001 - 7);
}

static void test_arena_full(void **state)
{
	struct arena small;
	const struct route *out;
	struct route_params params;
	unsigned allowed;
	char path[200];

	(void)state;
	memset(path, 'a', sizeof path - 1);
	path[0] = '/';
	path[sizeof path - 1] = '\0';
	arena_init(&small, 64);
	assert_int_equal(router_match(table, table_n, HTTP_GET, path, &small,
				      &out, &params, &allowed), ERR_NOMEM);
	assert_null(out);
	arena_release(&small);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_literal_match),
		cmocka_unit_test(test_root),
		cmocka_unit_test(test_param_capture),
		cmocka_unit_test(test_two_params),
		cmocka_unit_test(test_rest_capture),
		cmocka_unit_test(test_empty_segments_not_matching),
		cmocka_unit_test(test_unknown_path),
		cmocka_unit_test(test_wrong_method),
		cmocka_unit_test(test_head_matches_get),
		cmocka_unit_test(test_allow_header),
		cmocka_unit_test(test_method_parse_and_name),
		cmocka_unit_test(test_check_ok_on_own_table),
		cmocka_unit_test(test_check_duplicates),
		cmocka_unit_test(test_check_malformed),
		cmocka_unit_test(test_check_trailing_slash_pattern),
		cmocka_unit_test(test_check_bad_rows),
		cmocka_unit_test(test_check_real_table),
		cmocka_unit_test(test_long_paths),
		cmocka_unit_test(test_arena_full),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
