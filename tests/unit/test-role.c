/* test-role.c: role names, the grant order, the ancestor-based grant check and the best role. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <string.h>

#include "core/role.h"

#define COUNT(a) (sizeof (a) / sizeof (a)[0])

static const enum role GRANT_ROLES[] = {
	ROLE_VIEWER, ROLE_FACILITATOR, ROLE_ANALYST,
};

static void test_parse_name_round_trip(void **state)
{
	static const char *const names[] = {
		"viewer", "facilitator", "analyst", "admin",
	};
	static const enum role roles[] = {
		ROLE_VIEWER, ROLE_FACILITATOR, ROLE_ANALYST, ROLE_ADMIN,
	};
	size_t i;

	(void)state;
	for (i = 0; i < COUNT(names); i++) {
		assert_int_equal(role_parse(names[i]), roles[i]);
		assert_string_equal(role_name(roles[i]), names[i]);
		assert_int_equal(role_parse(role_name(roles[i])), roles[i]);
	}
	/* every role has a distinct name */
	assert_string_equal(role_name(ROLE_UNSET), "unset");
	assert_string_equal(role_name(ROLE_PUBLIC), "public");
	assert_string_equal(role_name(ROLE_SIGNED_IN), "signed-in");
	/* out of range is "unset", never a crash or another role's name */
	assert_string_equal(role_name(ROLE__MAX), "unset");
	assert_string_equal(role_name((enum role)1000), "unset");
}

static void test_parse_refusals(void **state)
{
	static const char *const bad[] = {
		"", "Admin", "ADMIN", "Viewer", "public", "unset", "signed-in",
		" viewer", "viewer ", "view", "analysts", "admin\n", "owner",
	};
	size_t i;

	(void)state;
	assert_int_equal(role_parse(NULL), ROLE_UNSET);
	for (i = 0; i < COUNT(bad); i++) {
		if (role_parse(bad[i]) != ROLE_UNSET)
			print_error("role_parse(\"%s\") accepted\n", bad[i]);
		assert_int_equal(role_parse(bad[i]), ROLE_UNSET);
	}
}

static void test_is_grant(void **state)
{
	(void)state;
	assert_false(role_is_grant(ROLE_UNSET));
	assert_false(role_is_grant(ROLE_PUBLIC));
	assert_false(role_is_grant(ROLE_SIGNED_IN));
	assert_true(role_is_grant(ROLE_VIEWER));
	assert_true(role_is_grant(ROLE_FACILITATOR));
	assert_true(role_is_grant(ROLE_ANALYST));
	assert_false(role_is_grant(ROLE_ADMIN));
	assert_false(role_is_grant(ROLE__MAX));
}

/* Every grant role against every needed role, on the organization itself:
 * grant needs are allowed exactly when the grant is at least as strong;
 * public and signed-in need no grant; admin and unset are refused. */
static bool expected(enum role grant, enum role need)
{
	switch (need) {
	case ROLE_PUBLIC:
	case ROLE_SIGNED_IN:
		return true;
	case ROLE_VIEWER:
	case ROLE_FACILITATOR:
	case ROLE_ANALYST:
		return grant >= need;
	default:
		return false;
	}
}

static void test_allows_order_matrix(void **state)
{
	const int64_t here[] = { 7 };
	size_t g;
	enum role need;

	(void)state;
	/* the order itself: viewer < facilitator < analyst */
	assert_true(ROLE_VIEWER < ROLE_FACILITATOR);
	assert_true(ROLE_FACILITATOR < ROLE_ANALYST);
	for (g = 0; g < COUNT(GRANT_ROLES); g++) {
		struct grant gr = { 7, GRANT_ROLES[g] };
		for (need = ROLE_UNSET; need < ROLE__MAX; need++) {
			bool want = expected(GRANT_ROLES[g], need);
			bool got = role_allows(false, &gr, 1, here, 1, need);
			if (got != want)
				print_error("grant %s, need %s: got %d\n",
					    role_name(GRANT_ROLES[g]),
					    role_name(need), got);
			assert_int_equal(got, want);
		}
	}
	/* spot checks that do not depend on the helper above */
	{
		struct grant v = { 7, ROLE_VIEWER }, a = { 7, ROLE_ANALYST };
		assert_true(role_allows(false, &v, 1, here, 1, ROLE_VIEWER));
		assert_false(role_allows(false, &v, 1, here, 1, ROLE_FACILITATOR));
		assert_false(role_allows(false, &v, 1, here, 1, ROLE_ANALYST));
		assert_true(role_allows(false, &a, 1, here, 1, ROLE_FACILITATOR));
		assert_false(role_allows(false, &a, 1, here, 1, ROLE_ADMIN));
	}
}

