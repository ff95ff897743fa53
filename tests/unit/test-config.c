/* test-config.c: configuration defaults, typed option parsing with bounds, listen addresses and environment variables. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "util/err.h"

static struct config cfg;
static struct errinfo ei;

static int setup(void **state)
{
	(void)state;
	config_defaults(&cfg);
	errinfo_clear(&ei);
	return 0;
}

static void test_defaults(void **state)
{
	(void)state;
	assert_string_equal(cfg.listen, "127.0.0.1:8080");
	assert_string_equal(cfg.listen_host, "127.0.0.1");
	assert_int_equal(cfg.listen_port, 8080);
	assert_int_equal(cfg.body_limit, 1048576);
	assert_string_equal(cfg.db, "cxm.db");
	assert_int_equal(cfg.conn_timeout, 30);
	assert_int_equal(cfg.threads, 0);
	assert_int_equal(cfg.max_connections, 1000);
	assert_int_equal(cfg.per_ip_connections, 64);
	assert_int_equal(cfg.conn_memory, 64 * 1024);
	assert_int_equal(cfg.arena_limit, 64 * 1024 * 1024);
	assert_int_equal(cfg.shutdown_grace, 10);
	assert_string_equal(cfg.static_dir, "");
	assert_false(cfg.exit_on_stdin_close);
}

static void test_option_table_consistent(void **state)
{
	const struct config_option *o;

	(void)state;
	for (o = config_options; o->name; o++) {
		assert_ptr_equal(config_find(o->name), o);
		assert_true(o->offset + o->size <= sizeof(struct config));
		assert_non_null(o->help);
		if (o->env)
			assert_memory_equal(o->env, "CXM_", 4);
	}
	assert_null(config_find("no-such-option"));
	assert_null(config_find("--db"));
}

/* config_set must fail with `want` and leave the whole config unchanged. */
static void set_fails(const char *name, const char *value, int want)
{
	struct config before = cfg;

	errinfo_clear(&ei);
	assert_int_equal(config_set(&cfg, name, value, &ei), want);
	assert_int_equal(ei.code, want);
	assert_true(ei.message[0] != '\0');
	assert_memory_equal(&cfg, &before, sizeof cfg);
}

static void set_ok(const char *name, const char *value)
{
	int rc;

	errinfo_clear(&ei);
	rc = config_set(&cfg, name, value, &ei);
	if (rc)
		print_error("--%s=%s: %s\n", name, value, ei.message);
	assert_int_equal(rc, 0);
}

static void test_set_string(void **state)
{
	char longest[CONFIG_PATH_MAX];
	char too_long[CONFIG_PATH_MAX + 1];

	(void)state;
	set_ok("db", "/var/lib/cxm/data.db");
	assert_string_equal(cfg.db, "/var/lib/cxm/data.db");
	set_fails("db", "", ERR_INVALID);              /* min length 1 */
	assert_non_null(strstr(ei.message, "--db"));
	memset(longest, 'd', sizeof longest - 1);
	longest[sizeof longest - 1] = '\0';
	set_ok("db", longest);
	assert_int_equal(strlen(cfg.db), CONFIG_PATH_MAX - 1);
	memset(too_long, 'e', sizeof too_long - 1);
	too_long[sizeof too_long - 1] = '\0';
	set_fails("db", too_long, ERR_INVALID);
	set_ok("static-dir", "/srv/static");
	assert_string_equal(cfg.static_dir, "/srv/static");
	set_ok("static-dir", "");
	assert_string_equal(cfg.static_dir, "");
	set_fails("db", NULL, ERR_INVALID);
}

static void test_set_uint_bounds(void **state)
{
	static const char *const bad[] = {
		"-1", "1.5", "", "abc", "1K", " 5", "5 ", "+5", "0x10",
		"99999999999999999999999",
	};
	size_t i;

	(void)state;
	set_ok("threads", "0");
	assert_int_equal(cfg.threads, 0);
	set_ok("threads", "256");
	assert_int_equal(cfg.threads, 256);
	set_ok("threads", "007");
	assert_int_equal(cfg.threads, 7);
	set_fails("threads", "257", ERR_INVALID);
	assert_non_null(strstr(ei.message, "--threads"));
	assert_non_null(strstr(ei.message, "0 to 256"));

	set_fails("conn-timeout", "0", ERR_INVALID);   /* below min 1 */
	set_ok("conn-timeout", "1");
	assert_int_equal(cfg.conn_timeout, 1);
	set_ok("conn-timeout", "3600");
	assert_int_equal(cfg.conn_timeout, 3600);
	set_fails("conn-timeout", "3601", ERR_INVALID);
	set_fails("conn-timeout", "4294967297", ERR_INVALID); /* 2^32 + 1 */

	set_ok("max-connections", "60000");
	assert_int_equal(cfg.max_connections, 60000);
	set_fails("max-connections", "60001", ERR_INVALID);
	set_ok("per-ip-connections", "1");
	assert_int_equal(cfg.per_ip_connections, 1);
	set_fails("per-ip-connections", "0", ERR_INVALID);
	set_ok("shutdown-grace", "600");
	assert_int_equal(cfg.shutdown_grace, 600);
	set_fails("shutdown-grace", "601", ERR_INVALID);

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		set_fails("threads", bad[i], ERR_INVALID);
}

