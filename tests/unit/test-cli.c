/* test-cli.c: what the command line prints about databases never shows a password. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "cli/cli.h"

static void check(const char *db, const char *want)
{
	char out[256];

	assert_string_equal(cli_db_label(db, out, sizeof out), want);
}

static void test_urls_hide_the_password(void **state)
{
	(void)state;
	check("postgresql://cxm:sekret@db1,db2/cxm?target_session_attrs=read-write",
	      "postgresql://cxm:***@db1,db2/cxm?target_session_attrs=read-write");
	check("postgres://u:p@h:5432/d", "postgres://u:***@h:5432/d");
}

static void test_conninfo_hides_the_password(void **state)
{
	(void)state;
	check("host=db1 password=sekret dbname=cxm", "host=db1 password=*** dbname=cxm");
	check("host=db1 dbname=cxm password=sekret", "host=db1 dbname=cxm password=***");
}

static void test_nothing_to_hide(void **state)
{
	(void)state;
	check("cxm.db", "cxm.db");
	check("/var/lib/cxm/cxm.db", "/var/lib/cxm/cxm.db");
	check("postgresql://cxm@127.0.0.1:5432/cxm", "postgresql://cxm@127.0.0.1:5432/cxm");
	check("postgresql://127.0.0.1/cxm", "postgresql://127.0.0.1/cxm");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_urls_hide_the_password),
		cmocka_unit_test(test_conninfo_hides_the_password),
		cmocka_unit_test(test_nothing_to_hide),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