static void test_allows_ancestor_sibling_none(void **state)
{
	/* 1 department > 2 component > 3 office; 4 is 2's sibling */
	const int64_t office_chain[] = { 3, 2, 1 };
	const int64_t reversed[] = { 1, 2, 3 };
	const int64_t sibling_chain[] = { 4, 1 };
	struct grant on_component = { 2, ROLE_ANALYST };
	struct grant on_sibling = { 4, ROLE_ANALYST };
	struct grant on_office = { 3, ROLE_VIEWER };

	(void)state;
	/* a grant on an ancestor covers the subtree, listed in any order */
	assert_true(role_allows(false, &on_component, 1, office_chain, 3,
				ROLE_ANALYST));
	assert_true(role_allows(false, &on_component, 1, reversed, 3,
				ROLE_ANALYST));
	/* but not a sibling's subtree, nor the ancestor's own parent */
	assert_false(role_allows(false, &on_component, 1, sibling_chain, 2,
				 ROLE_VIEWER));
	{
		const int64_t dept_only[] = { 1 };
		assert_false(role_allows(false, &on_component, 1, dept_only, 1,
					 ROLE_VIEWER));
	}
	/* a grant on a sibling does not reach the office */
	assert_false(role_allows(false, &on_sibling, 1, office_chain, 3,
				 ROLE_VIEWER));
	/* no grants, or no ancestors: nothing */
	assert_false(role_allows(false, NULL, 0, office_chain, 3, ROLE_VIEWER));
	assert_false(role_allows(false, &on_component, 1, NULL, 0,
				 ROLE_VIEWER));

	/* several grants: the strong one on the ancestor decides */
	{
		struct grant both[] = { { 3, ROLE_VIEWER }, { 2, ROLE_ANALYST } };
		struct grant weak_here_strong_away[] = {
			{ 3, ROLE_VIEWER }, { 4, ROLE_ANALYST },
		};
		assert_true(role_allows(false, both, 2, office_chain, 3,
					ROLE_ANALYST));
		assert_true(role_allows(false, weak_here_strong_away, 2,
					office_chain, 3, ROLE_VIEWER));
		assert_false(role_allows(false, weak_here_strong_away, 2,
					 office_chain, 3, ROLE_FACILITATOR));
	}
	/* a viewer grant on the office itself is only a viewer grant */
	assert_true(role_allows(false, &on_office, 1, office_chain, 3,
				ROLE_VIEWER));
	assert_false(role_allows(false, &on_office, 1, office_chain, 3,
				 ROLE_FACILITATOR));
}

static void test_allows_non_grant_roles_in_grants_ignored(void **state)
{
	const int64_t here[] = { 5 };
	struct grant admin_grant = { 5, ROLE_ADMIN };
	struct grant bogus = { 5, ROLE__MAX };

	(void)state;
	/* only viewer/facilitator/analyst grants count */
	assert_false(role_allows(false, &admin_grant, 1, here, 1, ROLE_VIEWER));
	assert_false(role_allows(false, &admin_grant, 1, here, 1, ROLE_ADMIN));
	assert_false(role_allows(false, &bogus, 1, here, 1, ROLE_ANALYST));
}

static void test_allows_admin_public_unset(void **state)
{
	const int64_t here[] = { 9 };
	struct grant analyst = { 9, ROLE_ANALYST };
	enum role r;

	(void)state;
	/* admin: everything, with or without grants or ancestors */
	for (r = ROLE_PUBLIC; r < ROLE__MAX; r++) {
		assert_true(role_allows(true, NULL, 0, NULL, 0, r));
		assert_true(role_allows(true, &analyst, 1, here, 1, r));
	}
	/* ROLE_ADMIN needs an admin, whatever the grants */
	assert_false(role_allows(false, &analyst, 1, here, 1, ROLE_ADMIN));
	assert_false(role_allows(false, NULL, 0, NULL, 0, ROLE_ADMIN));
	/* ROLE_UNSET (a route that forgot to say) is refused even to admins */
	assert_false(role_allows(true, NULL, 0, NULL, 0, ROLE_UNSET));
	assert_false(role_allows(true, &analyst, 1, here, 1, ROLE_UNSET));
	assert_false(role_allows(false, &analyst, 1, here, 1, ROLE_UNSET));
	/* out of range needs are refused too */
	assert_false(role_allows(true, NULL, 0, NULL, 0, ROLE__MAX));
	assert_false(role_allows(false, &analyst, 1, here, 1, ROLE__MAX));
	/* public and signed-in need no grant */
	assert_true(role_allows(false, NULL, 0, NULL, 0, ROLE_PUBLIC));
	assert_true(role_allows(false, NULL, 0, NULL, 0, ROLE_SIGNED_IN));
}

static void test_best(void **state)
{
	struct grant mixed[] = {
		{ 1, ROLE_VIEWER }, { 2, ROLE_ANALYST }, { 3, ROLE_FACILITATOR },
	};
	struct grant viewers[] = { { 1, ROLE_VIEWER }, { 2, ROLE_VIEWER } };
	struct grant junk[] = { { 1, ROLE_ADMIN }, { 2, ROLE_PUBLIC },
				{ 3, ROLE__MAX } };
	struct grant junk_and_fac[] = { { 1, ROLE_ADMIN },
					{ 2, ROLE_FACILITATOR } };

	(void)state;
	assert_int_equal(role_best(false, NULL, 0), ROLE_UNSET);
	assert_int_equal(role_best(true, NULL, 0), ROLE_ADMIN);
	assert_int_equal(role_best(true, viewers, 2), ROLE_ADMIN);
	assert_int_equal(role_best(false, mixed, 3), ROLE_ANALYST);
	assert_int_equal(role_best(false, mixed, 1), ROLE_VIEWER);
	assert_int_equal(role_best(false, viewers, 2), ROLE_VIEWER);
	/* grants that are not grant roles never lift a user */
	assert_int_equal(role_best(false, junk, 3), ROLE_UNSET);
	assert_int_equal(role_best(false, junk_and_fac, 2), ROLE_FACILITATOR);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_name_round_trip),
		cmocka_unit_test(test_parse_refusals),
		cmocka_unit_test(test_is_grant),
		cmocka_unit_test(test_allows_order_matrix),
		cmocka_unit_test(test_allows_ancestor_sibling_none),
		cmocka_unit_test(test_allows_non_grant_roles_in_grants_ignored),
		cmocka_unit_test(test_allows_admin_public_unset),
		cmocka_unit_test(test_best),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
