/* test-store.c: the SQLite store on temporary files: migrations, version checks, open errors, transactions and the pool. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "store/engine.h"
#include "store/store.h"
#include "util/err.h"

static char tmpdir[64];
static int db_counter;

static int group_setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof tmpdir, "/tmp/cxm-test-store-XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int group_teardown(void **state)
{
	DIR *d;
	struct dirent *e;
	char path[512];

	(void)state;
	d = opendir(tmpdir);
	if (d) {
		while ((e = readdir(d)) != NULL) {
			if (strcmp(e->d_name, ".") == 0 ||
			    strcmp(e->d_name, "..") == 0)
				continue;
			snprintf(path, sizeof path, "%s/%s", tmpdir, e->d_name);
			unlink(path);
		}
		closedir(d);
	}
	return rmdir(tmpdir);
}

/* A fresh database path in the temporary folder. */
static void new_db_path(char *out, size_t cap)
{
	snprintf(out, cap, "%s/db%d.sqlite", tmpdir, ++db_counter);
}

static struct store *open_store(const char *path, unsigned pool)
{
	struct store *s = NULL;
	struct errinfo ei;
	int rc;

	errinfo_clear(&ei);
	rc = store_open(path, pool, &s, &ei);
	if (rc)
		print_error("store_open %s: %s\n", path, ei.message);
	assert_int_equal(rc, 0);
	assert_non_null(s);
	return s;
}

/* Opens path and migrates it to the newest version. */
static struct store *open_migrated(const char *path, unsigned pool)
{
	struct store *s = open_store(path, pool);
	struct store_migrate_report rep;
	struct errinfo ei;

	errinfo_clear(&ei);
	assert_int_equal(store_migrate(s, &rep, &ei), 0);
	return s;
}

/* Runs one SQL statement on a separate sqlite3 connection and returns the
 * first column of its first row as an integer (-1 when no row). */
static long long sql_int(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	long long v = -1;

	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE,
					 NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

static int conn_exec(struct store_conn *c, const char *sql,
		     struct errinfo *ei)
{
	return store_conn_engine(c)->exec(store_conn_handle(c), sql, ei);
}

static int version_of(struct store *s)
{
	struct store_conn *c = store_acquire(s);
	struct errinfo ei;
	int v = -1;

	errinfo_clear(&ei);
	assert_int_equal(store_schema_version(c, &v, &ei), 0);
	store_release(c);
	return v;
}

static void test_migrate_fresh_then_noop(void **state)
{
	char path[256];
	struct store *s;
	struct store_migrate_report rep;
	struct errinfo ei;
	int known;

	(void)state;
	new_db_path(path, sizeof path);
	s = open_store(path, 1);
	assert_string_equal(store_engine_name(s), "sqlite");
	known = store_known_version(s);
	assert_true(known >= 1);
	assert_int_equal(version_of(s), 0);

	memset(&rep, 0xFF, sizeof rep);
	errinfo_clear(&ei);
	assert_int_equal(store_migrate(s, &rep, &ei), 0);
	assert_int_equal(rep.from_version, 0);
	assert_int_equal(rep.to_version, known);
	assert_int_equal(rep.known_version, known);
	assert_int_equal(version_of(s), known);

	/* again: nothing to do */
	memset(&rep, 0xFF, sizeof rep);
	assert_int_equal(store_migrate(s, &rep, &ei), 0);
	assert_int_equal(rep.from_version, known);
	assert_int_equal(rep.to_version, known);
	assert_int_equal(rep.known_version, known);
	store_close(s);

	/* what the migrations did is on disk, recorded once per version */
	assert_int_equal(sql_int(path, "SELECT COUNT(*) FROM schema_migrations"),
			 known);
	assert_int_equal(sql_int(path, "SELECT MAX(version) FROM schema_migrations"),
			 known);
	assert_int_equal(sql_int(path, "SELECT COUNT(*) FROM settings"
				       " WHERE key = 'instance_id'"), 1);

	/* reopening sees the same version and migrates nothing */
	s = open_store(path, 1);
	assert_int_equal(version_of(s), known);
	assert_int_equal(store_migrate(s, &rep, &ei), 0);
	assert_int_equal(rep.from_version, rep.to_version);
	store_close(s);
	assert_int_equal(sql_int(path, "SELECT COUNT(*) FROM schema_migrations"),
			 known);
}

static void test_health(void **state)
{
	char path[256];
	struct store *s;
	struct errinfo ei;

	(void)state;
	new_db_path(path, sizeof path);
	s = open_migrated(path, 2);
	errinfo_clear(&ei);
	assert_int_equal(store_health(s, &ei), 0);
	assert_int_equal(store_health(s, NULL), 0);
	store_close(s);
}

/* True when msg holds the decimal number n, not as part of a longer one. */
static bool mentions_number(const char *msg, int n)
{
	char num[16];
	const char *p = msg;
	size_t len;

	snprintf(num, sizeof num, "%d", n);
	len = strlen(num);
	while ((p = strstr(p, num)) != NULL) {
		bool before = p > msg && p[-1] >= '0' && p[-1] <= '9';
		bool after = p[len] >= '0' && p[len] <= '9';
		if (!before && !after)
			return true;
		p++;
	}
	return false;
}

static void test_newer_database_refused(void **state)
{
	char path[256], sql[256];
	struct store *s;
	struct store_migrate_report rep;
	struct errinfo ei;
	sqlite3 *db;
	int known;

	(void)state;
	new_db_path(path, sizeof path);
	s = open_migrated(path, 1);
	known = store_known_version(s);
	store_close(s);

	/* a newer cxm has been here */
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL),
			 SQLITE_OK);
	snprintf(sql, sizeof sql,
		 "INSERT INTO schema_migrations (version, name, applied_at)"
		 " VALUES (%d, 'from-the-future', '2099-01-01T00:00:00.000Z')",
		 known + 1);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);

	s = open_store(path, 1);
	errinfo_clear(&ei);
	assert_int_equal(store_migrate(s, &rep, &ei), ERR_INVALID);
	assert_int_equal(ei.code, ERR_INVALID);
	if (!mentions_number(ei.message, known + 1) ||
	    !mentions_number(ei.message, known))
		print_error("message: %s\n", ei.message);
	assert_true(mentions_number(ei.message, known + 1));
	assert_true(mentions_number(ei.message, known));
	assert_int_equal(rep.from_version, known + 1);
	assert_int_equal(rep.known_version, known);
	/* nothing was changed */
	assert_int_equal(version_of(s), known + 1);
	store_close(s);
	assert_int_equal(sql_int(path, "SELECT COUNT(*) FROM schema_migrations"),
			 known + 1);
}