static void test_set_size_suffixes_and_bounds(void **state)
{
	static const char *const bad[] = {
		"-1", "1.5", "", "abc", "K", "1KB", "1 K", " 1K", "1T", "+1K",
		"99999999999999999999G", "18446744073709551615",
		"17179869184G", "1k1",
	};
	size_t i;

	(void)state;
	set_ok("body-limit", "1K");                     /* the minimum */
	assert_int_equal(cfg.body_limit, 1024);
	set_ok("body-limit", "2k");
	assert_int_equal(cfg.body_limit, 2048);
	set_ok("body-limit", "3M");
	assert_int_equal(cfg.body_limit, 3u << 20);
	set_ok("body-limit", "5000");
	assert_int_equal(cfg.body_limit, 5000);
	set_ok("body-limit", "256M");                   /* the maximum */
	assert_int_equal(cfg.body_limit, 256u << 20);
	set_fails("body-limit", "1023", ERR_INVALID);
	assert_non_null(strstr(ei.message, "--body-limit"));
	set_fails("body-limit", "257M", ERR_INVALID);
	set_fails("body-limit", "1G", ERR_INVALID);
	set_fails("body-limit", "0", ERR_INVALID);
	set_ok("arena-limit", "1g");
	assert_int_equal(cfg.arena_limit, (size_t)1 << 30);
	set_fails("arena-limit", "2G", ERR_INVALID);
	set_ok("conn-memory", "8K");
	assert_int_equal(cfg.conn_memory, 8192);
	set_fails("conn-memory", "8191", ERR_INVALID);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		set_fails("body-limit", bad[i], ERR_INVALID);
}

