/* test-session.c: the session lifetime rule at and around its limits. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "core/session.h"

enum { IDLE = 30 * 60, MAX = 12 * 3600, T0 = 1000000 };

static void test_fresh_session_lives(void **state)
{
	(void)state;
	assert_false(session_is_expired(T0, T0, T0, IDLE, MAX));
	assert_false(session_is_expired(T0 + 60, T0, T0, IDLE, MAX));
}

static void test_idle_limit(void **state)
{
	(void)state;
	/* Exactly at the limit still counts as alive; one second past ends it. */
	assert_false(session_is_expired(T0 + IDLE, T0, T0, IDLE, MAX));
	assert_true(session_is_expired(T0 + IDLE + 1, T0, T0, IDLE, MAX));
	/* Activity moves the idle window along. */
	assert_false(session_is_expired(T0 + 2 * IDLE, T0, T0 + IDLE + 5, IDLE, MAX));
}

static void test_absolute_limit_despite_activity(void **state)
{
	(void)state;
	assert_false(session_is_expired(T0 + MAX, T0, T0 + MAX - 10, IDLE, MAX));
	assert_true(session_is_expired(T0 + MAX + 1, T0, T0 + MAX, IDLE, MAX));
}

static void test_clock_anomalies_end_the_session(void **state)
{
	(void)state;
	assert_true(session_is_expired(T0, T0 + 10, T0 + 10, IDLE, MAX));
	assert_true(session_is_expired(T0, T0 - 10, T0 + 5, IDLE, MAX));
	assert_true(session_is_expired(T0, T0, T0 - 1, IDLE, MAX));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fresh_session_lives),
		cmocka_unit_test(test_idle_limit),
		cmocka_unit_test(test_absolute_limit_despite_activity),
		cmocka_unit_test(test_clock_anomalies_end_the_session),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