/* PostgreSQL URLs go to the PostgreSQL engine, which refuses a server that
 * is not there with ERR_UNAVAILABLE and a message naming PostgreSQL (never
 * by opening a SQLite file of that name). */
static void test_postgres_url_unreachable(void **state)
{
	static const char *const urls[] = {
		"postgresql://cxm@127.0.0.1:1/y?connect_timeout=2",
		"postgres://user@127.0.0.1:1/db?connect_timeout=2",
		"host=127.0.0.1 port=1 dbname=cxm connect_timeout=2",
	};
	struct store *s;
	struct errinfo ei;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof urls / sizeof urls[0]; i++) {
		s = (struct store *)&ei;
		errinfo_clear(&ei);
		assert_int_equal(store_open(urls[i], 1, &s, &ei), ERR_UNAVAILABLE);
		assert_null(s);
		assert_int_equal(ei.code, ERR_UNAVAILABLE);
		assert_non_null(strstr(ei.message, "PostgreSQL"));
		assert_true(store_is_postgres_url(urls[i]));
	}
}

static void test_bad_paths(void **state)
{
	struct store *s = (struct store *)&s;
	struct errinfo ei;

	(void)state;
	errinfo_clear(&ei);
	assert_int_equal(store_open("/nonexistent-dir/x.db", 1, &s, &ei),
			 ERR_UNAVAILABLE);
	assert_null(s);
	assert_int_equal(ei.code, ERR_UNAVAILABLE);
	assert_non_null(strstr(ei.message, "/nonexistent-dir/x.db"));
	/* a pool fails as a whole, too */
	assert_int_equal(store_open("/nonexistent-dir/x.db", 3, &s, &ei),
			 ERR_UNAVAILABLE);
	assert_null(s);

	assert_int_equal(store_open("", 1, &s, &ei), ERR_INVALID);
	assert_null(s);
	assert_int_equal(store_open(NULL, 1, &s, NULL), ERR_INVALID);
	assert_null(s);
	/* a directory is not a database */
	assert_int_equal(store_open(tmpdir, 1, &s, &ei), ERR_UNAVAILABLE);
	assert_null(s);
}