static void test_parse_size(void **state)
{
	unsigned long long v = 7;

	(void)state;
	assert_int_equal(config_parse_size("0", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(config_parse_size("0G", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(config_parse_size("16G", &v), 0);
	assert_int_equal(v, 16ull << 30);
	/* the largest multiple of 1 GiB that fits, and one more */
	assert_int_equal(config_parse_size("17179869183G", &v), 0);
	assert_int_equal(v, 17179869183ull << 30);
	v = 7;
	assert_int_equal(config_parse_size("17179869184G", &v), ERR_INVALID);
	assert_int_equal(config_parse_size("99999999999999999999G", &v),
			 ERR_INVALID);
	assert_int_equal(config_parse_size("99999999999999999999", &v),
			 ERR_INVALID);
	assert_int_equal(config_parse_size("", &v), ERR_INVALID);
	assert_int_equal(config_parse_size(NULL, &v), ERR_INVALID);
	assert_int_equal(config_parse_size("-1", &v), ERR_INVALID);
	assert_int_equal(v, 7);                         /* untouched on error */
}

static void test_set_bool(void **state)
{
	static const char *const yes[] = { "1", "true", "yes" };
	static const char *const no[] = { "0", "false", "no" };
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++) {
		set_ok("exit-on-stdin-close", yes[i]);
		assert_true(cfg.exit_on_stdin_close);
		set_ok("exit-on-stdin-close", no[i]);
		assert_false(cfg.exit_on_stdin_close);
	}
	set_fails("exit-on-stdin-close", "maybe", ERR_INVALID);
	set_fails("exit-on-stdin-close", "", ERR_INVALID);
	set_fails("exit-on-stdin-close", "2", ERR_INVALID);
}

static void test_set_listen(void **state)
{
	(void)state;
	set_ok("listen", "[::1]:9000");
	assert_string_equal(cfg.listen, "[::1]:9000");
	assert_string_equal(cfg.listen_host, "::1");
	assert_int_equal(cfg.listen_port, 9000);
	set_ok("listen", "*:80");
	assert_string_equal(cfg.listen_host, "0.0.0.0");
	assert_int_equal(cfg.listen_port, 80);
	set_fails("listen", "example.com:80", ERR_INVALID);
	set_fails("listen", "127.0.0.1:65536", ERR_INVALID);
	set_fails("listen", "", ERR_INVALID);
}

static void test_set_unknown(void **state)
{
	(void)state;
	set_fails("no-such-thing", "1", ERR_USAGE);
	assert_non_null(strstr(ei.message, "no-such-thing"));
	set_fails("--db", "x", ERR_USAGE);
	set_fails("DB", "x", ERR_USAGE);
}

struct listen_want {
	const char *text;
	const char *host;
	unsigned port;
};

static void test_parse_listen_ok(void **state)
{
	static const struct listen_want ok[] = {
		{ "127.0.0.1:8080", "127.0.0.1", 8080 },
		{ "[::1]:9000", "::1", 9000 },
		{ "[::]:443", "::", 443 },
		{ "[2001:db8::1]:1", "2001:db8::1", 1 },
		{ ":8080", "127.0.0.1", 8080 },
		{ "localhost:1", "127.0.0.1", 1 },
		{ "*:80", "0.0.0.0", 80 },
		{ "0.0.0.0:0", "0.0.0.0", 0 },
		{ "10.1.2.3:65535", "10.1.2.3", 65535 },
	};
	char host[CONFIG_HOST_MAX];
	unsigned port;
	size_t i;
	int rc;

	(void)state;
	for (i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		memset(host, 'Z', sizeof host);
		port = 12345;
		errinfo_clear(&ei);
		rc = config_parse_listen(ok[i].text, host, sizeof host, &port,
					 &ei);
		if (rc)
			print_error("%s: %s\n", ok[i].text, ei.message);
		assert_int_equal(rc, 0);
		assert_string_equal(host, ok[i].host);
		assert_int_equal(port, ok[i].port);
	}
}

static void test_parse_listen_refused(void **state)
{
	static const char *const bad[] = {
		"127.0.0.1:65536", "127.0.0.1:-1", "127.0.0.1:abc",
		"127.0.0.1:", "127.0.0.1", "127.0.0.1:99999999",
		"127.0.0.1:+80", "127.0.0.1:8K", "127.0.0.1: 80",
		"::1:80", "::1", "[::1]", "[::1]80", "[::1:80",
		"example.com:80", "localhost.example:80", "256.0.0.1:80",
		"1.2.3:80", "", ":", "[x]:80",
	};
	char toolong[CONFIG_HOST_MAX + 16];
	char host[CONFIG_HOST_MAX];
	unsigned port = 4242;
	size_t i;
	int rc;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		memcpy(host, "untouched", 10);
		errinfo_clear(&ei);
		rc = config_parse_listen(bad[i], host, sizeof host, &port, &ei);
		if (rc != ERR_INVALID)
			print_error("accepted '%s'\n", bad[i]);
		assert_int_equal(rc, ERR_INVALID);
		assert_true(ei.message[0] != '\0');
		assert_string_equal(host, "untouched");
		assert_int_equal(port, 4242);
	}
	assert_int_equal(config_parse_listen(NULL, host, sizeof host, &port,
					     &ei), ERR_INVALID);
	/* a host longer than any buffer */
	memset(toolong, '1', sizeof toolong);
	memcpy(toolong + sizeof toolong - 4, ":80", 4);
	assert_int_equal(config_parse_listen(toolong, host, sizeof host, &port,
					     &ei), ERR_INVALID);
	assert_string_equal(host, "untouched");
	/* a host that fits the parser but not the caller's buffer */
	assert_int_equal(config_parse_listen("10.0.0.1:80", host, 8, &port,
					     &ei), ERR_INVALID);
	assert_string_equal(host, "untouched");
}

static void test_parse_listen_respects_hostcap(void **state)
{
	/* hostcap bounds what is written even when the host is spelled
	 * shorter than its numeric form (":80" -> "127.0.0.1"). */
	static const char *const texts[] = { ":80", "*:80", "localhost:80" };
	char host[32];
	unsigned port = 4242;
	size_t i, j;

	(void)state;
	for (i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		memset(host, 'Z', sizeof host);
		errinfo_clear(&ei);
		assert_int_equal(config_parse_listen(texts[i], host, 4, &port,
						     &ei), ERR_INVALID);
		for (j = 4; j < sizeof host; j++)
			assert_int_equal(host[j], 'Z');
	}
}

/* ---- environment ---------------------------------------------------- */

static const char *const *fake_env;   /* NAME, VALUE, ..., NULL */
static int fake_calls;

static const char *fake_getenv(const char *name)
{
	size_t i;

	assert_non_null(name);
	fake_calls++;
	for (i = 0; fake_env && fake_env[i]; i += 2)
		if (strcmp(fake_env[i], name) == 0)
			return fake_env[i + 1];
	return NULL;
}

static void test_env_empty(void **state)
{
	static const char *const env[] = { NULL };
	struct config before = cfg;

	(void)state;
	fake_env = env;
	fake_calls = 0;
	assert_int_equal(config_from_env(&cfg, fake_getenv, &ei), 0);
	assert_memory_equal(&cfg, &before, sizeof cfg);
	assert_true(fake_calls > 0);
}

static void test_env_applies(void **state)
{
	static const char *const env[] = {
		"CXM_DB", "/tmp/from-env.db",
		"CXM_LISTEN", "[::1]:9000",
		"CXM_THREADS", "4",
		"CXM_BODY_LIMIT", "2M",
		"CXM_STATIC_DIR", "/srv/s",
		"DB", "wrong.db",                      /* not ours */
		NULL,
	};

	(void)state;
	fake_env = env;
	assert_int_equal(config_from_env(&cfg, fake_getenv, &ei), 0);
	assert_string_equal(cfg.db, "/tmp/from-env.db");
	assert_string_equal(cfg.listen, "[::1]:9000");
	assert_string_equal(cfg.listen_host, "::1");
	assert_int_equal(cfg.listen_port, 9000);
	assert_int_equal(cfg.threads, 4);
	assert_int_equal(cfg.body_limit, 2u << 20);
	assert_string_equal(cfg.static_dir, "/srv/s");
	assert_int_equal(cfg.conn_timeout, 30);          /* untouched */
}

static void test_env_bad_value_names_variable(void **state)
{
	static const char *const env[] = {
		"CXM_BODY_LIMIT", "lots", NULL,
	};
	static const char *const env_listen[] = {
		"CXM_LISTEN", "example.com:80", NULL,
	};

	(void)state;
	fake_env = env;
	errinfo_clear(&ei);
	assert_int_equal(config_from_env(&cfg, fake_getenv, &ei), ERR_INVALID);
	assert_int_equal(ei.code, ERR_INVALID);
	assert_non_null(strstr(ei.message, "CXM_BODY_LIMIT"));
	assert_int_equal(cfg.body_limit, 1048576);

	fake_env = env_listen;
	errinfo_clear(&ei);
	assert_int_equal(config_from_env(&cfg, fake_getenv, &ei), ERR_INVALID);
	assert_non_null(strstr(ei.message, "CXM_LISTEN"));
	assert_string_equal(cfg.listen, "127.0.0.1:8080");

	/* without an errinfo it still fails */
	fake_env = env;
	assert_int_equal(config_from_env(&cfg, fake_getenv, NULL), ERR_INVALID);
}

static void test_print_help_lists_options(void **state)
{
	char out[8192];
	FILE *f;
	const struct config_option *o;

	(void)state;
	memset(out, 0, sizeof out);
	f = fmemopen(out, sizeof out - 1, "w");
	assert_non_null(f);
	config_print_help(f);
	fclose(f);
	for (o = config_options; o->name; o++) {
		char flag[64];
		snprintf(flag, sizeof flag, "--%s ", o->name);
		assert_non_null(strstr(out, flag));
		if (o->env)
			assert_non_null(strstr(out, o->env));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_defaults, setup),
		cmocka_unit_test_setup(test_option_table_consistent, setup),
		cmocka_unit_test_setup(test_set_string, setup),
		cmocka_unit_test_setup(test_set_uint_bounds, setup),
		cmocka_unit_test_setup(test_set_size_suffixes_and_bounds, setup),
		cmocka_unit_test_setup(test_parse_size, setup),
		cmocka_unit_test_setup(test_set_bool, setup),
		cmocka_unit_test_setup(test_set_listen, setup),
		cmocka_unit_test_setup(test_set_unknown, setup),
		cmocka_unit_test_setup(test_parse_listen_ok, setup),
		cmocka_unit_test_setup(test_parse_listen_refused, setup),
		cmocka_unit_test_setup(test_parse_listen_respects_hostcap, setup),
		cmocka_unit_test_setup(test_env_empty, setup),
		cmocka_unit_test_setup(test_env_applies, setup),
		cmocka_unit_test_setup(test_env_bad_value_names_variable, setup),
		cmocka_unit_test_setup(test_print_help_lists_options, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