static void test_tx_rollback_leaves_nothing(void **state)
{
	char path[256];
	struct store *s;
	struct store_conn *c;
	struct errinfo ei;
	const char *ins = "INSERT INTO settings (key, value, updated_at)"
			  " VALUES ('tx-test', 'v', 'now')";

	(void)state;
	new_db_path(path, sizeof path);
	s = open_migrated(path, 1);
	c = store_acquire(s);
	errinfo_clear(&ei);

	assert_int_equal(store_tx_begin(c, &ei), 0);
	assert_true(store_conn_engine(c)->in_transaction(store_conn_handle(c)));
	assert_int_equal(conn_exec(c, ins, &ei), 0);
	store_tx_rollback(c);
	assert_false(store_conn_engine(c)->in_transaction(store_conn_handle(c)));
	assert_int_equal(sql_int(path, "SELECT COUNT(*) FROM settings"
				       " WHERE key = 'tx-test'"), 0);
	/* rolling back with no transaction open is harmless */
	store_tx_rollback(c);

	/* the same insert committed is there (so the check above can fail) */
	assert_int_equal(store_tx_begin(c, &ei), 0);
	assert_int_equal(conn_exec(c, ins, &ei), 0);
	assert_int_equal(store_tx_commit(c, &ei), 0);
	assert_false(store_conn_engine(c)->in_transaction(store_conn_handle(c)));
	assert_int_equal(sql_int(path, "SELECT COUNT(*) FROM settings"
				       " WHERE key = 'tx-test'"), 1);

	/* a failing statement inside a transaction, then rollback */
	assert_int_equal(store_tx_begin(c, &ei), 0);
	assert_int_equal(conn_exec(c, "INSERT INTO settings (key, value,"
				   " updated_at) VALUES ('tx-two', 'v', 'now')",
				   &ei), 0);
	assert_int_equal(conn_exec(c, ins, &ei), ERR_DB);  /* duplicate key */
	store_tx_rollback(c);
	assert_int_equal(sql_int(path, "SELECT COUNT(*) FROM settings"
				       " WHERE key = 'tx-two'"), 0);
	store_release(c);
	store_close(s);
}

static void test_release_rolls_back(void **state)
{
	char path[256];
	struct store *s;
	struct store_conn *c;
	struct errinfo ei;

	(void)state;
	new_db_path(path, sizeof path);
	s = open_migrated(path, 1);
	c = store_acquire(s);
	errinfo_clear(&ei);
	assert_int_equal(store_tx_begin(c, &ei), 0);
	assert_int_equal(conn_exec(c, "INSERT INTO settings (key, value,"
				   " updated_at) VALUES ('left-open', 'v', 'n')",
				   &ei), 0);
	store_release(c);                   /* forgot to commit */
	c = store_acquire(s);
	assert_false(store_conn_engine(c)->in_transaction(store_conn_handle(c)));
	store_release(c);
	store_close(s);
	assert_int_equal(sql_int(path, "SELECT COUNT(*) FROM settings"
				       " WHERE key = 'left-open'"), 0);
}

static void test_pool_distinct_connections(void **state)
{
	char path[256];
	struct store *s;
	struct store_conn *c1, *c2, *c3;

	(void)state;
	new_db_path(path, sizeof path);
	s = open_migrated(path, 2);
	c1 = store_acquire(s);
	c2 = store_acquire(s);
	assert_non_null(c1);
	assert_non_null(c2);
	assert_ptr_not_equal(c1, c2);
	assert_ptr_not_equal(store_conn_handle(c1), store_conn_handle(c2));
	store_release(c1);
	c3 = store_acquire(s);
	assert_ptr_equal(c3, c1);           /* the only free one */
	store_release(c2);
	store_release(c3);
	store_release(NULL);                /* allowed */
	store_close(s);
}

struct waiter {
	struct store *store;
	struct store_conn *got;
	pthread_mutex_t lock;
};

static void *acquire_thread(void *arg)
{
	struct waiter *w = arg;
	struct store_conn *c = store_acquire(w->store);

	pthread_mutex_lock(&w->lock);
	w->got = c;
	pthread_mutex_unlock(&w->lock);
	store_release(c);
	return NULL;
}

static void test_pool_waits_for_release(void **state)
{
	char path[256];
	struct waiter w;
	struct store_conn *c, *got;
	pthread_t t;
	struct timespec pause = { 0, 100 * 1000 * 1000 };

	(void)state;
	new_db_path(path, sizeof path);
	w.store = open_migrated(path, 1);
	w.got = NULL;
	pthread_mutex_init(&w.lock, NULL);
	c = store_acquire(w.store);
	assert_int_equal(pthread_create(&t, NULL, acquire_thread, &w), 0);
	nanosleep(&pause, NULL);
	pthread_mutex_lock(&w.lock);
	got = w.got;
	pthread_mutex_unlock(&w.lock);
	assert_null(got);                   /* still waiting */
	store_release(c);
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_ptr_equal(w.got, c);
	pthread_mutex_destroy(&w.lock);
	store_close(w.store);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_migrate_fresh_then_noop),
		cmocka_unit_test(test_health),
		cmocka_unit_test(test_newer_database_refused),
		cmocka_unit_test(test_postgres_url_unreachable),
		cmocka_unit_test(test_bad_paths),
		cmocka_unit_test(test_tx_rollback_leaves_nothing),
		cmocka_unit_test(test_release_rolls_back),
		cmocka_unit_test(test_pool_distinct_connections),
		cmocka_unit_test(test_pool_waits_for_release),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
